/**
 * From a therapy template to the chain the scheduler books. A scheduling profile per therapy code
 * says which template steps take a slot, of which work type and at which site of the preferred
 * site set; the lead times between those steps come from the template as resolved for the treatment
 * centre (country and site overrides), and the profile fills the gaps the template leaves (how long
 * manufacturing takes is a plant fact, not a clinical rule written in the template).
 */
import { unitToMs } from '../therapy/durations.ts';
import { effectiveLeadTimes } from '../therapy/override-resolution.ts';
import { indexTemplate } from '../therapy/template-index.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import type { ChainSpec, ChainStepSpec, LeadTimeRule } from './scheduling-model.ts';

type SchedulingProfile = {
  steps: readonly ChainStepSpec[];
  /** Used only where the template has no lead time between the two steps. */
  defaultLeadTimes: readonly LeadTimeRule[];
};

const DAY = 24;

export const SCHEDULING_PROFILES: Readonly<Record<string, SchedulingProfile>> = {
  'car-t-autologous': {
    steps: [
      { stepKey: 'apheresis', workType: 'apheresis', siteRole: 'collection' },
      { stepKey: 'manufacturing', workType: 'manufacturing_start', siteRole: 'plant' },
      // The slot the plant reserves is the batch release; the template's QC testing has no slot.
      { stepKey: 'qa_release', workType: 'qc_release', siteRole: 'plant' },
      { stepKey: 'conditioning', workType: 'conditioning', siteRole: 'infusion' },
      { stepKey: 'infusion', workType: 'infusion', siteRole: 'infusion' },
    ],
    defaultLeadTimes: [
      { fromStep: 'manufacturing', toStep: 'qa_release', minHours: 8 * DAY, maxHours: 21 * DAY },
      { fromStep: 'qa_release', toStep: 'infusion', minHours: 2 * DAY, maxHours: 14 * DAY },
      // Lymphodepletion starts only once the batch is released, so a failed batch spares the patient.
      { fromStep: 'qa_release', toStep: 'conditioning', minHours: 1 * DAY, maxHours: 12 * DAY },
    ],
  },
  'gene-therapy-ex-vivo-lentiviral': {
    steps: [
      { stepKey: 'mobilisation_apheresis', workType: 'apheresis', siteRole: 'collection' },
      { stepKey: 'transduction', workType: 'manufacturing_start', siteRole: 'plant' },
      { stepKey: 'qa_release', workType: 'qc_release', siteRole: 'plant' },
      { stepKey: 'myeloablative_conditioning', workType: 'conditioning', siteRole: 'infusion' },
      { stepKey: 'infusion', workType: 'infusion', siteRole: 'infusion' },
    ],
    defaultLeadTimes: [
      { fromStep: 'transduction', toStep: 'qa_release', minHours: 14 * DAY, maxHours: 42 * DAY },
      { fromStep: 'qa_release', toStep: 'infusion', minHours: 2 * DAY, maxHours: 30 * DAY },
      { fromStep: 'qa_release', toStep: 'myeloablative_conditioning', minHours: 1 * DAY, maxHours: 28 * DAY },
    ],
  },
  // A dose comes from stock: nothing to collect or manufacture per patient, only the infusion.
  'gene-therapy-in-vivo-aav': {
    steps: [{ stepKey: 'infusion', workType: 'infusion', siteRole: 'infusion' }],
    defaultLeadTimes: [],
  },
  'mrna-personalised-vaccine': {
    steps: [
      { stepKey: 'manufacturing', workType: 'manufacturing_start', siteRole: 'plant' },
      { stepKey: 'release', workType: 'qc_release', siteRole: 'plant' },
      { stepKey: 'dose_1', workType: 'infusion', siteRole: 'infusion' },
    ],
    defaultLeadTimes: [
      { fromStep: 'manufacturing', toStep: 'release', minHours: 21 * DAY, maxHours: 42 * DAY },
      { fromStep: 'release', toStep: 'dose_1', minHours: 2 * DAY, maxHours: 21 * DAY },
    ],
  },
};

export function chainSpecFor(
  template: TherapyTemplate,
  context: { country: string; siteId?: string },
): { spec: ChainSpec } | { problems: string[] } {
  const profile = SCHEDULING_PROFILES[template.code];
  if (!profile) return { problems: [`therapy ${template.code} has no scheduling profile`] };
  const known = indexTemplate(template).step;
  const missing = profile.steps.filter((s) => !known.has(s.stepKey)).map((s) => s.stepKey);
  if (missing.length > 0)
    return {
      problems: [`template ${template.code} v${template.version} has no step ${missing.join(', ')}`],
    };

  const inChain = new Set(profile.steps.map((s) => s.stepKey));
  const leadTimes: LeadTimeRule[] = effectiveLeadTimes(template, {
    country: context.country,
    siteId: context.siteId ?? null,
  })
    .filter((l) => inChain.has(l.fromStep) && inChain.has(l.toStep))
    .map((l) => ({
      fromStep: l.fromStep,
      toStep: l.toStep,
      minHours: unitToMs(l.min, l.unit) / 3_600_000,
      maxHours: unitToMs(l.max, l.unit) / 3_600_000,
    }));
  const linked = (a: string, b: string) =>
    leadTimes.some((l) => (l.fromStep === a && l.toStep === b) || (l.fromStep === b && l.toStep === a));
  for (const rule of profile.defaultLeadTimes)
    if (!linked(rule.fromStep, rule.toStep)) leadTimes.push({ ...rule });

  const spec: ChainSpec = { therapyCode: template.code, steps: profile.steps, leadTimes };
  const problems = leadTimeProblems(spec);
  return problems.length > 0 ? { problems } : { spec };
}

/**
 * Lead times no chain can satisfy: a minimum above its maximum, or rules that contradict each other
 * around a cycle (A→B at least 10 days but B→C and C→A force B within 5 days of A). Difference
 * constraints on step starts: a negative cycle in their graph is exactly an unsatisfiable set.
 */
export function leadTimeProblems(spec: ChainSpec): string[] {
  const problems: string[] = [];
  const keys = spec.steps.map((s) => s.stepKey);
  const index = new Map(keys.map((k, i) => [k, i]));
  const n = keys.length;
  // dist[i][j]: upper bound on start(j) − start(i).
  const dist = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)),
  );
  for (const rule of spec.leadTimes) {
    const from = index.get(rule.fromStep);
    const to = index.get(rule.toStep);
    if (from === undefined || to === undefined) {
      problems.push(`lead time ${rule.fromStep} → ${rule.toStep} names a step outside the chain`);
      continue;
    }
    if (!(rule.minHours >= 0) || !(rule.maxHours >= 0))
      problems.push(`lead time ${rule.fromStep} → ${rule.toStep} must not be negative`);
    if (rule.minHours > rule.maxHours) {
      problems.push(
        `lead time ${rule.fromStep} → ${rule.toStep}: minimum ${rule.minHours} h exceeds maximum ${rule.maxHours} h`,
      );
      continue;
    }
    const row = dist[from] as number[];
    row[to] = Math.min(row[to] as number, rule.maxHours);
    const back = dist[to] as number[];
    back[from] = Math.min(back[from] as number, -rule.minHours);
  }
  if (problems.length > 0) return problems;
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const through = (dist[i]?.[k] as number) + (dist[k]?.[j] as number);
        if (through < (dist[i]?.[j] as number)) (dist[i] as number[])[j] = through;
      }
  const inCycle = keys.filter((_, i) => (dist[i]?.[i] as number) < 0);
  if (inCycle.length > 0)
    problems.push(
      `lead times between ${inCycle.join(', ')} contradict each other: no chain can satisfy them all`,
    );
  return problems;
}
