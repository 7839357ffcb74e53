import type { PartnerType } from '../partners/partner-tables.ts';
import type { Role } from '../platform/access/roles.ts';
import { type ResolutionContext, resolveStep } from '../therapy/override-resolution.ts';
import { templateRecordHash } from '../therapy/template-hash.ts';
import { taskPartnerType, taskRole } from '../therapy/template-index.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import type { StepRun } from './case-state.ts';

/** What an open step still needs before it can complete; `ready` when nothing. */
export type StepWaitingFor = {
  tasks: Array<{ task: string; partnerType: PartnerType; role: Role }>;
  fields: Array<{ task: string; field: string }>;
  approvals: Array<{ role: Role; partnerType: PartnerType; needed: number; given: number }>;
  signatures: {
    needed: number;
    given: number;
    nextRoles: Role[];
    meaning: string;
    recordHash: string;
  } | null;
  custody: boolean;
  /** An open exception on the step: nothing moves until its branch is decided. */
  exception: string | null;
  ready: boolean;
};

/**
 * The hash a signature on a step is bound to: the step run's recorded task values. A value
 * changing after signing would change the hash, so a signature always names what it signed.
 */
export function stepRecordHash(run: StepRun): string {
  const tasks = Object.fromEntries(
    Object.entries(run.tasks).map(([key, t]) => [
      key,
      { done: t.status === 'done', fields: t.fields ?? null },
    ]),
  );
  return templateRecordHash({ step: run.step, attempt: run.attempt, tasks });
}

export function stepWaitingFor(
  template: TherapyTemplate,
  context: ResolutionContext,
  run: StepRun,
  openExceptionId: string | null,
): StepWaitingFor {
  const effective = resolveStep(template, run.step, context);
  const { step } = effective;
  const waiting: StepWaitingFor = {
    tasks: [],
    fields: [],
    approvals: [],
    signatures: null,
    custody: false,
    exception: openExceptionId,
    ready: false,
  };
  if (step.gates.tasksDone)
    for (const task of step.tasks)
      if (run.tasks[task.key]?.status !== 'done') {
        waiting.tasks.push({
          task: task.key,
          partnerType: taskPartnerType(step, task),
          role: taskRole(step, task),
        });
        for (const field of task.fields)
          if (effective.fieldRequired[field.key]) waiting.fields.push({ task: task.key, field: field.key });
      }
  for (const approval of step.gates.approvals) {
    const given = run.approvals.filter((a) => a.role === approval.role).length;
    if (given < approval.count)
      waiting.approvals.push({
        role: approval.role,
        partnerType: approval.partnerType ?? step.partnerType,
        needed: approval.count,
        given,
      });
  }
  // Signatures given on the custody hand-off are not asked for on the step: its custody gate waits for them.
  const gate = step.gates.signatures?.on === 'handoff' ? undefined : step.gates.signatures;
  if (gate && run.signatures.length < effective.signatureCount) {
    const given = run.signatures.length;
    const nextRoles =
      gate.mode === 'sequential'
        ? [gate.signerRoles[Math.min(given, gate.signerRoles.length - 1)] as Role]
        : [...gate.signerRoles];
    waiting.signatures = {
      needed: effective.signatureCount,
      given,
      nextRoles,
      meaning: gate.meaning,
      recordHash: stepRecordHash(run),
    };
  }
  waiting.custody = step.gates.custodyComplete && run.custody.length === 0;
  waiting.ready =
    waiting.tasks.length === 0 &&
    waiting.approvals.length === 0 &&
    waiting.signatures === null &&
    !waiting.custody &&
    waiting.exception === null;
  return waiting;
}
