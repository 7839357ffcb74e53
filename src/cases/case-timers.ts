import { systemActor } from '../platform/access/actor.ts';
import { ROLES, type Role } from '../platform/access/roles.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Tx } from '../platform/db/transaction.ts';
import type { JobHandlers } from '../platform/jobs/job-handler.ts';
import { enqueueJob } from '../platform/jobs/job-store.ts';
import { enqueueMessage } from '../platform/outbox/outbox-store.ts';
import { indexTemplate } from '../therapy/template-index.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import { type CaseParties, partyFor } from './case-authorisation.ts';
import { caseDueTimes } from './case-due-times.ts';
import type { CaseState } from './case-state.ts';
import { partyForRole } from './work-queue-items.ts';

/*
 * Due times and escalations as durable timers. After every transition the store enqueues one job
 * per instant caseDueTimes lists, with the instant's job key as dedupe key: enqueueing again is a
 * no-op, so each instant has exactly one job, whether it is scheduled once or a hundred times.
 * Jobs are not cancelled when a case moves on: the handler re-reads the case and fires only if
 * the instant is still listed (same step run still open, case active). It records the firing
 * under the job key (primary key), so even a second job for the same instant cannot fire twice.
 * A server that was down at the due time simply runs the job late, on start.
 */
export const CASE_TIMER_JOB = 'case.timer';

type TimerPayload = {
  caseId: string;
  jobKey: string;
  timer: 'due' | 'escalation';
  step: string;
  attempt: number;
};

export async function scheduleCaseTimers(
  trx: Tx,
  template: TherapyTemplate,
  state: CaseState,
  now: Date,
): Promise<void> {
  // Clocks restart when a case resumes (from a hold or a quarantine): a timer that came due while
  // they stood still gets a job of the new generation, so it still fires once the case moves again
  // (the firing's own key stays the instant's job key, so it fires once across generations).
  const restarted = [...state.history]
    .reverse()
    .find((h) => h.type === 'case_resumed' || h.type === 'branch_taken');
  const generation = restarted ? `:g${restarted.seq}` : '';
  for (const due of caseDueTimes(template, state, now)) {
    const base = { caseId: state.caseId, step: due.step, attempt: due.attempt };
    await enqueueJob(trx, {
      kind: CASE_TIMER_JOB,
      payload: { ...base, jobKey: due.dueJobKey, timer: 'due' },
      runAt: new Date(due.dueAt),
      dedupeKey: `case-timer:${due.dueJobKey}${generation}`,
    });
    for (const escalation of due.escalations)
      await enqueueJob(trx, {
        kind: CASE_TIMER_JOB,
        payload: { ...base, jobKey: escalation.jobKey, timer: 'escalation' },
        runAt: new Date(escalation.at),
        dedupeKey: `case-timer:${escalation.jobKey}${generation}`,
      });
  }
}

const timerActor = systemActor('case-timers');

/** Fires one timer if it is still due; returns whether it fired now. */
export async function fireCaseTimer(
  trx: Tx,
  payload: TimerPayload,
  now: Date,
  // Passed in: case-store imports this module to schedule timers, so this one cannot import it.
  load: (
    trx: Tx,
    caseId: string,
  ) => Promise<{ template: TherapyTemplate; state: CaseState; parties: CaseParties } | undefined>,
): Promise<boolean> {
  const loaded = await load(trx, payload.caseId);
  if (!loaded) return false;
  const { template, state, parties } = loaded;
  const due = caseDueTimes(template, state, now).find(
    (d) => d.step === payload.step && d.attempt === payload.attempt,
  );
  if (!due) return false;
  const escalation = due.escalations.find((e) => e.jobKey === payload.jobKey);
  const instant =
    payload.timer === 'due' ? (due.dueJobKey === payload.jobKey ? due.dueAt : null) : escalation?.at;
  if (!instant || Date.parse(instant) > now.getTime()) return false;
  const step = indexTemplate(template).step.get(payload.step);
  if (!step) return false;
  const toRole: Role = payload.timer === 'due' ? step.role : (escalation?.toRole as Role);
  const toPartner =
    payload.timer === 'due' ? partyFor(parties, step.partnerType) : partyForRole(parties, toRole);
  const fired = await trx
    .insertInto('case_timer_firings')
    .values({
      job_key: payload.jobKey,
      case_id: payload.caseId,
      kind: payload.timer,
      step: payload.step,
      attempt: payload.attempt,
      to_role: toRole,
      to_partner_id: toPartner ?? null,
      due_at: new Date(due.dueAt),
      fired_at: now,
    })
    .onConflict((oc) => oc.column('job_key').doNothing())
    .returning('job_key')
    .executeTakeFirst();
  if (!fired) return false;
  const what =
    payload.timer === 'due'
      ? `${step.title} is overdue (due ${due.dueAt})`
      : `Escalation to ${ROLES[toRole].label}: ${step.title} is overdue since ${due.dueAt}`;
  await appendLedgerEntry(
    trx,
    {
      stream: `case:${payload.caseId}`,
      actor: timerActor,
      action: payload.timer === 'due' ? 'case.step_overdue' : 'case.escalation_fired',
      recordType: 'case',
      recordId: payload.caseId,
      after: {
        jobKey: payload.jobKey,
        step: payload.step,
        attempt: payload.attempt,
        toRole,
        dueAt: due.dueAt,
      },
      reason: what,
    },
    now,
  );
  if (!toPartner) return true;
  if (payload.timer === 'escalation') {
    const suffix = payload.jobKey.split(':escalation:')[1]?.replace(':', '_') ?? '0';
    await trx
      .insertInto('case_work_items')
      .values({
        case_id: payload.caseId,
        step: payload.step,
        attempt: payload.attempt,
        task_key: `escalation_${suffix}`,
        task_title: `Escalated: ${step.title} is overdue`,
        step_title: step.title,
        role: toRole,
        partner_id: toPartner,
        opened_at: now,
        due_at: now,
        claimed_by: null,
        claimed_at: null,
      })
      .onConflict((oc) => oc.columns(['case_id', 'step', 'attempt', 'task_key']).doNothing())
      .execute();
  }
  const recipients = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('partner_id', '=', toPartner)
    .where('active', '=', true)
    .where((eb) => eb(eb.val(toRole), '=', eb.fn.any('roles')))
    .execute();
  for (const user of recipients) {
    const relatedRecord = { type: 'case', id: payload.caseId };
    await enqueueMessage(trx, {
      channel: 'in_app',
      recipient: user.id,
      body: what,
      payload: { caseId: payload.caseId, step: payload.step, timer: payload.timer },
      idempotencyKey: `${payload.jobKey}:in_app:${user.id}`,
      relatedRecord,
    });
    await enqueueMessage(trx, {
      channel: 'email',
      recipient: user.email,
      subject: payload.timer === 'due' ? `Overdue: ${step.title}` : `Escalation: ${step.title}`,
      body: `${what}. Open the case in Cellway to see what it waits for.`,
      payload: { caseId: payload.caseId, step: payload.step, timer: payload.timer },
      idempotencyKey: `${payload.jobKey}:email:${user.id}`,
      relatedRecord,
    });
  }
  return true;
}

/** The job handlers of case timers, for installed-job-handlers.ts; `now` is the clock timers judge by. */
export function caseJobHandlers(deps: { now?: () => Date } = {}): JobHandlers {
  const now = deps.now ?? (() => new Date());
  return {
    [CASE_TIMER_JOB]: async (job, { trx }) => {
      const { loadCase } = await import('./case-store.ts');
      await fireCaseTimer(trx, job.payload as TimerPayload, now(), async (t, caseId) =>
        loadCase(t, systemActor('case-timers'), caseId, { forUpdate: true }),
      );
    },
  };
}
