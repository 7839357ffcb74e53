import { isCanonicalJson } from './canonical-json.ts';

export const ACTOR_TYPES = ['user', 'client', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/**
 * One fact in the ledger. Entries are chained per stream (a case, a chain of identity) rather than
 * globally, so unrelated writers never queue behind one hot row; `prevHash` links an entry to the
 * previous one of the same stream and `hash` commits to every other field.
 */
export type LedgerEntry = {
  id: string;
  /** e.g. `case:<uuid>`; the unit of ordering and of hash chaining. */
  stream: string;
  /** 1, 2, 3, ... within the stream, without gaps. */
  seq: number;
  /** Server time, ISO-8601 UTC with milliseconds: `2026-11-22T10:00:00.123Z`. */
  recordedAt: string;
  actorType: ActorType;
  actorId: string | null;
  actorPartnerId: string | null;
  actorRole: string | null;
  action: string;
  recordType: string;
  recordId: string;
  /** Canonical JSON text of the record before the change; null when the record is created. */
  before: string | null;
  /** Canonical JSON text of the record after the change; null when the record is removed. */
  after: string | null;
  reason: string | null;
  /** 64 lower-case hex digits; all zeros for seq 1. */
  prevHash: string;
  /** 64 lower-case hex digits: the RFC 9162 leaf hash of the entry's payload (see entry-hash.ts). */
  hash: string;
};

export type UnhashedLedgerEntry = Omit<LedgerEntry, 'hash'>;

export const GENESIS_PREV_HASH = '0'.repeat(64);

export const HEX_HASH = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MILLIS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** True for `2026-11-22T10:00:00.123Z` and only for real instants written exactly that way. */
export function isIsoMillisUtc(value: string): boolean {
  if (!ISO_MILLIS_UTC.test(value)) return false;
  const time = Date.parse(value);
  // Date.parse rolls 2026-02-30 over to March; the round trip catches it.
  return Number.isFinite(time) && new Date(time).toISOString() === value;
}

/** `recordedAt` for an instant, in the one spelling the ledger accepts. */
export function ledgerTimestamp(instant: Date): string {
  return instant.toISOString();
}

const nullableStrings = ['actorId', 'actorPartnerId', 'actorRole', 'reason'] as const;
const requiredStrings = ['stream', 'action', 'recordType', 'recordId'] as const;

/**
 * Everything wrong with an entry that is about to be appended, one phrase per problem (empty when
 * the entry is well formed). Checked at write time so that what gets hashed is always well formed;
 * verification later only has to check that nothing changed.
 */
export function ledgerEntryProblems(entry: UnhashedLedgerEntry | LedgerEntry): string[] {
  const problems: string[] = [];
  const fields = entry as Record<string, unknown>;
  if (typeof entry.id !== 'string' || !UUID.test(entry.id)) problems.push('id must be a lower-case uuid');
  for (const name of requiredStrings) {
    const value = fields[name];
    if (typeof value !== 'string' || value.length === 0) problems.push(`${name} must be a non-empty string`);
  }
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 1) problems.push('seq must be a whole number from 1');
  if (typeof entry.recordedAt !== 'string' || !isIsoMillisUtc(entry.recordedAt)) {
    problems.push('recordedAt must be ISO-8601 UTC with milliseconds, e.g. 2026-11-22T10:00:00.123Z');
  }
  if (!(ACTOR_TYPES as readonly unknown[]).includes(entry.actorType)) {
    problems.push(`actorType must be one of ${ACTOR_TYPES.join(', ')}`);
  }
  for (const name of nullableStrings) {
    const value = fields[name];
    if (value !== null && typeof value !== 'string') problems.push(`${name} must be a string or null`);
  }
  if (entry.actorType === 'user' && entry.actorId === null)
    problems.push('a user entry must name its actorId');
  for (const name of ['before', 'after'] as const) {
    const value = entry[name];
    if (value === null) continue;
    if (typeof value !== 'string' || !isCanonicalJson(value)) {
      problems.push(`${name} must be canonical JSON text (see canonicalJson) or null`);
    }
  }
  if (typeof entry.prevHash !== 'string' || !HEX_HASH.test(entry.prevHash)) {
    problems.push('prevHash must be 64 lower-case hex digits');
  } else if (entry.seq === 1 && entry.prevHash !== GENESIS_PREV_HASH) {
    problems.push('prevHash of seq 1 must be all zeros');
  }
  if ('hash' in entry && (typeof entry.hash !== 'string' || !HEX_HASH.test(entry.hash))) {
    problems.push('hash must be 64 lower-case hex digits');
  }
  return problems;
}
