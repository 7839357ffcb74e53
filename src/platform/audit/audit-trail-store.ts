import type { Database } from '../db/database.ts';

export type AuditFilter = {
  recordType?: string | undefined;
  recordId?: string | undefined;
  actorId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Cursor: entries older than this insertion position. */
  before?: number | undefined;
  limit: number;
};

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** The audit trail, newest first, for quality and inspectors. */
export async function listAuditEntries(database: Database, filter: AuditFilter) {
  let query = database.db
    .selectFrom('ledger_entries')
    .selectAll()
    .orderBy('position', 'desc')
    .limit(filter.limit + 1);
  if (filter.recordType) query = query.where('record_type', '=', filter.recordType);
  if (filter.recordId) query = query.where('record_id', '=', filter.recordId);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.from) query = query.where('recorded_at', '>=', filter.from);
  if (filter.to) query = query.where('recorded_at', '<', filter.to);
  if (filter.before !== undefined) query = query.where('position', '<', filter.before);
  const rows = await query.execute();
  const page = rows.slice(0, filter.limit);
  const names = await actorNames(
    database,
    page.map((row) => row.actor_id),
  );
  return {
    entries: page.map((row) => ({
      id: row.id,
      stream: row.stream,
      seq: row.seq,
      recordedAt: row.recorded_at.toISOString(),
      actorType: row.actor_type,
      actorId: row.actor_id,
      actorName: row.actor_id ? (names.get(row.actor_id) ?? null) : null,
      actorPartnerId: row.actor_partner_id,
      actorRole: row.actor_role,
      action: row.action,
      recordType: row.record_type,
      recordId: row.record_id,
      before: parse(row.before),
      after: parse(row.after),
      reason: row.reason,
      hash: row.hash,
    })),
    nextCursor: rows.length > filter.limit ? String(page.at(-1)?.position) : null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** People are shown by name; the ledger keeps their id, which stays true if the name changes. */
async function actorNames(database: Database, ids: Array<string | null>): Promise<Map<string, string>> {
  const userIds = [...new Set(ids.filter((id): id is string => id !== null && UUID.test(id)))];
  if (userIds.length === 0) return new Map();
  const users = await database.db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', userIds)
    .execute();
  return new Map(users.map((user) => [user.id, user.display_name]));
}
