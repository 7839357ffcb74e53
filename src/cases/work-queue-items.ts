import type { PartnerType } from '../partners/partner-tables.ts';
import { ROLES, type Role } from '../platform/access/roles.ts';
import { durationToMs } from '../therapy/durations.ts';
import { indexTemplate } from '../therapy/template-index.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import { type CaseParties, partyFor } from './case-authorisation.ts';
import { type CaseState, TERMINAL_STATUSES } from './case-state.ts';

/**
 * The work a case waits for, one item per thing a person must do, each for the partner that fills
 * the party and the role that does it. Pure: the store writes these rows into `case_work_items`
 * after every transition, so "my work" reads one index range instead of folding every case.
 * Besides tasks, approvals, signatures, custody and "complete the step" are work too, and an open
 * exception is work for whoever decides its branch.
 */
export type WorkItem = {
  step: string;
  attempt: number;
  taskKey: string;
  taskTitle: string;
  stepTitle: string;
  role: Role;
  partnerId: string;
  openedAt: string;
  dueAt: string | null;
};

/** The case's partner that a role works for: the first party of a partner type the role may hold. */
export function partyForRole(parties: CaseParties, role: Role): string | undefined {
  for (const partnerType of ROLES[role].partnerTypes as readonly PartnerType[]) {
    const partnerId = partyFor(parties, partnerType);
    if (partnerId) return partnerId;
  }
  return undefined;
}

/** When an open step is due (the step's clock starts when it opens), or null without a due rule. */
export function stepDueAt(template: TherapyTemplate, state: CaseState, step: string): string | null {
  const due = indexTemplate(template).step.get(step)?.due;
  const run = state.steps[step];
  if (!due || !run) return null;
  return new Date(Date.parse(run.openedAt) + durationToMs(due.after)).toISOString();
}

export function workItemsOf(template: TherapyTemplate, state: CaseState, parties: CaseParties): WorkItem[] {
  if (TERMINAL_STATUSES.includes(state.status) || state.status === 'on_hold') return [];
  const index = indexTemplate(template);
  const items: WorkItem[] = [];
  for (const key of state.openSteps) {
    const run = state.steps[key];
    const step = index.step.get(key);
    const waiting = state.waitingFor[key];
    if (!run || !step || !waiting) continue;
    const base = { step: key, attempt: run.attempt, stepTitle: step.title, openedAt: run.openedAt };
    const dueAt = stepDueAt(template, state, key);
    const push = (taskKey: string, taskTitle: string, role: Role, partnerId: string | undefined) => {
      if (partnerId) items.push({ ...base, taskKey, taskTitle, role, partnerId, dueAt });
    };
    const exception = state.openExceptions.find((e) => e.step === key && e.attempt === run.attempt);
    if (exception) {
      const definition = step.exceptions.find((e) => e.code === exception.code);
      const role = definition?.branches[0]?.decidedBy[0];
      if (role)
        push(
          'decide_exception',
          `Decide on ${exception.code.replaceAll('_', ' ')} (${exception.reasonCode})`,
          role,
          partyForRole(parties, role),
        );
      continue;
    }
    // In quarantine nothing but the decision moves (case-commands allows only take_branch).
    if (state.status !== 'active') continue;
    for (const task of state.openTasks.filter((t) => t.step === key))
      push(task.task, task.title, task.role, partyFor(parties, task.partnerType));
    for (const approval of waiting.approvals)
      push(
        `approval_${approval.role}`,
        `Approve: ${step.title}`,
        approval.role,
        partyFor(parties, approval.partnerType),
      );
    if (waiting.signatures && waiting.tasks.length === 0) {
      const role = waiting.signatures.nextRoles[0] as Role;
      push(
        'signature',
        `Sign (${waiting.signatures.given + 1} of ${waiting.signatures.needed}): ${waiting.signatures.meaning}`,
        role,
        partyFor(parties, step.gates.signatures?.partnerType ?? step.partnerType),
      );
    }
    if (waiting.custody)
      push('custody', 'Confirm the custody hand-off', step.role, partyFor(parties, step.partnerType));
    if (waiting.ready)
      push('complete_step', `Complete: ${step.title}`, step.role, partyFor(parties, step.partnerType));
  }
  return items;
}
