import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { inclusionProofs } from './batch-inclusion.ts';
import { inclusionProof, leafHash, merkleRoot, verifyInclusion } from './merkle-tree.ts';

describe('inclusion proofs for several leaves at once', () => {
  it('gives exactly the RFC 9162 paths inclusionProof gives, and they verify', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 20 }),
        (leafCount, picks, extra) => {
          const leaves = Array.from({ length: leafCount + extra }, (_, i) =>
            leafHash(Buffer.from(`leaf ${i}`)),
          );
          const indices = picks.map((pick) => pick % leafCount);
          const proofs = inclusionProofs(leaves, indices, leafCount);
          const root = merkleRoot(leaves.slice(0, leafCount));
          for (const index of indices) {
            const proof = proofs.get(index) ?? [];
            assert.deepEqual(proof, inclusionProof(leaves, index, leafCount));
            assert.ok(verifyInclusion(leaves[index] as Buffer, index, leafCount, proof, root));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses indices outside the tree', () => {
    const leaves = [leafHash(Buffer.from('a')), leafHash(Buffer.from('b'))];
    assert.throws(() => inclusionProofs(leaves, [2]), /outside a tree of 2/);
    assert.throws(() => inclusionProofs(leaves, [0], 3), /tree size 3/);
  });
});
