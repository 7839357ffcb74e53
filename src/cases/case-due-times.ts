import type { Role } from '../platform/access/roles.ts';
import { durationToMs } from '../therapy/durations.ts';
import { indexTemplate } from '../therapy/template-index.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import type { CaseState } from './case-state.ts';

/*
 * Due times and escalation instants of the open steps, for the timer layer to schedule as
 * durable jobs. Every instant has a `jobKey` unique to the case, step run and firing, so the
 * job table's unique key makes scheduling idempotent and each escalation fires exactly once,
 * also when the server was down at the time (the job is simply late). A case on hold, in
 * quarantine or ended has no running clocks: the timer layer cancels jobs no longer listed.
 * Escalation `after` counts from the due time; repeats follow every `repeatEvery`.
 */
export type Escalation = {
  jobKey: string;
  toRole: Role;
  at: string;
  rule: number;
  repeat: number;
  fired: boolean;
};

export type StepDueTime = {
  step: string;
  attempt: number;
  openedAt: string;
  dueAt: string;
  dueJobKey: string;
  overdue: boolean;
  /** How long the step has been open at `now`, for "where is it stuck". */
  openForMs: number;
  escalations: Escalation[];
};

export function caseDueTimes(template: TherapyTemplate, state: CaseState, now: Date): StepDueTime[] {
  if (state.status !== 'active') return [];
  const index = indexTemplate(template);
  const result: StepDueTime[] = [];
  for (const key of state.openSteps) {
    const run = state.steps[key];
    const due = index.step.get(key)?.due;
    if (!run || !due) continue;
    const opened = Date.parse(run.openedAt);
    const dueAt = opened + durationToMs(due.after);
    const base = `${state.caseId}:${key}:${run.attempt}`;
    const escalations: Escalation[] = [];
    due.escalations.forEach((rule, r) => {
      const first = dueAt + durationToMs(rule.after);
      const repeats = rule.repeatEvery ? (rule.maxRepeats ?? 0) : 0;
      const every = rule.repeatEvery ? durationToMs(rule.repeatEvery) : 0;
      for (let n = 0; n <= repeats; n++) {
        const at = first + n * every;
        escalations.push({
          jobKey: `${base}:escalation:${r}:${n}`,
          toRole: rule.toRole,
          at: new Date(at).toISOString(),
          rule: r,
          repeat: n,
          fired: at <= now.getTime(),
        });
      }
    });
    result.push({
      step: key,
      attempt: run.attempt,
      openedAt: run.openedAt,
      dueAt: new Date(dueAt).toISOString(),
      dueJobKey: `${base}:due`,
      overdue: now.getTime() > dueAt,
      openForMs: Math.max(0, now.getTime() - opened),
      escalations: escalations.sort((a, b) =>
        a.at < b.at ? -1 : a.at > b.at ? 1 : a.jobKey < b.jobKey ? -1 : 1,
      ),
    });
  }
  return result;
}

/** The next instant anything is due after `now`, so the timer layer can sleep until then. */
export function nextDueInstant(dueTimes: readonly StepDueTime[], now: Date): string | null {
  const t = now.getTime();
  const upcoming = dueTimes
    .flatMap((d) => [d.dueAt, ...d.escalations.map((e) => e.at)])
    .filter((at) => Date.parse(at) > t)
    .sort();
  return upcoming[0] ?? null;
}
