import { sql } from 'kysely';
import type { Actor } from '../platform/access/actor.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Tx } from '../platform/db/transaction.ts';
import { formatChainOfIdentity } from './identity/chain-of-identity.ts';

export const custodyStream = (chainOfIdentity: string) => `custody:${chainOfIdentity}`;

/**
 * The case's chain of identity, allocated on first need (at the latest when the first collection
 * is recorded) and never changed afterwards. The sequence comes from coi_counters under its row
 * lock, per facility and year; the unique keys make a double allocation fail rather than fork.
 */
export async function ensureChainOfIdentity(
  trx: Tx,
  actor: Actor,
  caseRow: { id: string; patient_id: string },
  facility: string,
  now: Date,
): Promise<{ chainOfIdentity: string; assigned: boolean }> {
  // Serialise allocation for one case: a second caller waits here and then finds the first's.
  await sql`select 1 from cases where id = ${caseRow.id} for update`.execute(trx);
  const existing = await trx
    .selectFrom('chains_of_identity')
    .select('chain_of_identity')
    .where('case_id', '=', caseRow.id)
    .executeTakeFirst();
  if (existing) return { chainOfIdentity: existing.chain_of_identity, assigned: false };
  const year = now.getUTCFullYear();
  const counter = await trx
    .insertInto('coi_counters')
    .values({ facility, year, last_sequence: 1 })
    .onConflict((oc) =>
      oc.columns(['facility', 'year']).doUpdateSet((eb) => ({
        last_sequence: eb(eb.ref('coi_counters.last_sequence'), '+', 1),
      })),
    )
    .returning('last_sequence')
    .executeTakeFirstOrThrow();
  const sequence = counter.last_sequence;
  const chainOfIdentity = formatChainOfIdentity({ facility, year, sequence });
  await trx
    .insertInto('chains_of_identity')
    .values({
      chain_of_identity: chainOfIdentity,
      case_id: caseRow.id,
      patient_id: caseRow.patient_id,
      facility,
      year,
      sequence,
      assigned_at: now,
      assigned_by: actor.id,
    })
    .execute();
  await appendLedgerEntry(
    trx,
    {
      stream: custodyStream(chainOfIdentity),
      actor,
      action: 'custody.chain_of_identity_assigned',
      recordType: 'chain_of_identity',
      recordId: chainOfIdentity,
      after: { chainOfIdentity, caseId: caseRow.id, patientId: caseRow.patient_id, facility, year, sequence },
    },
    now,
  );
  return { chainOfIdentity, assigned: true };
}

export async function chainOfIdentityOfCase(
  db: Tx | import('kysely').Kysely<import('../platform/db/schema.ts').Schema>,
  caseId: string,
) {
  const row = await db
    .selectFrom('chains_of_identity')
    .select('chain_of_identity')
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return row?.chain_of_identity ?? null;
}
