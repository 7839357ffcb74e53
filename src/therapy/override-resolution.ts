import { indexTemplate } from './template-index.ts';
import type { LeadTime, StepDefinition, TemplateOverride, TherapyTemplate } from './template-schema.ts';

/** Where a case runs: the treatment centre's country and site. */
export type ResolutionContext = { country?: string | null; siteId?: string | null };

export type EffectiveStep = {
  step: StepDefinition;
  /** Lead times to later steps, by target step key. */
  leadTimes: LeadTime[];
  /** Whether each field of the step (by key, across its tasks) is required. */
  fieldRequired: Record<string, boolean>;
  /** 0 when the step has no signature gate. */
  signatureCount: number;
  /** Which override decided each setting, for the case view and the audit trail. */
  decidedBy: { leadTimes: Record<string, string>; fields: Record<string, string>; signatureCount?: string };
};

export function overrideMatches(
  override: TemplateOverride,
  stageKey: string,
  stepKey: string,
  context: ResolutionContext,
): boolean {
  const { scope } = override;
  if (scope.step !== undefined && scope.step !== stepKey) return false;
  if (scope.stage !== undefined && scope.stage !== stageKey) return false;
  if (scope.country !== undefined && scope.country !== context.country) return false;
  if (scope.siteId !== undefined && scope.siteId !== context.siteId) return false;
  return true;
}

function targetSpecificity(o: TemplateOverride): number {
  return o.scope.step !== undefined ? 2 : o.scope.stage !== undefined ? 1 : 0;
}
function placeSpecificity(o: TemplateOverride): number {
  return o.scope.siteId !== undefined ? 2 : o.scope.country !== undefined ? 1 : 0;
}

/**
 * Winner first: higher priority, then the more specific target (step > stage > whole template),
 * then the more specific place (site > country > everywhere), then the key. Keys are unique in a
 * valid template, so this is a total order and the list order never matters.
 */
export function compareOverrides(a: TemplateOverride, b: TemplateOverride): number {
  return (
    b.priority - a.priority ||
    targetSpecificity(b) - targetSpecificity(a) ||
    placeSpecificity(b) - placeSpecificity(a) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

export function matchingOverrides(
  template: TherapyTemplate,
  stepKey: string,
  context: ResolutionContext,
): TemplateOverride[] {
  const stage = indexTemplate(template).stageOf.get(stepKey);
  if (!stage) throw new Error(`no step ${stepKey} in ${template.code} v${template.version}`);
  return template.overrides
    .filter((o) => overrideMatches(o, stage.key, stepKey, context))
    .sort(compareOverrides);
}

export function resolveStep(
  template: TherapyTemplate,
  stepKey: string,
  context: ResolutionContext,
): EffectiveStep {
  const step = indexTemplate(template).step.get(stepKey);
  if (!step) throw new Error(`no step ${stepKey} in ${template.code} v${template.version}`);
  const winners = matchingOverrides(template, stepKey, context);
  const decidedBy: EffectiveStep['decidedBy'] = { leadTimes: {}, fields: {} };

  const leadTimes = new Map(step.leadTimes.map((l) => [l.toStep, l]));
  const fieldRequired: Record<string, boolean> = {};
  for (const task of step.tasks) for (const field of task.fields) fieldRequired[field.key] = field.required;
  let signatureCount = step.gates.signatures?.count ?? 0;

  // Winners are sorted best first, so the first override to set a value keeps it.
  for (const o of winners) {
    for (const lead of o.set.leadTimes ?? [])
      if (decidedBy.leadTimes[lead.toStep] === undefined) {
        leadTimes.set(lead.toStep, lead);
        decidedBy.leadTimes[lead.toStep] = o.key;
      }
    for (const f of o.set.fields ?? [])
      if (f.field in fieldRequired && decidedBy.fields[f.field] === undefined) {
        fieldRequired[f.field] = f.required;
        decidedBy.fields[f.field] = o.key;
      }
    if (
      o.set.signatureCount !== undefined &&
      step.gates.signatures &&
      decidedBy.signatureCount === undefined
    ) {
      signatureCount = o.set.signatureCount;
      decidedBy.signatureCount = o.key;
    }
  }
  return {
    step,
    leadTimes: [...leadTimes.values()].sort((a, b) =>
      a.toStep < b.toStep ? -1 : a.toStep > b.toStep ? 1 : 0,
    ),
    fieldRequired,
    signatureCount,
    decidedBy,
  };
}

/** Every lead time of the template as it applies at one place, for the scheduler's chain search. */
export function effectiveLeadTimes(
  template: TherapyTemplate,
  context: ResolutionContext,
): Array<LeadTime & { fromStep: string }> {
  return indexTemplate(template).steps.flatMap((step) =>
    resolveStep(template, step.key, context).leadTimes.map((lead) => ({ fromStep: step.key, ...lead })),
  );
}
