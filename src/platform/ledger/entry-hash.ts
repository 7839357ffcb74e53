import { hash } from 'node:crypto';
import { ACTOR_TYPES, HEX_HASH, type LedgerEntry, type UnhashedLedgerEntry } from './ledger-entry.ts';

export const ENTRY_PAYLOAD_VERSION = 'cellway-ledger-v1';

/**
 * The order of the payload array. The chain fields come first so an offline verifier can find them
 * at fixed offsets without parsing the whole entry (see offline-verify.ts).
 */
export const ENTRY_PAYLOAD_FIELDS = [
  'version',
  'prevHash',
  'stream',
  'seq',
  'id',
  'recordedAt',
  'actorType',
  'actorId',
  'actorPartnerId',
  'actorRole',
  'action',
  'recordType',
  'recordId',
  'before',
  'after',
  'reason',
] as const;

export class EntryEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntryEncodingError';
  }
}

/**
 * The bytes an entry's hash commits to: every field except `hash`, as the UTF-8 of a JSON array
 * `["cellway-ledger-v1", prevHash, stream, seq, id, ...]` (order: ENTRY_PAYLOAD_FIELDS). JSON string
 * quoting makes the encoding injective: no bytes can move from one field into another, and a string
 * can never be confused with null or a number. The version tag lets a future encoding coexist.
 *
 * Only types are checked here (they decide the bytes); formats are ledgerEntryProblems' job.
 */
export function entryPayload(entry: UnhashedLedgerEntry | LedgerEntry): Buffer {
  return Buffer.from(entryPayloadText(entry), 'utf8');
}

export function entryPayloadText(entry: UnhashedLedgerEntry | LedgerEntry): string {
  const e = entry;
  str(e.id, 'id');
  str(e.stream, 'stream');
  if (!Number.isSafeInteger(e.seq) || e.seq < 1)
    throw new EntryEncodingError('seq must be a whole number from 1');
  str(e.recordedAt, 'recordedAt');
  if (!(ACTOR_TYPES as readonly unknown[]).includes(e.actorType)) {
    throw new EntryEncodingError(`actorType must be one of ${ACTOR_TYPES.join(', ')}`);
  }
  strOrNull(e.actorId, 'actorId');
  strOrNull(e.actorPartnerId, 'actorPartnerId');
  strOrNull(e.actorRole, 'actorRole');
  str(e.action, 'action');
  str(e.recordType, 'recordType');
  str(e.recordId, 'recordId');
  strOrNull(e.before, 'before');
  strOrNull(e.after, 'after');
  strOrNull(e.reason, 'reason');
  if (typeof e.prevHash !== 'string' || !HEX_HASH.test(e.prevHash)) {
    throw new EntryEncodingError('prevHash must be 64 lower-case hex digits');
  }
  return JSON.stringify([
    ENTRY_PAYLOAD_VERSION,
    e.prevHash,
    e.stream,
    e.seq,
    e.id,
    e.recordedAt,
    e.actorType,
    e.actorId,
    e.actorPartnerId,
    e.actorRole,
    e.action,
    e.recordType,
    e.recordId,
    e.before,
    e.after,
    e.reason,
  ]);
}

/** The inverse of entryPayloadText: the fields of a payload read back with JSON.parse. */
export function entryFromPayload(payload: unknown): UnhashedLedgerEntry {
  if (!Array.isArray(payload) || payload.length !== ENTRY_PAYLOAD_FIELDS.length) {
    throw new EntryEncodingError(`an entry payload is an array of ${ENTRY_PAYLOAD_FIELDS.length} fields`);
  }
  if (payload[0] !== ENTRY_PAYLOAD_VERSION) {
    throw new EntryEncodingError(`entry payload version ${String(payload[0])} is not supported`);
  }
  const [, prevHash, stream, seq, id, recordedAt, actorType, actorId, actorPartnerId, actorRole, action] =
    payload;
  const [recordType, recordId, before, after, reason] = payload.slice(11);
  const entry = {
    id,
    stream,
    seq,
    recordedAt,
    actorType,
    actorId,
    actorPartnerId,
    actorRole,
    action,
    recordType,
    recordId,
    before,
    after,
    reason,
    prevHash,
  } as UnhashedLedgerEntry;
  // Re-encoding checks every type; and a payload that does not re-encode to itself is not canonical.
  entryPayloadText(entry);
  return entry;
}

// A lone surrogate would hash fine (JSON.stringify escapes it) but PostgreSQL text cannot store it,
// so the stored entry would no longer match its hash: refuse it when the entry is written.
const loneSurrogate = /[\uD800-\uDFFF]/u;
const isWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

function str(value: unknown, name: string): void {
  if (typeof value !== 'string') throw new EntryEncodingError(`${name} must be a string`);
  // isWellFormed (Node >= 20) answers at once for strings V8 stores as one byte per character.
  const wellFormed = isWellFormed ? isWellFormed.call(value) : !loneSurrogate.test(value);
  if (!wellFormed) throw new EntryEncodingError(`${name} contains a lone surrogate`);
}

function strOrNull(value: unknown, name: string): void {
  if (value !== null) str(value, name);
}

const LEAF_PREFIX = Buffer.from([0x00]);

/**
 * SHA-256(0x00 || payload): the entry hash is the RFC 9162 Merkle leaf hash of its payload, so a
 * checkpoint's tree is built straight from stored entry hashes and nothing is hashed twice.
 */
export function entryHash(entry: UnhashedLedgerEntry | LedgerEntry): Buffer {
  return leafHashOfPayload(entryPayload(entry));
}

export function entryHashHex(entry: UnhashedLedgerEntry | LedgerEntry): string {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, entryPayload(entry)]), 'hex');
}

export function leafHashOfPayload(payload: Uint8Array): Buffer {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, payload]), 'buffer');
}

/** Completes an entry by computing its hash; throws EntryEncodingError if a field has the wrong type. */
export function sealEntry(entry: UnhashedLedgerEntry): LedgerEntry {
  return { ...entry, hash: entryHashHex(entry) };
}
