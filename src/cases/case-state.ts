/*
 * A case's state is a pure function of its template version and its ordered events:
 * `caseState(template, events)`. Nothing else is stored about a case that this cannot rebuild.
 *
 * Design notes (for the store, routes, timers and screens built on this):
 * - Version pinning: `case_opened` names the template code and version; computing the state
 *   with any other version throws, so a case can never silently move to a newer template. Use
 *   `pinnedVersion()` from template-versions.ts to pick the template for a stored case.
 * - Steps open only through events: `case_opened` is followed by `step_opened` for the first
 *   step; when a step completes, `decide` emits `step_opened` for each step it leads to (several
 *   at once = parallel), holding back a `join: 'all'` step until all its predecessors have
 *   completed; when nothing is left open the case completes. The engine's own events have
 *   `by: null`.
 * - A step run (`step` + `attempt`) is the unit of work: tasks, approvals, signatures and
 *   custody confirmations belong to one run. A `go_to_step` branch abandons the run where the
 *   exception was raised and opens the target step's next attempt; earlier runs stay in
 *   `previousRuns` for the dossier.
 * - Status: terminal (closed, cancelled, completed) beats on_hold, which beats quarantined (an
 *   open exception whose definition quarantines), which beats active.
 * - Overrides are resolved with the case's own country and site (from `case_opened`), so what a
 *   step waits for is stable for the life of the case.
 * - `evolve` applies new events to a state; it checks `seq` continuity and throws on a gap, a
 *   repeat or an event that does not fit the state, because such a stream is corrupt, not bad
 *   input. Bad input is refused earlier, by `decide`.
 */
import type { PartnerType } from '../partners/partner-tables.ts';
import type { Role } from '../platform/access/roles.ts';
import { indexTemplate, taskPartnerType, taskRole } from '../therapy/template-index.ts';
import type { ExceptionCode, TherapyTemplate } from '../therapy/template-schema.ts';
import type { ActorRef, CaseEvent, CaseEventType, CloseReason, FieldValue } from './case-events.ts';
import { type StepWaitingFor, stepWaitingFor } from './case-gates.ts';

export type CaseStatus = 'active' | 'on_hold' | 'quarantined' | 'closed' | 'cancelled' | 'completed';
export const TERMINAL_STATUSES: readonly CaseStatus[] = ['closed', 'cancelled', 'completed'];

export type TaskRun = {
  task: string;
  status: 'open' | 'done';
  completedBy?: ActorRef;
  completedAt?: string;
  fields?: Record<string, FieldValue>;
};

export type StepRun = {
  step: string;
  stage: string;
  attempt: number;
  status: 'open' | 'completed' | 'abandoned';
  openedAt: string;
  endedAt?: string;
  tasks: Record<string, TaskRun>;
  approvals: Array<{ role: Role; userId: string; partnerId: string; at: string }>;
  signatures: Array<{
    userId: string;
    partnerId: string;
    role: Role;
    meaning: string;
    recordHash: string;
    at: string;
  }>;
  custody: Array<{ custodyRecordId: string; by: ActorRef | null; at: string }>;
};

export type OpenException = {
  exceptionId: string;
  step: string;
  attempt: number;
  code: ExceptionCode;
  reasonCode: string;
  reason: string;
  quarantine: boolean;
  raisedBy: ActorRef | null;
  raisedAt: string;
};

export type OpenTask = {
  step: string;
  attempt: number;
  task: string;
  title: string;
  partnerType: PartnerType;
  role: Role;
  openedAt: string;
};

export type HistoryEntry = {
  seq: number;
  at: string;
  type: CaseEventType;
  by: ActorRef | null;
  summary: string;
};

export type CaseState = {
  caseId: string;
  patientId: string;
  templateCode: string;
  templateVersion: number;
  country: string;
  siteId: string;
  caseOwnerUserId: string;
  openedAt: string;
  status: CaseStatus;
  held: boolean;
  lastSeq: number;
  lastEventAt: string;
  /** The latest run of every step that has opened, by step key. */
  steps: Record<string, StepRun>;
  previousRuns: StepRun[];
  /** Open steps in template order. */
  openSteps: string[];
  openTasks: OpenTask[];
  waitingFor: Record<string, StepWaitingFor>;
  openExceptions: OpenException[];
  /** Current stage(s): those of the open steps, in template order. */
  currentStages: string[];
  ending?: {
    status: 'closed' | 'cancelled' | 'completed';
    reason?: CloseReason | string;
    note?: string;
    at: string;
  };
  history: HistoryEntry[];
};

export class CaseStreamError extends Error {
  override name = 'CaseStreamError';
}

export function caseState(template: TherapyTemplate, events: readonly CaseEvent[]): CaseState {
  const [first, ...rest] = events;
  if (first?.type !== 'case_opened') throw new CaseStreamError('a case starts with case_opened');
  if (first.templateCode !== template.code || first.templateVersion !== template.version)
    throw new CaseStreamError(
      `case ${first.caseId} runs on ${first.templateCode} v${first.templateVersion}, not ${template.code} v${template.version}`,
    );
  if (first.seq !== 1) throw new CaseStreamError(`the first event has seq ${first.seq}, expected 1`);
  const draft: CaseState = {
    caseId: first.caseId,
    patientId: first.patientId,
    templateCode: first.templateCode,
    templateVersion: first.templateVersion,
    country: first.country,
    siteId: first.siteId,
    caseOwnerUserId: first.caseOwnerUserId,
    openedAt: first.at,
    status: 'active',
    held: false,
    lastSeq: 1,
    lastEventAt: first.at,
    steps: {},
    previousRuns: [],
    openSteps: [],
    openTasks: [],
    waitingFor: {},
    openExceptions: [],
    currentStages: [],
    history: [historyEntry(first)],
  };
  for (const event of rest) apply(template, draft, event);
  return derive(template, draft);
}

/** The state after more events; the given state is not changed. */
export function evolve(template: TherapyTemplate, state: CaseState, events: readonly CaseEvent[]): CaseState {
  if (state.templateCode !== template.code || state.templateVersion !== template.version)
    throw new CaseStreamError(`case ${state.caseId} runs on ${state.templateCode} v${state.templateVersion}`);
  const draft = structuredClone(state);
  for (const event of events) apply(template, draft, event);
  return derive(template, draft);
}

function apply(template: TherapyTemplate, s: CaseState, event: CaseEvent): void {
  if (event.seq !== s.lastSeq + 1)
    throw new CaseStreamError(`event seq ${event.seq} does not follow ${s.lastSeq} in case ${s.caseId}`);
  if (s.ending) throw new CaseStreamError(`case ${s.caseId} has ended; no event may follow`);
  const index = indexTemplate(template);
  const openRun = (step: string, attempt: number): StepRun => {
    const run = s.steps[step];
    if (!run || run.attempt !== attempt || run.status !== 'open')
      throw new CaseStreamError(`${event.type}: step ${step} attempt ${attempt} is not open`);
    return run;
  };
  switch (event.type) {
    case 'case_opened':
      throw new CaseStreamError('a case is opened once');
    case 'step_opened': {
      const definition = index.step.get(event.step);
      if (!definition) throw new CaseStreamError(`no step ${event.step} in the template`);
      const previous = s.steps[event.step];
      if (previous?.status === 'open') throw new CaseStreamError(`step ${event.step} is already open`);
      if (event.attempt !== (previous?.attempt ?? 0) + 1)
        throw new CaseStreamError(
          `step ${event.step} opens as attempt ${event.attempt}, expected ${(previous?.attempt ?? 0) + 1}`,
        );
      if (previous) s.previousRuns.push(previous);
      s.steps[event.step] = {
        step: event.step,
        stage: index.stageOf.get(event.step)?.key ?? '',
        attempt: event.attempt,
        status: 'open',
        openedAt: event.at,
        tasks: Object.fromEntries(
          definition.tasks.map((t) => [t.key, { task: t.key, status: 'open' as const }]),
        ),
        approvals: [],
        signatures: [],
        custody: [],
      };
      break;
    }
    case 'task_completed': {
      const task = openRun(event.step, event.attempt).tasks[event.taskKey];
      if (!task || task.status === 'done') throw new CaseStreamError(`task ${event.taskKey} is not open`);
      task.status = 'done';
      task.completedAt = event.at;
      task.fields = event.fields;
      if (event.by) task.completedBy = event.by;
      break;
    }
    case 'approval_given':
      openRun(event.step, event.attempt).approvals.push({
        role: event.approvalRole,
        userId: event.by?.userId ?? '',
        partnerId: event.by?.partnerId ?? '',
        at: event.at,
      });
      break;
    case 'signature_given': {
      // A signature is always a person's: an unattributed one means the stream is corrupt.
      if (!event.by) throw new CaseStreamError('a signature needs a signer');
      openRun(event.step, event.attempt).signatures.push({
        userId: event.by.userId,
        partnerId: event.by.partnerId,
        role: event.by.role,
        meaning: event.meaning,
        recordHash: event.recordHash,
        at: event.at,
      });
      break;
    }
    case 'custody_confirmed':
      openRun(event.step, event.attempt).custody.push({
        custodyRecordId: event.custodyRecordId,
        by: event.by,
        at: event.at,
      });
      break;
    case 'step_completed':
    case 'step_abandoned': {
      const run = openRun(event.step, event.attempt);
      run.status = event.type === 'step_completed' ? 'completed' : 'abandoned';
      run.endedAt = event.at;
      break;
    }
    case 'exception_raised': {
      openRun(event.step, event.attempt);
      const definition = index.step.get(event.step)?.exceptions.find((e) => e.code === event.code);
      s.openExceptions.push({
        exceptionId: event.exceptionId,
        step: event.step,
        attempt: event.attempt,
        code: event.code,
        reasonCode: event.reasonCode,
        reason: event.reason,
        quarantine: definition?.quarantine ?? false,
        raisedBy: event.by,
        raisedAt: event.at,
      });
      break;
    }
    case 'branch_taken': {
      const before = s.openExceptions.length;
      s.openExceptions = s.openExceptions.filter((e) => e.exceptionId !== event.exceptionId);
      if (s.openExceptions.length === before)
        throw new CaseStreamError(`no open exception ${event.exceptionId}`);
      break;
    }
    case 'case_held':
      s.held = true;
      break;
    case 'case_resumed':
      s.held = false;
      break;
    case 'case_closed':
      s.ending = { status: 'closed', reason: event.reason, note: event.note, at: event.at };
      break;
    case 'case_cancelled':
      s.ending = { status: 'cancelled', reason: event.reason, at: event.at };
      break;
    case 'case_completed':
      s.ending = { status: 'completed', at: event.at };
      break;
  }
  s.lastSeq = event.seq;
  s.lastEventAt = event.at;
  s.history.push(historyEntry(event));
}

/** The views the screens and `decide` read, recomputed from the runs after every fold. */
function derive(template: TherapyTemplate, s: CaseState): CaseState {
  const index = indexTemplate(template);
  const ended = s.ending !== undefined;
  s.openSteps = ended
    ? []
    : Object.values(s.steps)
        .filter((run) => run.status === 'open')
        .map((run) => run.step)
        .sort((a, b) => (index.order.get(a) ?? 0) - (index.order.get(b) ?? 0));
  s.currentStages = [...new Set(s.openSteps.map((key) => index.stageOf.get(key)?.key ?? ''))];
  s.openTasks = [];
  s.waitingFor = {};
  const context = { country: s.country, siteId: s.siteId };
  for (const key of s.openSteps) {
    const run = s.steps[key] as StepRun;
    const definition = index.step.get(key);
    if (!definition) continue;
    for (const task of definition.tasks)
      if (run.tasks[task.key]?.status === 'open')
        s.openTasks.push({
          step: key,
          attempt: run.attempt,
          task: task.key,
          title: task.title,
          partnerType: taskPartnerType(definition, task),
          role: taskRole(definition, task),
          openedAt: run.openedAt,
        });
    const exception = s.openExceptions.find((e) => e.step === key && e.attempt === run.attempt);
    s.waitingFor[key] = stepWaitingFor(template, context, run, exception?.exceptionId ?? null);
  }
  s.status = s.ending
    ? s.ending.status
    : s.held
      ? 'on_hold'
      : s.openExceptions.some((e) => e.quarantine)
        ? 'quarantined'
        : 'active';
  return s;
}

function historyEntry(event: CaseEvent): HistoryEntry {
  return { seq: event.seq, at: event.at, type: event.type, by: event.by, summary: summarise(event) };
}

function summarise(event: CaseEvent): string {
  switch (event.type) {
    case 'case_opened':
      return `case opened on ${event.templateCode} v${event.templateVersion} (${event.country}, ${event.siteId})`;
    case 'step_opened':
      return `step ${event.step} opened${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'task_completed':
      return `task ${event.step}.${event.taskKey} completed`;
    case 'approval_given':
      return `approval by ${event.approvalRole} on ${event.step}`;
    case 'signature_given':
      return `signature ${event.index + 1} on ${event.step}: ${event.meaning}`;
    case 'custody_confirmed':
      return `custody confirmed for ${event.step} (${event.custodyRecordId})`;
    case 'step_completed':
      return `step ${event.step} completed`;
    case 'step_abandoned':
      return `step ${event.step} abandoned: ${event.reason}`;
    case 'exception_raised':
      return `exception ${event.code} (${event.reasonCode}) on ${event.step}: ${event.reason}`;
    case 'branch_taken':
      return `branch ${event.branch} taken${event.toStep ? ` → ${event.toStep}` : ''}`;
    case 'case_held':
      return `case held: ${event.reason}`;
    case 'case_resumed':
      return `case resumed: ${event.reason}`;
    case 'case_closed':
      return `case closed (${event.reason}): ${event.note}`;
    case 'case_cancelled':
      return `case cancelled: ${event.reason}`;
    case 'case_completed':
      return 'case completed';
  }
}
