import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { inclusionProofs } from './batch-inclusion.ts';
import {
  type Checkpoint,
  generateInstallationKeyPair,
  keyIdOf,
  ledgerOrigin,
  signCheckpoint,
} from './checkpoint.ts';
import { exampleLedger } from './example-ledger.ts';
import { exportHeader, headerLine } from './export-file.ts';
import type { LedgerEntry } from './ledger-entry.ts';
import { merkleRoot } from './merkle-tree.ts';
import { ledgerFileFormat } from './offline-verify.ts';
import {
  buildProofBundle,
  type EntryProof,
  looksLikeProofBundle,
  ProofBundleError,
  type ProofBundleSource,
  verifyProofBundle,
} from './proof-bundle.ts';

const keys = generateInstallationKeyPair();
const origin = ledgerOrigin('dossier-test');

/** A whole ledger, a checkpoint over all of it, and a bundle of `pick` of its streams. */
function sourceFor(
  ledger: LedgerEntry[],
  pick: string[],
  overrides: Partial<ProofBundleSource> = {},
  signer = keys,
): ProofBundleSource {
  const leaves = ledger.map((entry) => Buffer.from(entry.hash, 'hex'));
  const checkpoint: Checkpoint = signCheckpoint(
    {
      origin,
      treeSize: leaves.length,
      rootHash: merkleRoot(leaves).toString('hex'),
      issuedAt: '2026-11-22T12:00:00.000Z',
    },
    signer.privateKeyPem,
  );
  const entries = ledger.filter((entry) => pick.includes(entry.stream));
  const indexOf = new Map(ledger.map((entry, index) => [entry.id, index]));
  const paths = inclusionProofs(
    leaves,
    entries.map((entry) => indexOf.get(entry.id) as number),
  );
  const proofs = new Map<string, EntryProof>(
    entries.map((entry) => {
      const leafIndex = indexOf.get(entry.id) as number;
      return [
        entry.id,
        { leafIndex, proof: (paths.get(leafIndex) ?? []).map((node) => node.toString('hex')) },
      ];
    }),
  );
  return {
    origin,
    publicKeyPem: signer.publicKeyPem,
    privateKeyPem: signer.privateKeyPem,
    generatedAt: '2026-11-22T12:30:00.000Z',
    subject: { title: 'Custody dossier CASE-1', caseReference: 'CASE-1' },
    streams: pick,
    entries,
    checkpoint,
    proofs,
    ...overrides,
  };
}

const ledger = exampleLedger({ entries: 40, streams: 5, unusualStreams: true });
const streams = [...new Set(ledger.map((entry) => entry.stream))];
const picked = [streams[1] as string, streams[5] as string];

function reasonOf(bytes: Uint8Array, options = {}): string {
  const result = verifyProofBundle(bytes, options);
  assert.equal(result.ok, false, 'verification should fail');
  return result.ok ? '' : result.firstError.reason;
}

describe('ledger proof bundle (the dossier file format)', () => {
  it('verifies the streams of one case against the signed checkpoint, with the embedded or the trusted key', () => {
    const text = buildProofBundle(sourceFor(ledger, picked));
    assert.ok(looksLikeProofBundle(text.slice(0, text.indexOf('\n'))));
    const result = verifyProofBundle(Buffer.from(text), { trustedPublicKeyPem: keys.publicKeyPem });
    assert.ok(result.ok, JSON.stringify(result));
    const expected = ledger.filter((entry) => picked.includes(entry.stream)).length;
    assert.equal(result.entries, expected);
    assert.deepEqual(
      result.streams.map((s) => s.name),
      picked,
    );
    assert.equal(result.checkpoint.treeSize, ledger.length);
    assert.equal(result.subject.title, 'Custody dossier CASE-1');
  });

  it('is the same bytes for the same source', () => {
    assert.equal(buildProofBundle(sourceFor(ledger, picked)), buildProofBundle(sourceFor(ledger, picked)));
  });

  it('fails when ANY single byte changes, whitespace and newlines included', () => {
    const small = exampleLedger({ entries: 6, streams: 2 });
    const names = [...new Set(small.map((entry) => entry.stream))];
    const bytes = Buffer.from(buildProofBundle(sourceFor(small, [names[0] as string])));
    assert.ok(verifyProofBundle(bytes).ok);
    for (let at = 0; at < bytes.length; at++) {
      const changed = Buffer.from(bytes);
      changed[at] = (changed[at] as number) ^ 0x01;
      assert.equal(verifyProofBundle(changed).ok, false, `flipping bit 0 of byte ${at} went unnoticed`);
    }
  });

  it('fails for any replacement byte at any position (sampled), and for a byte added or removed', () => {
    const bytes = Buffer.from(buildProofBundle(sourceFor(ledger, picked)));
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, value) => {
        fc.pre(bytes[at] !== value);
        const changed = Buffer.from(bytes);
        changed[at] = value;
        assert.equal(verifyProofBundle(changed).ok, false);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), (at) => {
        assert.equal(
          verifyProofBundle(Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)])).ok,
          false,
        );
        assert.equal(
          verifyProofBundle(Buffer.concat([bytes.subarray(0, at), Buffer.from(' '), bytes.subarray(at)])).ok,
          false,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('names the problem: a changed entry, a dropped entry, a forged re-signature, another key', () => {
    const text = buildProofBundle(sourceFor(ledger, picked));
    const lines = text.split('\n');
    const changedEntry = lines
      .map((line, i) => (i === 3 ? line.replace('case_step', 'case_stop') : line))
      .join('\n');
    assert.match(reasonOf(Buffer.from(changedEntry)), /hash does not match its content/);

    const dropped = lines.filter((_, i) => i !== 4).join('\n');
    assert.match(reasonOf(Buffer.from(dropped)), /lines were removed or added/);

    // A forger without the installation key can only sign a rewritten ledger with another key: it
    // checks out against the key it carries, and the verifier reports that key; the trusted key exposes it.
    const shortened = ledger.filter((e) => !(e.stream === picked[0] && e.seq === 3));
    assert.throws(() => buildProofBundle(sourceFor(shortened, picked)), ProofBundleError);
    const forger = generateInstallationKeyPair();
    const forged = Buffer.from(buildProofBundle(sourceFor(ledger, picked, {}, forger)));
    const untrusted = verifyProofBundle(forged);
    assert.ok(untrusted.ok, 'integrity holds against the key the file carries');
    assert.equal(untrusted.keyId, keyIdOf(forger.publicKeyPem), 'and the verifier names that key');
    assert.match(
      reasonOf(forged, { trustedPublicKeyPem: keys.publicKeyPem }),
      /not with the trusted installation key/,
    );
    assert.throws(
      () => buildProofBundle(sourceFor(ledger, picked, { privateKeyPem: forger.privateKeyPem })),
      /signing key is not the key the bundle names/,
    );

    const truncated = text.slice(0, text.lastIndexOf('{"end"'));
    assert.match(reasonOf(Buffer.from(truncated)), /lines were removed or added|end line/);
    assert.match(reasonOf(Buffer.from(text.slice(0, -1))), /no newline/);
  });

  it('refuses to build a bundle that would not verify', () => {
    const source = sourceFor(ledger, picked);
    const firstId = source.entries[0]?.id as string;
    const proofs = new Map(source.proofs);
    proofs.set(firstId, { leafIndex: 0, proof: [] });
    assert.throws(() => buildProofBundle({ ...source, proofs }), /inclusion proof does not lead/);
    assert.throws(() => buildProofBundle({ ...source, streams: [picked[0] as string] }), /unlisted stream/);
  });

  it('is told apart from a whole-ledger export by its first line (how the CLI picks the verifier)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-bundle-'));
    try {
      const bundle = path.join(dir, 'dossier.ndjson');
      fs.writeFileSync(bundle, buildProofBundle(sourceFor(ledger, picked)));
      const exported = path.join(dir, 'export.ndjson');
      const header = exportHeader({
        origin,
        publicKeyPem: keys.publicKeyPem,
        exportedAt: '2026-11-22T12:00:00.000Z',
      });
      fs.writeFileSync(exported, `${headerLine(header)}\n`);
      assert.equal(await ledgerFileFormat(bundle), 'proof-bundle');
      assert.equal(await ledgerFileFormat(exported), 'export');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
