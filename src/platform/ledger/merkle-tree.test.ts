import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  consistencyProof,
  emptyTreeRoot,
  inclusionProof,
  leafHash,
  MerkleAccumulator,
  merkleRoot,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle-tree.ts';

const hex = (value: Uint8Array): string => Buffer.from(value).toString('hex');
const unhex = (value: string): Buffer => Buffer.from(value, 'hex');

// The Certificate Transparency reference inputs and roots (RFC 6962 test data, as used by the
// certificate-transparency and Trillian test suites).
const referenceInputs = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const referenceRoots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const referenceLeaves = referenceInputs.map((input) => leafHash(unhex(input)));

// Published audit paths (leaf index, tree size) and consistency proofs (old size, new size).
const referenceInclusion: Array<[number, number, string[]]> = [
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
const referenceConsistency: Array<[number, number, string[]]> = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];

/** MTH as RFC 9162 section 2.1.1 defines it, recursively and slowly: the reference to compare against. */
function referenceRoot(leaves: Uint8Array[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return Buffer.from(leaves[0] as Uint8Array);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(referenceRoot(leaves.slice(0, k)))
    .update(referenceRoot(leaves.slice(k)))
    .digest();
}

function syntheticLeaves(count: number): Buffer[] {
  return Array.from({ length: count }, (_, index) => leafHash(Buffer.from(`entry ${index}`)));
}

function flipBit(value: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(value);
  copy[Math.floor(bit / 8) % copy.length] =
    (copy[Math.floor(bit / 8) % copy.length] as number) ^ (1 << (bit % 8));
  return copy;
}

describe('RFC 9162 Merkle tree', () => {
  test('matches the reference roots for every size from 1 to 8, and the empty tree', () => {
    for (let size = 1; size <= 8; size++) {
      assert.equal(hex(merkleRoot(referenceLeaves.slice(0, size))), referenceRoots[size - 1], `size ${size}`);
    }
    assert.equal(hex(merkleRoot([])), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.deepEqual(emptyTreeRoot(), merkleRoot([]));
  });

  test('hashes leaves with 0x00 and nodes with 0x01', () => {
    assert.equal(hex(leafHash(new Uint8Array(0))), referenceRoots[0]);
    const expected = createHash('sha256')
      .update(Buffer.from([1]))
      .update(referenceLeaves[0] as Buffer)
      .update(referenceLeaves[1] as Buffer)
      .digest();
    assert.deepEqual(nodeHash(referenceLeaves[0] as Buffer, referenceLeaves[1] as Buffer), expected);
  });

  test('produces the published audit paths, and they verify', () => {
    for (const [index, size, path] of referenceInclusion) {
      const proof = inclusionProof(referenceLeaves, index, size);
      assert.deepEqual(proof.map(hex), path, `leaf ${index} of ${size}`);
      const root = unhex(referenceRoots[size - 1] as string);
      assert.equal(verifyInclusion(referenceLeaves[index] as Buffer, index, size, proof, root), true);
      assert.equal(verifyInclusion(referenceLeaves[index] as Buffer, index + 1, size, proof, root), false);
      assert.equal(verifyInclusion(referenceLeaves[index] as Buffer, index, size * 2, proof, root), false);
      assert.equal(
        verifyInclusion(referenceLeaves[index] as Buffer, index, size, [...proof, root], root),
        false,
      );
      if (proof.length > 0) {
        assert.equal(
          verifyInclusion(referenceLeaves[index] as Buffer, index, size, proof.slice(1), root),
          false,
        );
      }
    }
  });

  test('produces the published consistency proofs, and they verify', () => {
    for (const [oldSize, newSize, path] of referenceConsistency) {
      const proof = consistencyProof(referenceLeaves, oldSize, newSize);
      assert.deepEqual(proof.map(hex), path, `${oldSize} -> ${newSize}`);
      const oldRoot = unhex(referenceRoots[oldSize - 1] as string);
      const newRoot = unhex(referenceRoots[newSize - 1] as string);
      assert.equal(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof), true);
      if (oldSize !== newSize) {
        assert.equal(verifyConsistency(oldSize, newSize, newRoot, oldRoot, proof), false, 'roots swapped');
        assert.equal(
          verifyConsistency(oldSize + 1, newSize, oldRoot, newRoot, proof),
          false,
          'wrong old size',
        );
        assert.equal(
          verifyConsistency(oldSize, newSize * 2, oldRoot, newRoot, proof),
          false,
          'wrong new size',
        );
        assert.equal(verifyConsistency(oldSize, newSize, oldRoot, newRoot, []), false, 'empty proof');
      }
    }
  });

  test('consistency edge cases: the empty tree, equal sizes, shrinking', () => {
    const root8 = unhex(referenceRoots[7] as string);
    const root3 = unhex(referenceRoots[2] as string);
    assert.equal(verifyConsistency(0, 8, emptyTreeRoot(), root8, []), true);
    assert.equal(verifyConsistency(8, 8, root8, root8, []), true);
    assert.equal(verifyConsistency(8, 8, root8, root3, []), false);
    assert.equal(verifyConsistency(8, 8, root8, root8, [root8]), false);
    assert.equal(verifyConsistency(8, 3, root8, root3, []), false);
  });

  test('agrees with the recursive definition for every size from 0 to 100', () => {
    const leaves = syntheticLeaves(100);
    for (let size = 0; size <= 100; size++) {
      assert.deepEqual(
        merkleRoot(leaves.slice(0, size)),
        referenceRoot(leaves.slice(0, size)),
        `size ${size}`,
      );
    }
  });

  test('every leaf of every tree up to 300 leaves proves its inclusion, and a flipped bit fails', () => {
    const leaves = syntheticLeaves(300);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(255), (size, pick, bit) => {
        const tree = leaves.slice(0, size);
        const root = merkleRoot(tree);
        for (let index = 0; index < size; index++) {
          const proof = inclusionProof(tree, index);
          assert.equal(verifyInclusion(tree[index] as Buffer, index, size, proof, root), true);
        }
        const index = pick % size;
        const proof = inclusionProof(tree, index);
        const leaf = tree[index] as Buffer;
        assert.equal(verifyInclusion(flipBit(leaf, bit), index, size, proof, root), false, 'leaf');
        assert.equal(verifyInclusion(leaf, index, size, proof, flipBit(root, bit)), false, 'root');
        if (proof.length > 0) {
          const node = pick % proof.length;
          const bent = proof.map((p, i) => (i === node ? flipBit(p, bit) : p));
          assert.equal(verifyInclusion(leaf, index, size, bent, root), false, 'proof');
        }
      }),
      { numRuns: 40 },
    );
  });

  test('every pair of sizes up to 300 leaves proves consistency, and a flipped bit fails', () => {
    const leaves = syntheticLeaves(300);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.nat(255),
        (a, b, bit) => {
          const [oldSize, newSize] = a <= b ? [a, b] : [b, a];
          const oldRoot = merkleRoot(leaves.slice(0, oldSize));
          const newRoot = merkleRoot(leaves.slice(0, newSize));
          const proof = consistencyProof(leaves, oldSize, newSize);
          assert.equal(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof), true);
          if (oldSize === newSize) return;
          assert.equal(verifyConsistency(oldSize, newSize, flipBit(oldRoot, bit), newRoot, proof), false);
          assert.equal(verifyConsistency(oldSize, newSize, oldRoot, flipBit(newRoot, bit), proof), false);
          const bent = proof.map((p, i) => (i === bit % proof.length ? flipBit(p, bit) : p));
          assert.equal(verifyConsistency(oldSize, newSize, oldRoot, newRoot, bent), false);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('a rewritten history is not consistent with the old root', () => {
    const leaves = syntheticLeaves(20);
    const rewritten = leaves.map((leaf, index) => (index === 3 ? leafHash(Buffer.from('forged')) : leaf));
    const proof = consistencyProof(rewritten, 10, 20);
    assert.equal(
      verifyConsistency(10, 20, merkleRoot(leaves.slice(0, 10)), merkleRoot(rewritten), proof),
      false,
    );
  });

  test('the accumulator gives the root at every size, and resumes from a saved frontier', () => {
    const leaves = syntheticLeaves(70);
    const accumulator = new MerkleAccumulator();
    assert.deepEqual(accumulator.root(), emptyTreeRoot());
    for (let size = 1; size <= 70; size++) {
      accumulator.append(leaves[size - 1] as Buffer);
      assert.equal(accumulator.rootHex(), hex(referenceRoot(leaves.slice(0, size))));
      if (size % 9 === 0) {
        const frontier = JSON.parse(JSON.stringify(accumulator.frontier()));
        const resumed = MerkleAccumulator.fromFrontier(frontier);
        for (const leaf of leaves.slice(size)) resumed.append(leaf);
        assert.deepEqual(resumed.root(), referenceRoot(leaves), `resumed at ${size}`);
      }
    }
  });

  test('a frontier that does not fit its size is refused', () => {
    assert.throws(
      () => MerkleAccumulator.fromFrontier({ size: 3, subtreeRoots: ['00'.repeat(32)] }),
      /a tree of 3 leaves has 2 subtree roots, not 1/,
    );
  });

  test('appendHex reads the same leaf as append', () => {
    const leaves = syntheticLeaves(13);
    const fromBytes = new MerkleAccumulator();
    const fromHex = new MerkleAccumulator();
    for (const leaf of leaves) {
      fromBytes.append(leaf);
      fromHex.appendHex(hex(leaf));
    }
    assert.equal(fromHex.rootHex(), fromBytes.rootHex());
    assert.throws(() => fromHex.appendHex('XYZ'), /64 lower-case hex digits/);
  });

  test('a million leaves fold in one pass within a few seconds', () => {
    const accumulator = new MerkleAccumulator();
    const leaf = Buffer.alloc(32);
    const started = performance.now();
    for (let index = 0; index < 1_000_000; index++) {
      leaf.writeUInt32BE(index, 0);
      accumulator.append(leaf);
    }
    const root = accumulator.rootHex();
    assert.equal(accumulator.size, 1_000_000);
    assert.match(root, /^[0-9a-f]{64}$/);
    // Generous: about 1 s on the 2-core CI machine; a recursive, copying implementation takes far longer.
    assert.ok(performance.now() - started < 20_000);
  });
});
