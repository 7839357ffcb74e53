import { type Kysely, sql } from 'kysely';
import type { Actor } from '../platform/access/actor.ts';
import type { Role } from '../platform/access/roles.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Schema } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/transaction.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import type { CaseParties } from './case-authorisation.ts';
import type { CaseState } from './case-state.ts';
import { workItemsOf } from './work-queue-items.ts';

type Db = Kysely<Schema>;
type StaffActor = Exclude<Actor, { kind: 'system' }>;

/**
 * Rewrites the case's work items after a transition. Claims survive on items that are still open
 * (same step run and task); fired escalations stay while their step run is open.
 */
export async function replaceWorkItems(
  trx: Tx,
  template: TherapyTemplate,
  state: CaseState,
  parties: CaseParties,
): Promise<void> {
  const existing = await trx
    .selectFrom('case_work_items')
    .selectAll()
    .where('case_id', '=', state.caseId)
    .execute();
  const key = (i: { step: string; attempt: number; task_key: string }) =>
    `${i.step}#${i.attempt}#${i.task_key}`;
  const claims = new Map(existing.map((row) => [key(row), row]));
  const open = (step: string, attempt: number) =>
    state.openSteps.includes(step) && state.steps[step]?.attempt === attempt && state.status === 'active';
  const keptEscalations = existing.filter(
    (row) => row.task_key.startsWith('escalation_') && open(row.step, row.attempt),
  );
  await trx.deleteFrom('case_work_items').where('case_id', '=', state.caseId).execute();
  const items = workItemsOf(template, state, parties).map((item) => {
    const claim = claims.get(key({ step: item.step, attempt: item.attempt, task_key: item.taskKey }));
    return {
      case_id: state.caseId,
      step: item.step,
      attempt: item.attempt,
      task_key: item.taskKey,
      task_title: item.taskTitle,
      step_title: item.stepTitle,
      role: item.role,
      partner_id: item.partnerId,
      opened_at: new Date(item.openedAt),
      due_at: item.dueAt ? new Date(item.dueAt) : null,
      claimed_by: claim?.claimed_by ?? null,
      claimed_at: claim?.claimed_at ?? null,
    };
  });
  const rows = [...items, ...keptEscalations];
  if (rows.length > 0) await trx.insertInto('case_work_items').values(rows).execute();
}

export type WorkTask = {
  caseId: string;
  patientLabel: string;
  therapyType: string;
  step: string;
  stepTitle: string;
  taskKey: string;
  taskTitle: string;
  role: string;
  dueAt: string | null;
  overdue: boolean;
  claimedBy: { userId: string; name: string } | null;
};

/**
 * "My work": the items for the caller's partner and roles, soonest due first (items without a due
 * time last, oldest first). One range scan of case_work_items_queue_idx per role.
 */
export async function listWork(
  db: Db,
  actor: StaffActor,
  entitled: ReturnType<typeof sql<boolean>>,
  now: Date,
  limit = 200,
): Promise<{ tasks: WorkTask[]; patientIdsShown: string[] }> {
  if (actor.roles.length === 0) return { tasks: [], patientIdsShown: [] };
  const rows = await db
    .selectFrom('case_work_items as w')
    .innerJoin('cases', 'cases.id', 'w.case_id')
    .innerJoin('patients', 'patients.id', 'cases.patient_id')
    .leftJoin('users as claimer', 'claimer.id', 'w.claimed_by')
    .select([
      'w.case_id',
      'w.step',
      'w.step_title',
      'w.task_key',
      'w.task_title',
      'w.role',
      'w.due_at',
      'w.opened_at',
      'w.claimed_by',
      'claimer.display_name as claimer_name',
      'cases.therapy_type',
      'cases.reference',
      'cases.patient_id',
      'patients.given_name',
      'patients.family_name',
      entitled.as('entitled'),
    ])
    .where('w.partner_id', '=', actor.partnerId)
    .where('w.role', 'in', actor.roles)
    .orderBy(sql`w.due_at asc nulls last`)
    .orderBy('w.opened_at')
    .orderBy('w.case_id')
    .limit(limit)
    .execute();
  const shown = new Set<string>();
  const tasks = rows.map((r) => {
    if (r.entitled) shown.add(r.patient_id);
    const dueAt = r.due_at ? new Date(r.due_at) : null;
    return {
      caseId: r.case_id,
      patientLabel: r.entitled ? `${r.given_name} ${r.family_name}` : r.reference,
      therapyType: r.therapy_type,
      step: r.step,
      stepTitle: r.step_title,
      taskKey: r.task_key,
      taskTitle: r.task_title,
      role: r.role,
      dueAt: dueAt?.toISOString() ?? null,
      overdue: dueAt !== null && dueAt.getTime() < now.getTime(),
      claimedBy: r.claimed_by ? { userId: r.claimed_by, name: r.claimer_name ?? '' } : null,
    };
  });
  return { tasks, patientIdsShown: [...shown] };
}

export type WorkRefusal = {
  kind: 'not_found' | 'forbidden' | 'conflict' | 'invalid_input';
  reason: string;
  field?: string;
};
export type WorkResult = { ok: true } | { ok: false; error: WorkRefusal };

/** The open item of the step's current run, locked (claims of one item serialise). */
async function lockItem(trx: Tx, caseId: string, step: string, taskKey: string) {
  return trx
    .selectFrom('case_work_items')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('step', '=', step)
    .where('task_key', '=', taskKey)
    .orderBy('attempt', 'desc')
    .forUpdate()
    .executeTakeFirst();
}

/** Takes an item of your own partner and role; 409 when someone else holds it. */
export async function claimWork(
  trx: Tx,
  actor: StaffActor,
  ref: { caseId: string; step: string; taskKey: string },
  now: Date,
): Promise<WorkResult> {
  const item = await lockItem(trx, ref.caseId, ref.step, ref.taskKey);
  if (!item) return { ok: false, error: { kind: 'not_found', reason: 'no such open work item' } };
  if (item.partner_id !== actor.partnerId || !actor.roles.includes(item.role as Role))
    return {
      ok: false,
      error: {
        kind: 'forbidden',
        reason: `this work is for the role ${item.role} of another partner or role`,
      },
    };
  if (item.claimed_by === actor.id) return { ok: true };
  if (item.claimed_by)
    return {
      ok: false,
      error: { kind: 'conflict', reason: 'someone else has claimed this work; ask for it to be reassigned' },
    };
  await setClaim(trx, actor, item, actor.id, null, now, 'case.work_claimed');
  return { ok: true };
}

/** Hands an item to a colleague of the same partner who holds the item's role; the reason is recorded. */
export async function reassignWork(
  trx: Tx,
  actor: StaffActor,
  ref: { caseId: string; step: string; taskKey: string },
  to: { toUserId: string; reason: string },
  now: Date,
): Promise<WorkResult> {
  const item = await lockItem(trx, ref.caseId, ref.step, ref.taskKey);
  if (!item) return { ok: false, error: { kind: 'not_found', reason: 'no such open work item' } };
  if (item.partner_id !== actor.partnerId)
    return {
      ok: false,
      error: { kind: 'forbidden', reason: 'only the partner this work belongs to can reassign it' },
    };
  const target = /^[0-9a-f-]{36}$/i.test(to.toUserId)
    ? await trx
        .selectFrom('users')
        .select(['id', 'partner_id', 'roles', 'active'])
        .where('id', '=', to.toUserId)
        .executeTakeFirst()
    : undefined;
  if (!target?.active || target.partner_id !== item.partner_id || !target.roles.includes(item.role as Role))
    return {
      ok: false,
      error: {
        kind: 'invalid_input',
        field: 'body.toUserId',
        reason: `must be an active user of the same partner holding the role ${item.role}`,
      },
    };
  await setClaim(trx, actor, item, target.id, to.reason, now, 'case.work_reassigned');
  return { ok: true };
}

async function setClaim(
  trx: Tx,
  actor: StaffActor,
  item: { case_id: string; step: string; attempt: number; task_key: string; claimed_by: string | null },
  userId: string,
  reason: string | null,
  now: Date,
  action: string,
): Promise<void> {
  await trx
    .updateTable('case_work_items')
    .set({ claimed_by: userId, claimed_at: now })
    .where('case_id', '=', item.case_id)
    .where('step', '=', item.step)
    .where('attempt', '=', item.attempt)
    .where('task_key', '=', item.task_key)
    .execute();
  await appendLedgerEntry(
    trx,
    {
      stream: `case:${item.case_id}`,
      actor,
      action,
      recordType: 'case_work_item',
      recordId: `${item.case_id}:${item.step}:${item.attempt}:${item.task_key}`,
      before: { claimedBy: item.claimed_by },
      after: { claimedBy: userId },
      reason,
    },
    now,
  );
}
