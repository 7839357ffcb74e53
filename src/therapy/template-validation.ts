import type { PartnerType } from '../partners/partner-tables.ts';
import { type Role, roleAllowedForPartner } from '../platform/access/roles.ts';
import { firstStepKey, indexTemplate, taskPartnerType, taskRole } from './template-index.ts';
import { type LeadTime, type TherapyTemplate, templateSchema } from './template-schema.ts';

export type TemplateError = { path: string; reason: string };
export type TemplateValidation =
  | { ok: true; template: TherapyTemplate }
  | { ok: false; errors: TemplateError[] };

/** `['stages', 3, 'steps', 1, 'key']` → `stages[3].steps[1].key`, the form authors see. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function validateTemplate(document: unknown): TemplateValidation {
  const parsed = templateSchema.safeParse(document);
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), reason: issue.message })),
    };
  const errors = semanticErrors(parsed.data);
  return errors.length === 0 ? { ok: true, template: parsed.data } : { ok: false, errors };
}

function semanticErrors(template: TherapyTemplate): TemplateError[] {
  const errors: TemplateError[] = [];
  const fail = (path: string, reason: string) => errors.push({ path, reason });
  const index = indexTemplate(template);
  const stepKeys = new Set<string>();
  const stageKeys = new Set<string>();

  const checkRole = (path: string, role: Role, partnerType: PartnerType) => {
    if (!roleAllowedForPartner(role, partnerType))
      fail(path, `role ${role} cannot be held at a ${partnerType} partner`);
  };
  const checkLeadTime = (path: string, lead: LeadTime, from?: string) => {
    if (!index.step.has(lead.toStep)) fail(`${path}.toStep`, `no step ${lead.toStep} in this template`);
    else if (lead.toStep === from) fail(`${path}.toStep`, 'a lead time leads to another step');
    if (lead.min > lead.max) fail(`${path}.min`, `min ${lead.min} is greater than max ${lead.max}`);
  };

  template.stages.forEach((stage, si) => {
    const stagePath = `stages[${si}]`;
    if (stageKeys.has(stage.key)) fail(`${stagePath}.key`, `stage key ${stage.key} is used twice`);
    stageKeys.add(stage.key);
    stage.steps.forEach((step, pi) => {
      const p = `${stagePath}.steps[${pi}]`;
      if (stepKeys.has(step.key)) fail(`${p}.key`, `step key ${step.key} is used twice`);
      stepKeys.add(step.key);
      checkRole(`${p}.role`, step.role, step.partnerType);

      const taskKeys = new Set<string>();
      const fieldKeys = new Set<string>();
      step.tasks.forEach((task, ti) => {
        const tp = `${p}.tasks[${ti}]`;
        if (taskKeys.has(task.key))
          fail(`${tp}.key`, `task key ${task.key} is used twice in step ${step.key}`);
        taskKeys.add(task.key);
        checkRole(`${tp}.role`, taskRole(step, task), taskPartnerType(step, task));
        task.fields.forEach((field, fi) => {
          const fp = `${tp}.fields[${fi}]`;
          if (fieldKeys.has(field.key))
            fail(`${fp}.key`, `field key ${field.key} is used twice in step ${step.key}`);
          fieldKeys.add(field.key);
          if (
            field.type === 'number' &&
            field.min !== undefined &&
            field.max !== undefined &&
            field.min > field.max
          )
            fail(`${fp}.min`, `min ${field.min} is greater than max ${field.max}`);
          if (field.type === 'choice' && new Set(field.options).size !== field.options.length)
            fail(`${fp}.options`, 'options must not repeat');
          if (field.type === 'identifier')
            try {
              new RegExp(field.pattern, 'u');
            } catch (error) {
              fail(`${fp}.pattern`, `is not a regular expression: ${(error as Error).message}`);
            }
        });
      });

      const { gates } = step;
      if (gates.signatures) {
        const partnerType = gates.signatures.partnerType ?? step.partnerType;
        gates.signatures.signerRoles.forEach((role, ri) => {
          checkRole(`${p}.gates.signatures.signerRoles[${ri}]`, role, partnerType);
        });
        if (gates.signatures.on === 'handoff' && !gates.custodyComplete)
          fail(
            `${p}.gates.signatures.on`,
            'signatures on the custody hand-off need gates.custodyComplete: true (the step waits for them through its custody gate)',
          );
      }
      const approvalRoles = new Set<string>();
      gates.approvals.forEach((approval, ai) => {
        if (approvalRoles.has(approval.role))
          fail(`${p}.gates.approvals[${ai}].role`, `approval by ${approval.role} is listed twice`);
        approvalRoles.add(approval.role);
        checkRole(
          `${p}.gates.approvals[${ai}].role`,
          approval.role,
          approval.partnerType ?? step.partnerType,
        );
      });

      (step.next ?? []).forEach((target, ni) => {
        if (!index.step.has(target)) fail(`${p}.next[${ni}]`, `no step ${target} in this template`);
        else if (target === step.key) fail(`${p}.next[${ni}]`, 'a step cannot lead to itself');
      });
      if (step.next && new Set(step.next).size !== step.next.length)
        fail(`${p}.next`, 'must not repeat a step');
      step.leadTimes.forEach((lead, li) => {
        checkLeadTime(`${p}.leadTimes[${li}]`, lead, step.key);
      });

      const codes = new Set<string>();
      step.exceptions.forEach((exception, ei) => {
        const ep = `${p}.exceptions[${ei}]`;
        if (codes.has(exception.code)) fail(`${ep}.code`, `exception ${exception.code} is listed twice`);
        codes.add(exception.code);
        if (new Set(exception.reasonCodes).size !== exception.reasonCodes.length)
          fail(`${ep}.reasonCodes`, 'must not repeat a reason code');
        const branchKeys = new Set<string>();
        exception.branches.forEach((branch, bi) => {
          const bp = `${ep}.branches[${bi}]`;
          if (branchKeys.has(branch.key)) fail(`${bp}.key`, `branch ${branch.key} is listed twice`);
          branchKeys.add(branch.key);
          if (branch.kind === 'go_to_step') {
            if (branch.toStep === undefined) fail(`${bp}.toStep`, 'is required for a go_to_step branch');
            else if (!index.step.has(branch.toStep))
              fail(`${bp}.toStep`, `no step ${branch.toStep} in this template`);
          } else if (branch.toStep !== undefined)
            fail(`${bp}.toStep`, `only go_to_step branches name a step`);
        });
      });
    });
  });

  if (errors.length === 0) {
    errors.push(...flowErrors(template));
  }

  const overrideKeys = new Set<string>();
  template.overrides.forEach((override, oi) => {
    const op = `overrides[${oi}]`;
    if (overrideKeys.has(override.key)) fail(`${op}.key`, `override key ${override.key} is used twice`);
    overrideKeys.add(override.key);
    const { scope, set } = override;
    if (scope.step !== undefined && !index.step.has(scope.step))
      fail(`${op}.scope.step`, `no step ${scope.step} in this template`);
    if (scope.stage !== undefined && !stageKeys.has(scope.stage))
      fail(`${op}.scope.stage`, `no stage ${scope.stage} in this template`);
    if (
      scope.step !== undefined &&
      scope.stage !== undefined &&
      index.step.has(scope.step) &&
      index.stageOf.get(scope.step)?.key !== scope.stage
    )
      fail(`${op}.scope.step`, `step ${scope.step} is not in stage ${scope.stage}`);
    if (set.leadTimes === undefined && set.fields === undefined && set.signatureCount === undefined)
      fail(`${op}.set`, 'must change at least one setting');
    const inScope = index.steps.filter(
      (s) =>
        (scope.step === undefined || s.key === scope.step) &&
        (scope.stage === undefined || index.stageOf.get(s.key)?.key === scope.stage),
    );
    set.leadTimes?.forEach((lead, li) => {
      checkLeadTime(`${op}.set.leadTimes[${li}]`, lead, scope.step);
    });
    set.fields?.forEach((f, fi) => {
      if (!inScope.some((s) => s.tasks.some((t) => t.fields.some((field) => field.key === f.field))))
        fail(`${op}.set.fields[${fi}].field`, `no field ${f.field} in the steps this override applies to`);
    });
    if (set.signatureCount !== undefined && !inScope.some((s) => s.gates.signatures))
      fail(`${op}.set.signatureCount`, 'no step this override applies to has a signature gate');
  });
  return errors;
}

/** `next` must not loop (loops go through exception branches) and every step must be reachable. */
function flowErrors(template: TherapyTemplate): TemplateError[] {
  const errors: TemplateError[] = [];
  const index = indexTemplate(template);
  const pathOf = (key: string) => {
    const stage = index.stageOf.get(key);
    const si = stage ? template.stages.indexOf(stage) : -1;
    return `stages[${si}].steps[${stage?.steps.findIndex((s) => s.key === key) ?? -1}]`;
  };

  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (key: string): void => {
    state.set(key, 'visiting');
    for (const next of index.nextOf.get(key) ?? []) {
      const seen = state.get(next);
      if (seen === 'visiting')
        errors.push({ path: `${pathOf(key)}.next`, reason: `leads back to ${next} (a loop)` });
      else if (seen === undefined) visit(next);
    }
    state.set(key, 'done');
  };
  for (const step of index.steps) if (!state.has(step.key)) visit(step.key);

  const reached = new Set<string>();
  const queue = [firstStepKey(template)];
  while (queue.length > 0) {
    const key = queue.shift() as string;
    if (reached.has(key)) continue;
    reached.add(key);
    const step = index.step.get(key);
    queue.push(...(index.nextOf.get(key) ?? []));
    for (const exception of step?.exceptions ?? [])
      for (const branch of exception.branches) if (branch.toStep) queue.push(branch.toStep);
  }
  for (const step of index.steps)
    if (!reached.has(step.key))
      errors.push({
        path: `${pathOf(step.key)}.key`,
        reason: `step ${step.key} cannot be reached from the first step`,
      });
  return errors;
}
