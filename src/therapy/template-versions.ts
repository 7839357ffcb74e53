import { templateRecordHash } from './template-hash.ts';
import { indexTemplate } from './template-index.ts';
import type { StepDefinition, TherapyTemplate } from './template-schema.ts';
import { type TemplateError, validateTemplate } from './template-validation.ts';

/*
 * A template version moves draft → published → retired and never back. Only a draft changes;
 * publishing is a controlled change bound to a signature over the exact document (a placeholder
 * record until the signatures capability lands: the store writes it to the ledger). A retired
 * version still drives the cases already pinned to it, but no new case may start on it.
 */
export type TemplateStatus = 'draft' | 'published' | 'retired';

export type PublicationSignature = { signedBy: string; meaning: string; recordHash: string };

export type TemplateVersion = {
  code: string;
  version: number;
  status: TemplateStatus;
  template: TherapyTemplate;
  publishedAt?: string;
  publication?: PublicationSignature;
  retiredAt?: string;
};

export type VersionProblem =
  | { kind: 'invalid_template'; errors: TemplateError[] }
  | { kind: 'conflict'; reason: string };
export type VersionResult = { ok: true; version: TemplateVersion } | { ok: false; error: VersionProblem };

const conflict = (reason: string): VersionResult => ({ ok: false, error: { kind: 'conflict', reason } });

export function createDraft(document: unknown): VersionResult {
  const validation = validateTemplate(document);
  if (!validation.ok) return { ok: false, error: { kind: 'invalid_template', errors: validation.errors } };
  const { template } = validation;
  return { ok: true, version: { code: template.code, version: template.version, status: 'draft', template } };
}

/** The next version starts as a copy of an existing one, as a draft. */
export function draftNextVersion(from: TemplateVersion, existing: readonly TemplateVersion[]): VersionResult {
  const highest = Math.max(
    from.version,
    ...existing.filter((v) => v.code === from.code).map((v) => v.version),
  );
  return createDraft({ ...from.template, version: highest + 1 });
}

export function editDraft(current: TemplateVersion, document: unknown): VersionResult {
  if (current.status !== 'draft')
    return conflict(`version ${current.version} is ${current.status}; only a draft can be edited`);
  const next = createDraft(document);
  if (!next.ok) return next;
  if (next.version.code !== current.code || next.version.version !== current.version)
    return conflict('the code and version of a draft cannot change');
  return next;
}

export function publishVersion(
  current: TemplateVersion,
  signature: PublicationSignature | undefined,
  at: Date,
): VersionResult {
  if (current.status !== 'draft')
    return conflict(`version ${current.version} is ${current.status}; only a draft can be published`);
  if (!signature?.signedBy || !signature.meaning)
    return conflict('publishing requires a signature: signedBy, meaning and recordHash');
  const expected = templateRecordHash(current.template);
  if (signature.recordHash !== expected)
    return conflict(`the signature is for another record (recordHash must be ${expected})`);
  return {
    ok: true,
    version: {
      ...current,
      status: 'published',
      publishedAt: at.toISOString(),
      publication: { ...signature },
    },
  };
}

export function retireVersion(current: TemplateVersion, at: Date): VersionResult {
  if (current.status !== 'published')
    return conflict(
      `version ${current.version} is ${current.status}; only a published version can be retired`,
    );
  return { ok: true, version: { ...current, status: 'retired', retiredAt: at.toISOString() } };
}

/** Which version a new case starts on: the highest published one. */
export function versionForNewCase(
  versions: readonly TemplateVersion[],
  code: string,
): TemplateVersion | undefined {
  return versions
    .filter((v) => v.code === code && v.status === 'published')
    .sort((a, b) => b.version - a.version)[0];
}

export function canStartCase(version: TemplateVersion): { ok: true } | { ok: false; reason: string } {
  return version.status === 'published'
    ? { ok: true }
    : {
        ok: false,
        reason: `${version.code} v${version.version} is ${version.status}; new cases need a published version`,
      };
}

/** The version a running case is pinned to (from its case_opened event), whatever came after. */
export function pinnedVersion(
  versions: readonly TemplateVersion[],
  pin: { templateCode: string; templateVersion: number },
): TemplateVersion | undefined {
  return versions.find((v) => v.code === pin.templateCode && v.version === pin.templateVersion);
}

export type TemplateDifference =
  | { kind: 'template_changed'; change: string }
  | { kind: 'step_added'; step: string; stage: string }
  | { kind: 'step_removed'; step: string; stage: string }
  | { kind: 'step_changed'; step: string; changes: string[] }
  | { kind: 'override_added' | 'override_removed' | 'override_changed'; override: string };

/** A readable list of what changed from `a` to `b`, steps in b's order. */
export function compareTemplates(a: TherapyTemplate, b: TherapyTemplate): TemplateDifference[] {
  const diffs: TemplateDifference[] = [];
  for (const field of ['therapyType', 'code', 'title', 'version'] as const)
    if (a[field] !== b[field])
      diffs.push({ kind: 'template_changed', change: `${field}: ${a[field]} → ${b[field]}` });
  const ia = indexTemplate(a);
  const ib = indexTemplate(b);
  for (const step of ia.steps)
    if (!ib.step.has(step.key))
      diffs.push({ kind: 'step_removed', step: step.key, stage: ia.stageOf.get(step.key)?.key ?? '' });
  for (const step of ib.steps) {
    const before = ia.step.get(step.key);
    if (!before) {
      diffs.push({ kind: 'step_added', step: step.key, stage: ib.stageOf.get(step.key)?.key ?? '' });
      continue;
    }
    const changes = stepChanges(before, step, ia.stageOf.get(step.key)?.key, ib.stageOf.get(step.key)?.key);
    if (ia.nextOf.get(step.key)?.join(',') !== ib.nextOf.get(step.key)?.join(','))
      changes.push(
        `leads to: ${ia.nextOf.get(step.key)?.join(', ') || '(end)'} → ${ib.nextOf.get(step.key)?.join(', ') || '(end)'}`,
      );
    if (changes.length > 0) diffs.push({ kind: 'step_changed', step: step.key, changes });
  }
  const oa = new Map(a.overrides.map((o) => [o.key, o]));
  const ob = new Map(b.overrides.map((o) => [o.key, o]));
  for (const key of oa.keys()) if (!ob.has(key)) diffs.push({ kind: 'override_removed', override: key });
  for (const [key, o] of ob) {
    const before = oa.get(key);
    if (!before) diffs.push({ kind: 'override_added', override: key });
    else if (JSON.stringify(before) !== JSON.stringify(o))
      diffs.push({ kind: 'override_changed', override: key });
  }
  return diffs;
}

function stepChanges(a: StepDefinition, b: StepDefinition, stageA?: string, stageB?: string): string[] {
  const changes: string[] = [];
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (stageA !== stageB) changes.push(`stage: ${stageA} → ${stageB}`);
  if (a.title !== b.title) changes.push(`title: ${a.title} → ${b.title}`);
  if (a.partnerType !== b.partnerType) changes.push(`partner type: ${a.partnerType} → ${b.partnerType}`);
  if (a.role !== b.role) changes.push(`role: ${a.role} → ${b.role}`);
  const tasksA = new Map(a.tasks.map((t) => [t.key, t]));
  const tasksB = new Map(b.tasks.map((t) => [t.key, t]));
  for (const key of tasksA.keys()) if (!tasksB.has(key)) changes.push(`task removed: ${key}`);
  for (const [key, task] of tasksB) {
    const before = tasksA.get(key);
    if (!before) {
      changes.push(`task added: ${key}`);
      continue;
    }
    const fieldsA = new Map(before.fields.map((f) => [f.key, f]));
    const fieldsB = new Map(task.fields.map((f) => [f.key, f]));
    for (const f of fieldsA.keys()) if (!fieldsB.has(f)) changes.push(`field removed: ${key}.${f}`);
    for (const [f, field] of fieldsB) {
      const old = fieldsA.get(f);
      if (!old) changes.push(`field added: ${key}.${f}${field.required ? ' (required)' : ''}`);
      else if (!same(old, field)) changes.push(`field changed: ${key}.${f}`);
    }
    if (before.title !== task.title || before.role !== task.role || before.partnerType !== task.partnerType)
      changes.push(`task changed: ${key}`);
  }
  const sigA = a.gates.signatures;
  const sigB = b.gates.signatures;
  if ((sigA?.count ?? 0) !== (sigB?.count ?? 0))
    changes.push(`signatures: ${sigA?.count ?? 0} → ${sigB?.count ?? 0}`);
  else if (!same(sigA, sigB)) changes.push('signature rules changed');
  if (!same(a.gates.approvals, b.gates.approvals))
    changes.push(
      `approvals: ${a.gates.approvals.map((x) => `${x.count}×${x.role}`).join(', ') || 'none'} → ${b.gates.approvals.map((x) => `${x.count}×${x.role}`).join(', ') || 'none'}`,
    );
  if (a.gates.tasksDone !== b.gates.tasksDone)
    changes.push(`tasks gate: ${a.gates.tasksDone} → ${b.gates.tasksDone}`);
  if (a.gates.custodyComplete !== b.gates.custodyComplete)
    changes.push(`custody gate: ${a.gates.custodyComplete} → ${b.gates.custodyComplete}`);
  if (!same(a.due, b.due)) changes.push('due time or escalations changed');
  if (!same(a.leadTimes, b.leadTimes)) changes.push('lead times changed');
  if (a.join !== b.join) changes.push(`join: ${a.join} → ${b.join}`);
  if (!same(a.exceptions, b.exceptions)) changes.push('exceptions or branches changed');
  return changes;
}

/** One line per difference, for the template viewer and the change record. */
export function describeDifference(d: TemplateDifference): string {
  switch (d.kind) {
    case 'template_changed':
      return d.change;
    case 'step_added':
      return `step added: ${d.step} (stage ${d.stage})`;
    case 'step_removed':
      return `step removed: ${d.step} (stage ${d.stage})`;
    case 'step_changed':
      return `step ${d.step}: ${d.changes.join('; ')}`;
    default:
      return `${d.kind.replace('_', ' ')}: ${d.override}`;
  }
}
