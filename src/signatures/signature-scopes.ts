import type { Kysely } from 'kysely';
import { visibleCases } from '../cases/case-store.ts';
import type { Actor } from '../platform/access/actor.ts';
import type { Schema } from '../platform/db/schema.ts';
import { CASE_STEP_RECORD } from './signed-records.ts';

type Reader = Exclude<Actor, { kind: 'system' }>;
export type SignatureScope = (db: Kysely<Schema>, actor: Reader, recordId: string) => Promise<boolean>;

/**
 * Who may read the signatures of a record is who may read the record. Each capability that signs
 * its records registers how its records are scoped (custody registers its hand-offs); a record type
 * nobody registered is readable by auditors (audit:read) only.
 */
const scopes = new Map<string, SignatureScope>();

export function registerSignatureScope(recordType: string, scope: SignatureScope): void {
  scopes.set(recordType, scope);
}

registerSignatureScope(CASE_STEP_RECORD, async (db, actor, recordId) => {
  const caseId = recordId.split(':')[0] ?? '';
  if (!actor.permissions.has('cases:read') || !/^[0-9a-f-]{36}$/i.test(caseId)) return false;
  const row = await visibleCases(db, actor)
    .select('cases.id')
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  return row !== undefined;
});

// Published template versions are network-wide reading for every staff role.
registerSignatureScope('therapy_template_version', async (_db, actor) =>
  actor.permissions.has('therapy:read'),
);

export async function canReadSignaturesOf(
  db: Kysely<Schema>,
  actor: Reader,
  recordType: string,
  recordId: string,
): Promise<boolean> {
  const scope = scopes.get(recordType);
  if (scope) return scope(db, actor, recordId);
  return actor.permissions.has('audit:read');
}
