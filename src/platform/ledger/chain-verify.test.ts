import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ChainVerifier, verifyChains } from './chain-verify.ts';
import { sealEntry } from './entry-hash.ts';
import { exampleLedger } from './example-ledger.ts';
import type { LedgerEntry } from './ledger-entry.ts';

// 40 entries over 3 streams, interleaved: each stream has 13 or 14 entries.
const ledger = exampleLedger({ entries: 40, streams: 3 });

function bySeq(entries: LedgerEntry[], stream: string, seq: number): LedgerEntry {
  const found = entries.find((entry) => entry.stream === stream && entry.seq === seq);
  if (!found) throw new Error(`no ${stream} #${seq}`);
  return found;
}

const streamA = (ledger[0] as LedgerEntry).stream;
const replacements: { [K in keyof LedgerEntry]: (entry: LedgerEntry) => LedgerEntry[K] } = {
  id: (entry) => entry.id.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
  stream: (entry) => `${entry.stream}x`,
  seq: (entry) => entry.seq + 100,
  recordedAt: () => '2030-01-01T00:00:00.000Z',
  actorType: (entry) => (entry.actorType === 'system' ? 'user' : 'system'),
  actorId: (entry) => (entry.actorId === null ? 'someone' : null),
  actorPartnerId: (entry) => (entry.actorPartnerId === null ? 'partner' : null),
  actorRole: (entry) => (entry.actorRole === null ? 'admin' : null),
  action: () => 'case.deleted',
  recordType: () => 'patient',
  recordId: (entry) => `${entry.recordId}0`,
  before: (entry) => (entry.before === null ? '{}' : null),
  after: () => '{"status":"forged"}',
  reason: (entry) => (entry.reason === null ? 'because' : null),
  prevHash: () => 'a'.repeat(64),
  hash: () => 'b'.repeat(64),
};

describe('hash chains per stream', () => {
  test('an untouched ledger verifies, streams interleaved in any way', () => {
    assert.equal(verifyChains(ledger), null);
    const verifier = new ChainVerifier();
    for (const entry of ledger) assert.equal(verifier.add(entry), null);
    assert.equal(verifier.entries, 40);
    assert.equal(verifier.streams, 3);
    // Streams one after another instead of interleaved: still each in seq order, still fine.
    const grouped = [...ledger].sort((a, b) => a.stream.localeCompare(b.stream) || a.seq - b.seq);
    assert.equal(verifyChains(grouped), null);
  });

  for (const field of Object.keys(replacements) as Array<keyof LedgerEntry>) {
    test(`changing ${field} of any one entry is caught and that entry is named`, () => {
      for (let index = 0; index < ledger.length; index++) {
        const target = ledger[index] as LedgerEntry;
        const tampered = ledger.map((entry, i) =>
          i === index ? { ...entry, [field]: replacements[field](entry) } : entry,
        );
        const broken = verifyChains(tampered);
        assert.ok(broken, `a changed ${field} on entry ${index} went unnoticed`);
        assert.equal(broken.entryId, field === 'id' ? replacements.id(target) : target.id);
        assert.equal(broken.reason, 'hash does not match its content');
      }
    });
  }

  test('a deleted entry is named by the one that follows it', () => {
    const gone = bySeq(ledger, streamA, 5);
    const next = bySeq(ledger, streamA, 6);
    const broken = verifyChains(ledger.filter((entry) => entry !== gone));
    assert.deepEqual(broken, {
      entryId: next.id,
      stream: streamA,
      seq: 6,
      reason: 'seq 6 follows 4: seq 5 missing',
    });
  });

  test('deleting the first entry of a stream is caught', () => {
    const broken = verifyChains(ledger.filter((entry) => entry !== bySeq(ledger, streamA, 1)));
    assert.equal(broken?.reason, 'stream starts at seq 2: seq 1 to 1 missing');
  });

  test('two entries of a stream swapped are caught', () => {
    const third = bySeq(ledger, streamA, 3);
    const fourth = bySeq(ledger, streamA, 4);
    const swapped = ledger.map((entry) => (entry === third ? fourth : entry === fourth ? third : entry));
    assert.deepEqual(verifyChains(swapped), {
      entryId: fourth.id,
      stream: streamA,
      seq: 4,
      reason: 'seq 4 follows 2: seq 3 missing',
    });
  });

  test('an entry re-sealed with a wrong prev hash is caught as a broken link', () => {
    // Someone who can recompute hashes rewrites entry 5 to point elsewhere: its own hash is consistent.
    const target = bySeq(ledger, streamA, 5);
    const forged = sealEntry({ ...target, prevHash: 'c'.repeat(64) });
    const broken = verifyChains(ledger.map((entry) => (entry === target ? forged : entry)));
    assert.deepEqual(broken, {
      entryId: target.id,
      stream: streamA,
      seq: 5,
      reason: 'prev_hash does not link to seq 4',
    });
  });

  test('a re-sealed edit is caught at the next entry, whose link no longer holds', () => {
    const target = bySeq(ledger, streamA, 5);
    const forged = sealEntry({ ...target, after: '{"status":"forged"}' });
    const broken = verifyChains(ledger.map((entry) => (entry === target ? forged : entry)));
    assert.equal(broken?.entryId, bySeq(ledger, streamA, 6).id);
    assert.equal(broken?.reason, 'prev_hash does not link to seq 5');
  });

  test('a duplicated entry is caught', () => {
    const fifth = bySeq(ledger, streamA, 5);
    const duplicated = ledger.flatMap((entry) => (entry === fifth ? [entry, entry] : [entry]));
    assert.equal(verifyChains(duplicated)?.reason, 'seq 5 repeats: duplicate entry');
  });

  test('a malformed entry is named, not thrown', () => {
    const target = bySeq(ledger, streamA, 2);
    const malformed = { ...target, seq: '2' } as unknown as LedgerEntry;
    const broken = verifyChains(ledger.map((entry) => (entry === target ? malformed : entry)));
    assert.equal(broken?.entryId, target.id);
    assert.match(broken?.reason ?? '', /^entry is malformed: seq must be a whole number from 1/);
  });

  test('it keeps reporting the first break', () => {
    const verifier = new ChainVerifier();
    const first = verifier.add({ ...(ledger[0] as LedgerEntry), hash: 'd'.repeat(64) });
    assert.ok(first);
    assert.equal(verifier.add(ledger[1] as LedgerEntry), first);
    assert.equal(verifier.firstBreak, first);
  });

  test('can resume a stream from an entry verified earlier', () => {
    const stream = streamA;
    const fourth = bySeq(ledger, stream, 4);
    const verifier = new ChainVerifier();
    verifier.resumeFrom(stream, 4, fourth.hash);
    for (const entry of ledger.filter((e) => e.stream === stream && e.seq > 4)) {
      assert.equal(verifier.add(entry), null);
    }
    assert.equal(verifier.head(stream)?.seq, ledger.filter((e) => e.stream === stream).length);
    const wrongStart = new ChainVerifier();
    wrongStart.resumeFrom(stream, 4, 'e'.repeat(64));
    assert.equal(wrongStart.add(bySeq(ledger, stream, 5))?.reason, 'prev_hash does not link to seq 4');
  });

  test('any single deletion, swap or edit anywhere is caught', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(39) }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat(39) }),
      fc.record({
        kind: fc.constant('edit' as const),
        at: fc.nat(39),
        field: fc.constantFrom(...(Object.keys(replacements) as Array<keyof LedgerEntry>)),
      }),
    );
    fc.assert(
      fc.property(mutation, (change) => {
        const entries = [...ledger];
        const target = entries[change.at] as LedgerEntry;
        const isLastOfStream = !entries.some((e) => e.stream === target.stream && e.seq > target.seq);
        if (change.kind === 'delete') {
          // Removing the newest entry of a stream leaves a shorter, intact chain: only a checkpoint
          // covering it can tell (see offline-verify.test.ts).
          fc.pre(!isLastOfStream);
          entries.splice(change.at, 1);
        }
        if (change.kind === 'edit') {
          const entry = entries[change.at] as LedgerEntry;
          entries[change.at] = { ...entry, [change.field]: replacements[change.field](entry) };
        }
        if (change.kind === 'swap') {
          // Swapping with the next entry of the same stream. (Swapping entries of different streams
          // keeps every chain in order; the Merkle tree over the global order catches that instead.)
          fc.pre(!isLastOfStream);
          const next = entries.findIndex((e) => e.stream === target.stream && e.seq === target.seq + 1);
          entries[change.at] = entries[next] as LedgerEntry;
          entries[next] = target;
        }
        assert.notEqual(verifyChains(entries), null);
      }),
      { numRuns: 300 },
    );
  });
});
