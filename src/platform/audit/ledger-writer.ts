import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Actor } from '../access/actor.ts';
import type { Database } from '../db/database.ts';
import type { Schema } from '../db/schema.ts';
import type { Tx } from '../db/transaction.ts';
import { canonicalJson } from '../ledger/canonical-json.ts';
import { sealEntry } from '../ledger/entry-hash.ts';
import { type LedgerEntry, ledgerTimestamp } from '../ledger/ledger-entry.ts';

/** One regulated change, as a capability describes it. */
export type LedgerAppend = {
  /** The hash chain this entry joins, e.g. `case:<id>`, `user:<id>`, `partner:<id>`. */
  stream: string;
  actor: Actor;
  /** The role the actor acted in; defaults to all the roles they hold. */
  actingRole?: string;
  /** What happened, as a verb phrase in snake case: `case.opened`, `user.locked_out`. */
  action: string;
  recordType: string;
  recordId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

function actorColumns(actor: Actor, actingRole: string | undefined) {
  if (actor.kind === 'system')
    return { actorType: 'system' as const, actorId: actor.id, actorPartnerId: null, actorRole: null };
  return {
    actorType: actor.kind,
    actorId: actor.id,
    actorPartnerId: actor.partnerId,
    actorRole: actingRole ?? actor.roles.join('+'),
  };
}

const asText = (value: unknown) => (value === undefined || value === null ? null : canonicalJson(value));

export class LedgerEncodingMismatch extends Error {}

/**
 * Appends to the ledger inside the caller's transaction, so the entry exists exactly when the
 * change it records does. One round trip (ledger_append in migrations/0002_ledger.sql); only
 * writers of the same stream wait for each other, never writers of unrelated streams.
 */
export async function appendLedgerEntry(
  trx: Tx,
  change: LedgerAppend,
  now = new Date(),
): Promise<LedgerEntry> {
  return append(trx, change, now);
}

/**
 * An entry that records nothing but itself (a refused sign-in, a data export, a dead-lettered job):
 * one statement, atomic on its own (ledger_append locks, reads and inserts in one call), so no
 * transaction round trips are spent on it.
 */
export async function appendStandaloneLedgerEntry(
  database: Database,
  change: LedgerAppend,
  now = new Date(),
): Promise<LedgerEntry> {
  return append(database.db, change, now);
}

async function append(db: Kysely<Schema>, change: LedgerAppend, now: Date): Promise<LedgerEntry> {
  const fields = {
    id: randomUUID(),
    stream: change.stream,
    recordedAt: ledgerTimestamp(now),
    ...actorColumns(change.actor, change.actingRole),
    action: change.action,
    recordType: change.recordType,
    recordId: change.recordId,
    before: asText(change.before),
    after: asText(change.after),
    reason: change.reason ?? null,
  };
  const { rows } = await sql<{ seq: number; prev_hash: string; hash: string }>`select * from ledger_append(
    ${fields.id}, ${fields.stream}, ${fields.recordedAt}, ${fields.actorType}, ${fields.actorId},
    ${fields.actorPartnerId}, ${fields.actorRole}, ${fields.action}, ${fields.recordType}, ${fields.recordId},
    ${fields.before}, ${fields.after}, ${fields.reason})`.execute(db);
  const stored = rows[0];
  if (!stored) throw new Error('ledger_append returned no row');
  // The database hashed the entry; hashing it here too guarantees the offline verifier agrees.
  const entry = sealEntry({ ...fields, seq: stored.seq, prevHash: stored.prev_hash });
  if (entry.hash !== stored.hash)
    throw new LedgerEncodingMismatch(
      `ledger entry ${entry.id}: database and application hash its payload differently`,
    );
  return entry;
}

/**
 * Several entries in one transaction, locked in stream order: two transactions touching the same
 * streams then always queue rather than deadlock.
 */
export async function appendLedgerEntries(
  trx: Tx,
  changes: LedgerAppend[],
  now = new Date(),
): Promise<LedgerEntry[]> {
  const order = changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => a.change.stream.localeCompare(b.change.stream));
  const entries: LedgerEntry[] = new Array(changes.length);
  for (const { change, index } of order) entries[index] = await appendLedgerEntry(trx, change, now);
  return entries;
}
