import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { verifyChains } from './chain-verify.ts';
import {
  ENTRY_PAYLOAD_FIELDS,
  EntryEncodingError,
  entryFromPayload,
  entryHash,
  entryHashHex,
  entryPayload,
  entryPayloadText,
  sealEntry,
} from './entry-hash.ts';
import { exampleLedger } from './example-ledger.ts';
import {
  GENESIS_PREV_HASH,
  isIsoMillisUtc,
  ledgerEntryProblems,
  type UnhashedLedgerEntry,
} from './ledger-entry.ts';

const opened: UnhashedLedgerEntry = {
  id: '6f1c2a3b-1111-4222-8333-944445555666',
  stream: 'case:0b7e9d4c-2222-4333-8444-555566667777',
  seq: 1,
  recordedAt: '2026-11-22T10:00:00.123Z',
  actorType: 'user',
  actorId: 'a1b2c3d4-0000-4000-8000-000000000001',
  actorPartnerId: null,
  actorRole: 'case-coordinator',
  action: 'case.opened',
  recordType: 'case',
  recordId: '0b7e9d4c-2222-4333-8444-555566667777',
  before: null,
  after: '{"status":"open"}',
  reason: null,
  prevHash: GENESIS_PREV_HASH,
};

// A value of the right type but different from the one in `opened`, for every field.
const changed: { [K in keyof UnhashedLedgerEntry]: UnhashedLedgerEntry[K] } = {
  id: '6f1c2a3b-1111-4222-8333-944445555667',
  stream: 'case:0b7e9d4c-2222-4333-8444-555566667778',
  seq: 2,
  recordedAt: '2026-11-22T10:00:00.124Z',
  actorType: 'system',
  actorId: null,
  actorPartnerId: 'a1b2c3d4-0000-4000-8000-000000000002',
  actorRole: null,
  action: 'case.closed',
  recordType: 'custody_item',
  recordId: '0b7e9d4c-2222-4333-8444-555566667778',
  before: '{}',
  after: null,
  reason: 'Duplicate case',
  prevHash: 'f'.repeat(64),
};

describe('entry payload and hash', () => {
  test('is pinned: this entry hashes to this value in every version of Cellway', () => {
    // Changing the encoding would break every chain already stored; a new encoding needs a new version tag.
    assert.equal(
      entryPayloadText(opened),
      '["cellway-ledger-v1","0000000000000000000000000000000000000000000000000000000000000000",' +
        '"case:0b7e9d4c-2222-4333-8444-555566667777",1,"6f1c2a3b-1111-4222-8333-944445555666",' +
        '"2026-11-22T10:00:00.123Z","user","a1b2c3d4-0000-4000-8000-000000000001",null,"case-coordinator",' +
        '"case.opened","case","0b7e9d4c-2222-4333-8444-555566667777",null,"{\\"status\\":\\"open\\"}",null]',
    );
    assert.equal(entryHashHex(opened), '8c348ea7a6a5935e36ca7b8a0c85861f944d036158cfaffb96dc06b7dc797635');
  });

  test('the entry hash is the RFC 9162 leaf hash SHA-256(0x00 || payload)', () => {
    const expected = createHash('sha256')
      .update(Buffer.from([0]))
      .update(entryPayload(opened))
      .digest();
    assert.deepEqual(entryHash(opened), expected);
    assert.equal(entryHashHex(opened), expected.toString('hex'));
  });

  for (const field of Object.keys(changed) as Array<keyof UnhashedLedgerEntry>) {
    test(`changing ${field} changes the hash`, () => {
      const tampered = { ...opened, [field]: changed[field] };
      assert.notEqual(entryHashHex(tampered), entryHashHex(opened));
    });
  }

  test('bytes cannot move from one field into the next and keep the payload', () => {
    const a = { ...opened, action: 'case.open', recordType: 'edcase' };
    const b = { ...opened, action: 'case.opened', recordType: 'case' };
    assert.notEqual(entryPayloadText(a), entryPayloadText(b));
    const quoteInside = { ...opened, action: 'a","b', recordType: 'c' };
    const quoteSplit = { ...opened, action: 'a', recordType: 'b","c' };
    assert.notEqual(entryPayloadText(quoteInside), entryPayloadText(quoteSplit));
    assert.notEqual(
      entryPayloadText({ ...opened, reason: 'null' }),
      entryPayloadText({ ...opened, reason: null }),
    );
  });

  const arbitraryEntry = fc.record({
    id: fc.uuid(),
    stream: fc.string({ minLength: 1 }),
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    recordedAt: fc.constant('2026-11-22T10:00:00.123Z'),
    actorType: fc.constantFrom('user' as const, 'client' as const, 'system' as const),
    actorId: fc.option(fc.string()),
    actorPartnerId: fc.option(fc.string()),
    actorRole: fc.option(fc.string()),
    action: fc.string(),
    recordType: fc.string(),
    recordId: fc.string(),
    before: fc.option(fc.string()),
    after: fc.option(fc.string()),
    reason: fc.option(fc.string({ unit: 'grapheme' })),
    prevHash: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
  });

  test('the payload decodes back to exactly the entry (so distinct entries have distinct payloads)', () => {
    fc.assert(
      fc.property(arbitraryEntry, (entry) => {
        assert.deepEqual(entryFromPayload(JSON.parse(entryPayloadText(entry))), { ...entry });
      }),
    );
  });

  test('the payload has one element per documented field, version first', () => {
    const payload = JSON.parse(entryPayloadText(opened)) as unknown[];
    assert.equal(payload.length, ENTRY_PAYLOAD_FIELDS.length);
    assert.equal(payload[0], 'cellway-ledger-v1');
    assert.equal(payload[ENTRY_PAYLOAD_FIELDS.indexOf('stream')], opened.stream);
    assert.equal(payload[ENTRY_PAYLOAD_FIELDS.indexOf('reason')], opened.reason);
  });

  const wrongTypes: Array<[string, Partial<Record<keyof UnhashedLedgerEntry, unknown>>, RegExp]> = [
    ['seq 0', { seq: 0 }, /seq must be a whole number from 1/],
    ['seq 1.5', { seq: 1.5 }, /seq must be a whole number from 1/],
    ['a number for a string', { recordId: 42 }, /recordId must be a string/],
    ['undefined reason', { reason: undefined }, /reason must be a string/],
    ['an unknown actor type', { actorType: 'robot' }, /actorType must be one of user, client, system/],
    ['an upper-case prev hash', { prevHash: 'A'.repeat(64) }, /prevHash must be 64 lower-case hex digits/],
    ['a lone surrogate', { reason: 'x\uDC00' }, /reason contains a lone surrogate/],
  ];
  for (const [what, patch, message] of wrongTypes) {
    test(`refuses to hash an entry with ${what}`, () => {
      assert.throws(
        () => sealEntry({ ...opened, ...patch } as UnhashedLedgerEntry),
        (error: unknown) => {
          assert.ok(error instanceof EntryEncodingError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe('entry validation at write time', () => {
  test('a well-formed entry has no problems', () => {
    assert.deepEqual(ledgerEntryProblems(sealEntry(opened)), []);
  });

  test('names every malformed field', () => {
    const problems = ledgerEntryProblems({
      ...opened,
      id: 'not-a-uuid',
      stream: '',
      recordedAt: '2026-11-22 10:00:00',
      actorId: null,
      before: '{"b":1,"a":2}',
      prevHash: 'f'.repeat(64),
    });
    assert.deepEqual(problems, [
      'id must be a lower-case uuid',
      'stream must be a non-empty string',
      'recordedAt must be ISO-8601 UTC with milliseconds, e.g. 2026-11-22T10:00:00.123Z',
      'a user entry must name its actorId',
      'before must be canonical JSON text (see canonicalJson) or null',
      'prevHash of seq 1 must be all zeros',
    ]);
  });

  test('recordedAt must be a real instant written with milliseconds in UTC', () => {
    assert.equal(isIsoMillisUtc('2026-11-22T10:00:00.123Z'), true);
    assert.equal(isIsoMillisUtc('2026-02-30T10:00:00.000Z'), false);
    assert.equal(isIsoMillisUtc('2026-11-22T10:00:00Z'), false);
    assert.equal(isIsoMillisUtc('2026-11-22T11:00:00.000+01:00'), false);
  });
});

describe('example ledger', () => {
  test('is well formed, chained and deterministic', () => {
    const first = exampleLedger({ entries: 200, streams: 6, unusualStreams: true });
    for (const entry of first) assert.deepEqual(ledgerEntryProblems(entry), [], entry.id);
    assert.equal(verifyChains(first), null);
    assert.deepEqual(exampleLedger({ entries: 200, streams: 6, unusualStreams: true }), first);
  });
});
