import { z } from 'zod';
import { ROLE_NAMES, type Role } from '../platform/access/roles.ts';
import { resolveStep } from '../therapy/override-resolution.ts';
import { firstStepKey, indexTemplate, taskPartnerType, taskRole } from '../therapy/template-index.ts';
import { EXCEPTION_CODES, type TherapyTemplate } from '../therapy/template-schema.ts';
import { type Actor, authoriseAnyParty, authoriseForParty, type CaseParties } from './case-authorisation.ts';
import { type ActorRef, type CaseEvent, type CaseEventBody, CLOSE_REASONS } from './case-events.ts';
import type { StepWaitingFor } from './case-gates.ts';
import { type CaseState, caseState, evolve, TERMINAL_STATUSES } from './case-state.ts';
import { checkFieldValues } from './field-values.ts';

/*
 * `decide` turns a command into the events to append, or refuses it; it never changes state.
 * The store runs: load events → caseState → decide → append events (same transaction as the
 * ledger and projections) → evolve. Refusals map to HTTP: invalid_input → 422 naming fields,
 * forbidden → 403 (or 404 when the actor's partner is outside the case), conflict → 409 with
 * what is missing.
 */

const id = z.string().min(1).max(200);
const stepKey = z.string().min(1).max(64);
const roleSchema = z.enum(ROLE_NAMES as [Role, ...Role[]]);

export const caseCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('open_case'),
    caseId: id,
    patientId: id,
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
    siteId: id,
    caseOwnerUserId: id,
  }),
  z.strictObject({
    type: z.literal('complete_task'),
    step: stepKey,
    task: stepKey,
    fields: z.record(z.string(), z.unknown()).default({}),
  }),
  z.strictObject({
    type: z.literal('give_approval'),
    step: stepKey,
    role: roleSchema.optional(),
    comment: z.string().max(2000).optional(),
  }),
  z.strictObject({
    type: z.literal('record_signature'),
    step: stepKey,
    meaning: z.string().min(1),
    recordHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the step record hash (64 hex digits)'),
    // The signer's password (and one-time code): checked by the route before the command runs,
    // never by the engine, which only sees that a verified signature accompanies it.
    signature: z.strictObject({ password: z.string(), oneTimeCode: z.string().optional() }).optional(),
  }),
  z.strictObject({ type: z.literal('confirm_custody'), step: stepKey, custodyRecordId: id }),
  z.strictObject({ type: z.literal('complete_step'), step: stepKey }),
  z.strictObject({
    type: z.literal('raise_exception'),
    step: stepKey,
    code: z.enum(EXCEPTION_CODES),
    reasonCode: z.string().min(1).max(64),
    reason: z.string().trim().min(1, 'must say why').max(2000),
  }),
  z.strictObject({
    type: z.literal('take_branch'),
    exceptionId: id,
    branch: stepKey,
    reason: z.string().max(2000).optional(),
  }),
  z.strictObject({
    type: z.literal('hold_case'),
    reason: z.string().trim().min(1, 'must say why').max(2000),
  }),
  z.strictObject({
    type: z.literal('resume_case'),
    reason: z.string().trim().min(1, 'must say why').max(2000),
  }),
  z.strictObject({
    type: z.literal('close_case'),
    reason: z.enum(CLOSE_REASONS),
    note: z.string().trim().min(1, 'must say why').max(2000),
  }),
]);
export type CaseCommand = z.input<typeof caseCommandSchema>;
type ParsedCommand = z.output<typeof caseCommandSchema>;

export type DecideContext = { actor: Actor; now: Date; caseParties: CaseParties };

export type DecideError =
  | { kind: 'invalid_input'; fields: Array<{ field: string; reason: string }> }
  | { kind: 'forbidden'; reason: string }
  | { kind: 'conflict'; reason: string; missing?: StepWaitingFor };
export type DecideResult = { ok: true; events: CaseEvent[] } | { ok: false; error: DecideError };

/** Who may open, hold, resume and close a case (besides branches that do so). */
export const CASE_ADMIN_ROLES: readonly Role[] = [
  'case_manager',
  'program_coordinator',
  'centre_coordinator',
];

const forbidden = (reason: string): DecideResult => ({ ok: false, error: { kind: 'forbidden', reason } });
const conflict = (reason: string, missing?: StepWaitingFor): DecideResult => ({
  ok: false,
  error: missing ? { kind: 'conflict', reason, missing } : { kind: 'conflict', reason },
});
const invalid = (field: string, reason: string): DecideResult => ({
  ok: false,
  error: { kind: 'invalid_input', fields: [{ field, reason }] },
});

export function decide(
  template: TherapyTemplate,
  state: CaseState | null,
  command: CaseCommand,
  context: DecideContext,
): DecideResult {
  const parsed = caseCommandSchema.safeParse(command);
  if (!parsed.success)
    return {
      ok: false,
      error: {
        kind: 'invalid_input',
        fields: parsed.error.issues.map((i) => ({
          field: i.path.map(String).join('.') || 'type',
          reason: i.message,
        })),
      },
    };
  const cmd = parsed.data;
  const at = context.now.toISOString();
  let seq = state?.lastSeq ?? 0;
  const stamp = (by: ActorRef | null, bodies: CaseEventBody[]): CaseEvent[] =>
    bodies.map((body) => ({ ...body, seq: ++seq, at, by }) as CaseEvent);

  if (cmd.type === 'open_case') {
    if (state) return conflict(`case ${state.caseId} is already open`);
    const auth = authoriseAnyParty(context.actor, context.caseParties, CASE_ADMIN_ROLES);
    if (!auth.ok) return forbidden(auth.reason);
    const opened = stamp(auth.by, [
      {
        type: 'case_opened',
        caseId: cmd.caseId,
        patientId: cmd.patientId,
        templateCode: template.code,
        templateVersion: template.version,
        country: cmd.country,
        siteId: cmd.siteId,
        caseOwnerUserId: cmd.caseOwnerUserId,
      },
    ]);
    return {
      ok: true,
      events: [
        ...opened,
        ...stamp(null, [{ type: 'step_opened', step: firstStepKey(template), attempt: 1 }]),
      ],
    };
  }

  if (!state) return conflict('the case is not open');
  if (state.templateCode !== template.code || state.templateVersion !== template.version)
    return conflict(
      `the case runs on ${state.templateCode} v${state.templateVersion}, not v${template.version}`,
    );
  if (TERMINAL_STATUSES.includes(state.status))
    return conflict(`the case is ${state.status}; it accepts no commands`);

  const allowedWhen: Record<ParsedCommand['type'], readonly CaseState['status'][]> = {
    open_case: [],
    complete_task: ['active'],
    give_approval: ['active'],
    record_signature: ['active'],
    confirm_custody: ['active'],
    complete_step: ['active'],
    raise_exception: ['active'],
    take_branch: ['active', 'quarantined'],
    hold_case: ['active'],
    resume_case: ['on_hold'],
    close_case: ['active', 'on_hold', 'quarantined'],
  };
  if (!allowedWhen[cmd.type].includes(state.status))
    return conflict(
      `the case is ${state.status.replace('_', ' ')}; ${cmd.type.replace('_', ' ')} is not possible now`,
    );

  const index = indexTemplate(template);
  const { actor, caseParties } = context;

  switch (cmd.type) {
    case 'hold_case':
    case 'resume_case':
    case 'close_case': {
      const auth = authoriseAnyParty(actor, caseParties, CASE_ADMIN_ROLES);
      if (!auth.ok) return forbidden(auth.reason);
      const body: CaseEventBody =
        cmd.type === 'hold_case'
          ? { type: 'case_held', reason: cmd.reason }
          : cmd.type === 'resume_case'
            ? { type: 'case_resumed', reason: cmd.reason }
            : { type: 'case_closed', reason: cmd.reason, note: cmd.note };
      return { ok: true, events: stamp(auth.by, [body]) };
    }
    case 'take_branch': {
      const exception = state.openExceptions.find((e) => e.exceptionId === cmd.exceptionId);
      if (!exception) return conflict(`no open exception ${cmd.exceptionId}`);
      const definition = index.step.get(exception.step)?.exceptions.find((e) => e.code === exception.code);
      const branch = definition?.branches.find((b) => b.key === cmd.branch);
      if (!definition || !branch)
        return invalid(
          'branch',
          `must be one of ${definition?.branches.map((b) => b.key).join(', ') ?? '(none)'} for ${exception.code}`,
        );
      const auth = authoriseAnyParty(actor, caseParties, branch.decidedBy);
      if (!auth.ok) return forbidden(auth.reason);
      const taken: CaseEventBody = {
        type: 'branch_taken',
        exceptionId: exception.exceptionId,
        branch: branch.key,
        kind: branch.kind,
        ...(branch.toStep ? { toStep: branch.toStep } : {}),
        ...(cmd.reason ? { reason: cmd.reason } : {}),
      };
      const why = `${exception.code}: ${branch.title}`;
      const bodies: CaseEventBody[] = [taken];
      const engine: CaseEventBody[] = [];
      switch (branch.kind) {
        case 'resume':
          break;
        case 'hold':
          bodies.push({ type: 'case_held', reason: why });
          break;
        case 'cancel':
          bodies.push({ type: 'case_cancelled', reason: why });
          break;
        case 'close':
          bodies.push({
            type: 'case_closed',
            reason: exception.code === 'withdrawal' || exception.code === 'death' ? exception.code : 'other',
            note: `${exception.reasonCode}: ${exception.reason}`,
          });
          break;
        case 'go_to_step': {
          const target = branch.toStep as string;
          engine.push({
            type: 'step_abandoned',
            step: exception.step,
            attempt: exception.attempt,
            reason: why,
          });
          const targetRun = state.steps[target];
          if (target !== exception.step && targetRun?.status === 'open')
            engine.push({ type: 'step_abandoned', step: target, attempt: targetRun.attempt, reason: why });
          engine.push({ type: 'step_opened', step: target, attempt: (targetRun?.attempt ?? 0) + 1 });
          break;
        }
      }
      return { ok: true, events: [...stamp(auth.by, bodies), ...stamp(null, engine)] };
    }
    default:
      break;
  }

  // Everything else is work on one open step.
  const definition = index.step.get(cmd.step);
  if (!definition) return invalid('step', `no step ${cmd.step} in ${template.code} v${template.version}`);
  const run = state.steps[cmd.step];
  if (run?.status !== 'open') return conflict(`step ${cmd.step} is not open`);
  const blocking = state.openExceptions.find((e) => e.step === cmd.step && e.attempt === run.attempt);
  const waiting = state.waitingFor[cmd.step] as StepWaitingFor;
  const ref = { step: cmd.step, attempt: run.attempt };

  switch (cmd.type) {
    case 'raise_exception': {
      const allowed = definition.exceptions.find((e) => e.code === cmd.code);
      if (!allowed)
        return invalid(
          'code',
          `step ${cmd.step} allows ${definition.exceptions.map((e) => e.code).join(', ') || 'no exceptions'}`,
        );
      if (!allowed.reasonCodes.includes(cmd.reasonCode))
        return invalid('reasonCode', `must be one of ${allowed.reasonCodes.join(', ')}`);
      const auth = authoriseAnyParty(actor, caseParties, allowed.raisedBy);
      if (!auth.ok) return forbidden(auth.reason);
      if (blocking) return conflict(`exception ${blocking.exceptionId} on ${cmd.step} is still open`);
      const events = stamp(auth.by, [
        {
          type: 'exception_raised',
          ...ref,
          exceptionId: `${state.caseId}-x${seq + 1}`,
          code: cmd.code,
          reasonCode: cmd.reasonCode,
          reason: cmd.reason,
        },
      ]);
      return { ok: true, events };
    }
    case 'complete_task': {
      const task = definition.tasks.find((t) => t.key === cmd.task);
      if (!task)
        return invalid(
          'task',
          `must be one of ${definition.tasks.map((t) => t.key).join(', ')} in step ${cmd.step}`,
        );
      const auth = authoriseForParty(
        actor,
        caseParties,
        taskRole(definition, task),
        taskPartnerType(definition, task),
      );
      if (!auth.ok) return forbidden(auth.reason);
      if (blocking) return conflict(`step ${cmd.step} waits for a decision on ${blocking.code}`);
      if (run.tasks[task.key]?.status === 'done') return conflict(`task ${cmd.task} is already done`);
      const { fieldRequired } = resolveStep(template, cmd.step, {
        country: state.country,
        siteId: state.siteId,
      });
      const checked = checkFieldValues(task.fields, fieldRequired, cmd.fields);
      if (!checked.ok) return { ok: false, error: { kind: 'invalid_input', fields: checked.errors } };
      return {
        ok: true,
        events: stamp(auth.by, [
          { type: 'task_completed', ...ref, taskKey: task.key, fields: checked.values },
        ]),
      };
    }
    case 'give_approval': {
      const needed = waiting.approvals;
      const candidates = definition.gates.approvals.filter((a) =>
        cmd.role ? a.role === cmd.role : actor.roles.includes(a.role),
      );
      if (definition.gates.approvals.length === 0) return conflict(`step ${cmd.step} needs no approval`);
      const requirement = candidates.find((a) => needed.some((n) => n.role === a.role)) ?? candidates[0];
      if (!requirement)
        return cmd.role
          ? invalid(
              'role',
              `step ${cmd.step} needs approval by ${definition.gates.approvals.map((a) => a.role).join(', ')}`,
            )
          : forbidden(
              `requires one of the roles ${definition.gates.approvals.map((a) => a.role).join(', ')}`,
            );
      const auth = authoriseForParty(
        actor,
        caseParties,
        requirement.role,
        requirement.partnerType ?? definition.partnerType,
      );
      if (!auth.ok) return forbidden(auth.reason);
      if (blocking) return conflict(`step ${cmd.step} waits for a decision on ${blocking.code}`);
      if (!needed.some((n) => n.role === requirement.role))
        return conflict(`all approvals by ${requirement.role} are given`);
      if (run.approvals.some((a) => a.userId === actor.userId))
        return conflict('the same person cannot approve a step twice');
      return {
        ok: true,
        events: stamp(auth.by, [
          {
            type: 'approval_given',
            ...ref,
            approvalRole: requirement.role,
            ...(cmd.comment ? { comment: cmd.comment } : {}),
          },
        ]),
      };
    }
    case 'record_signature': {
      const gate = definition.gates.signatures;
      if (!gate) return conflict(`step ${cmd.step} takes no signatures`);
      if (gate.on === 'handoff')
        return conflict(`signatures on ${cmd.step} are given on its custody hand-off`);
      if (cmd.meaning !== gate.meaning) return invalid('meaning', `must be “${gate.meaning}”`);
      const signatures = waiting.signatures;
      const roles = signatures?.nextRoles ?? gate.signerRoles;
      const role = roles.find((r) => actor.roles.includes(r));
      if (!role) return forbidden(`the next signature is by ${roles.join(' or ')}`);
      const auth = authoriseForParty(actor, caseParties, role, gate.partnerType ?? definition.partnerType);
      if (!auth.ok) return forbidden(auth.reason);
      if (blocking) return conflict(`step ${cmd.step} waits for a decision on ${blocking.code}`);
      if (!signatures) return conflict(`all signatures on ${cmd.step} are given`);
      if (waiting.tasks.length > 0)
        return conflict(
          'sign after every task of the step is done: a signature binds the complete record',
          waiting,
        );
      if (cmd.recordHash !== signatures.recordHash)
        return conflict(
          `the signature is for another version of the record (expected ${signatures.recordHash})`,
        );
      if (run.signatures.some((s) => s.userId === actor.userId))
        return conflict('each signature on a step must be by a different person');
      return {
        ok: true,
        events: stamp(auth.by, [
          {
            type: 'signature_given',
            ...ref,
            meaning: gate.meaning,
            recordHash: cmd.recordHash,
            index: signatures.given,
          },
        ]),
      };
    }
    case 'confirm_custody': {
      if (!definition.gates.custodyComplete) return conflict(`step ${cmd.step} has no custody hand-off`);
      const auth = authoriseAnyParty(actor, caseParties, CUSTODY_ROLES);
      if (!auth.ok) return forbidden(auth.reason);
      if (blocking) return conflict(`step ${cmd.step} waits for a decision on ${blocking.code}`);
      if (!waiting.custody) return conflict(`custody for ${cmd.step} is already confirmed`);
      return {
        ok: true,
        events: stamp(auth.by, [{ type: 'custody_confirmed', ...ref, custodyRecordId: cmd.custodyRecordId }]),
      };
    }
    case 'complete_step': {
      const auth = authoriseForParty(actor, caseParties, definition.role, definition.partnerType);
      if (!auth.ok) return forbidden(auth.reason);
      if (!waiting.ready)
        return conflict(`step ${cmd.step} is not ready: ${describeWaiting(waiting)}`, waiting);
      return {
        ok: true,
        events: [
          ...stamp(auth.by, [{ type: 'step_completed', ...ref }]),
          ...stamp(null, followOn(template, state, cmd.step)),
        ],
      };
    }
  }
}

/** Roles that take part in hand-offs: the custody capability records who received what. */
export const CUSTODY_ROLES: readonly Role[] = [
  'collection_staff',
  'courier',
  'manufacturing',
  'lab',
  'qa',
  'infusion_nurse',
  'centre_coordinator',
];

/** What opens when `completed` completes, and whether the case is then done. */
function followOn(template: TherapyTemplate, state: CaseState, completed: string): CaseEventBody[] {
  const index = indexTemplate(template);
  const bodies: CaseEventBody[] = [];
  const completedNow = (key: string) => key === completed || state.steps[key]?.status === 'completed';
  const opening = new Set<string>();
  for (const target of index.nextOf.get(completed) ?? []) {
    const run = state.steps[target];
    if (run?.status === 'open') continue;
    const definition = index.step.get(target);
    if (definition?.join === 'all' && !(index.predecessorsOf.get(target) ?? []).every(completedNow)) continue;
    opening.add(target);
    bodies.push({ type: 'step_opened', step: target, attempt: (run?.attempt ?? 0) + 1 });
  }
  const stillOpen = state.openSteps.filter((key) => key !== completed);
  if (stillOpen.length === 0 && opening.size === 0) bodies.push({ type: 'case_completed' });
  return bodies;
}

export function describeWaiting(
  waiting: StepWaitingFor,
  taskTitle: (task: string) => string = (t) => t,
): string {
  const parts: string[] = [];
  if (waiting.exception) parts.push(`a decision on exception ${waiting.exception}`);
  if (waiting.tasks.length > 0) parts.push(waiting.tasks.map((t) => `“${taskTitle(t.task)}”`).join(', '));
  for (const a of waiting.approvals) parts.push(`${a.needed - a.given} approval(s) by ${a.role}`);
  if (waiting.signatures)
    parts.push(
      `${waiting.signatures.needed - waiting.signatures.given} signature(s) by ${waiting.signatures.nextRoles.join('/')}`,
    );
  if (waiting.custody) parts.push('custody confirmation');
  return `waits for ${parts.join('; ')}`;
}

/** decide, then evolve: the one-step loop tests and the store's use-case both run. */
export function applyCommand(
  template: TherapyTemplate,
  state: CaseState | null,
  command: CaseCommand,
  context: DecideContext,
): { ok: true; state: CaseState; events: CaseEvent[] } | { ok: false; error: DecideError } {
  const result = decide(template, state, command, context);
  if (!result.ok) return result;
  return {
    ok: true,
    events: result.events,
    state: state ? evolve(template, state, result.events) : caseState(template, result.events),
  };
}
