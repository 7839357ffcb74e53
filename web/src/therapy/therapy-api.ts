import { fetchJson, withQuery } from '../api-client.ts';
import type { Signature } from '../signatures/signatures-api.ts';

/*
 * Therapy templates as the server sends them. The document mirrors `src/therapy/template-schema.ts`
 * (the server's truth); the web app keeps its own copy of the shape, as it does for roles.
 */

export type TemplateStatus = 'draft' | 'published' | 'retired';

export interface TemplateSummary {
  code: string;
  version: number;
  title: string;
  therapyType: string;
  status: TemplateStatus | string;
  publishedAt: string | null;
}

/** ISO-8601 (`PT48H`, `P5D`) or an amount with a unit. */
export type TemplateDuration = string | { amount: number; unit: string };

export type FieldDefinition = {
  key: string;
  label: string;
  required?: boolean;
} & (
  | { type: 'text'; maxLength?: number }
  | { type: 'number'; unit: string; min?: number; max?: number; integer?: boolean }
  | { type: 'date' }
  | { type: 'datetime' }
  | { type: 'boolean' }
  | { type: 'choice'; options: string[] }
  | { type: 'identifier'; pattern: string }
);

export interface TaskDefinition {
  key: string;
  title: string;
  partnerType?: string;
  role?: string;
  fields?: FieldDefinition[];
}

export interface SignatureGate {
  count: number;
  mode: 'sequential' | 'parallel';
  signerRoles: string[];
  partnerType?: string;
  meaning: string;
}

export interface ApprovalRequirement {
  role: string;
  count?: number;
  partnerType?: string;
}

export interface Gates {
  tasksDone?: boolean;
  custodyComplete?: boolean;
  signatures?: SignatureGate;
  approvals?: ApprovalRequirement[];
}

export interface EscalationRule {
  toRole: string;
  after: TemplateDuration;
  repeatEvery?: TemplateDuration;
  maxRepeats?: number;
}

export interface LeadTime {
  toStep: string;
  min: number;
  max: number;
  unit: string;
}

export interface BranchDefinition {
  key: string;
  title: string;
  kind: string;
  toStep?: string;
  decidedBy: string[];
}

export interface ExceptionDefinition {
  code: string;
  reasonCodes: string[];
  raisedBy: string[];
  quarantine?: boolean;
  branches: BranchDefinition[];
}

export interface StepDefinition {
  key: string;
  title: string;
  partnerType: string;
  role: string;
  tasks: TaskDefinition[];
  gates?: Gates;
  due?: { after: TemplateDuration; escalations?: EscalationRule[] };
  leadTimes?: LeadTime[];
  next?: string[];
  join?: 'any' | 'all';
  exceptions?: ExceptionDefinition[];
}

export interface StageDefinition {
  key: string;
  title: string;
  steps: StepDefinition[];
}

export interface TemplateOverride {
  key: string;
  priority: number;
  scope: { country?: string; siteId?: string; stage?: string; step?: string };
  set: {
    leadTimes?: LeadTime[];
    fields?: Array<{ field: string; required: boolean }>;
    signatureCount?: number;
  };
}

export interface TemplateDocument {
  code: string;
  version: number;
  title: string;
  therapyType: string;
  stages: StageDefinition[];
  overrides?: TemplateOverride[];
}

export interface TemplateVersion {
  code: string;
  version: number;
  title: string;
  therapyType: string;
  status: TemplateStatus | string;
  document: TemplateDocument;
  /** The electronic signature that approved this version for use, once published. */
  publication?: Signature | null;
}

export interface TemplateDifference {
  description: string;
}

export async function fetchTemplates(signal?: AbortSignal): Promise<TemplateSummary[]> {
  const body = await fetchJson<{ templates: TemplateSummary[] }>('/api/therapy/templates', { signal });
  return body.templates;
}

export async function fetchTemplate(
  code: string,
  version: number,
  signal?: AbortSignal,
): Promise<TemplateVersion> {
  const body = await fetchJson<{ template: TemplateVersion }>(
    `/api/therapy/templates/${encodeURIComponent(code)}/versions/${version}`,
    { signal },
  );
  return body.template;
}

export async function fetchTemplateDifferences(
  code: string,
  from: number,
  to: number,
  signal?: AbortSignal,
): Promise<TemplateDifference[]> {
  const body = await fetchJson<{ differences: TemplateDifference[] }>(
    withQuery(`/api/therapy/templates/${encodeURIComponent(code)}/compare`, { from, to }),
    { signal },
  );
  return body.differences;
}
