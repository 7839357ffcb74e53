import type { StageDefinition, StepDefinition, TaskDefinition, TherapyTemplate } from './template-schema.ts';

/** Lookups over a template that both validation and the case engine need. */
export type TemplateIndex = {
  /** Steps in document order. */
  steps: StepDefinition[];
  step: Map<string, StepDefinition>;
  stageOf: Map<string, StageDefinition>;
  order: Map<string, number>;
  /** Steps that open when a step completes (explicit `next`, else the following step). */
  nextOf: Map<string, string[]>;
  /** Inverse of nextOf, for `join: 'all'`. */
  predecessorsOf: Map<string, string[]>;
};

const cache = new WeakMap<TherapyTemplate, TemplateIndex>();

export function indexTemplate(template: TherapyTemplate): TemplateIndex {
  const cached = cache.get(template);
  if (cached) return cached;
  const steps = template.stages.flatMap((stage) => stage.steps);
  const step = new Map<string, StepDefinition>();
  const stageOf = new Map<string, StageDefinition>();
  const order = new Map<string, number>();
  for (const stage of template.stages)
    for (const s of stage.steps) {
      if (!step.has(s.key)) {
        step.set(s.key, s);
        stageOf.set(s.key, stage);
        order.set(s.key, order.size);
      }
    }
  const nextOf = new Map<string, string[]>();
  const predecessorsOf = new Map<string, string[]>();
  steps.forEach((s, i) => {
    const following = steps[i + 1];
    const next = s.next ?? (following ? [following.key] : []);
    nextOf.set(s.key, next);
    for (const target of next) predecessorsOf.set(target, [...(predecessorsOf.get(target) ?? []), s.key]);
  });
  const index = { steps, step, stageOf, order, nextOf, predecessorsOf };
  cache.set(template, index);
  return index;
}

export function firstStepKey(template: TherapyTemplate): string {
  const first = template.stages[0]?.steps[0];
  if (!first) throw new Error('a template has at least one step');
  return first.key;
}

export function taskPartnerType(step: StepDefinition, task: TaskDefinition) {
  return task.partnerType ?? step.partnerType;
}

export function taskRole(step: StepDefinition, task: TaskDefinition) {
  return task.role ?? step.role;
}
