import type { Selectable } from 'kysely';
import type { LedgerEntry } from '../ledger/ledger-entry.ts';
import type { LedgerTables } from './ledger-tables.ts';

export type LedgerRow = Selectable<LedgerTables['ledger_entries']>;

/** A stored row as the entry whose hash it must reproduce. */
export function rowToEntry(row: LedgerRow): LedgerEntry {
  return {
    id: row.id,
    stream: row.stream,
    seq: row.seq,
    recordedAt: row.recorded_at.toISOString(),
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorPartnerId: row.actor_partner_id,
    actorRole: row.actor_role,
    action: row.action,
    recordType: row.record_type,
    recordId: row.record_id,
    before: row.before,
    after: row.after,
    reason: row.reason,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
