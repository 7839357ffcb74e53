/*
 * A therapy template is a declarative, versioned document: stages → steps → tasks → fields.
 *
 * Design notes (for the store, routes and screens built on this):
 * - The document is plain JSON, so it can be stored as `jsonb`, diffed, hashed and signed. This
 *   schema only checks shape; `template-validation.ts` adds the cross-references (unique keys,
 *   roles allowed for partner types, branch targets, reachability) and reports both kinds of
 *   problem with a path into the document (`stages[3].steps[1].gates.signatures.count`).
 * - Flow: each step lists the steps that open when it completes (`next`); without `next` the
 *   following step in document order opens; several entries open steps in parallel. A step with
 *   `join: 'all'` waits until every step leading to it has completed. Exceptions jump elsewhere
 *   only through their declared branches, never through `next`.
 * - Fields belong to tasks; a field key is unique within its step so overrides can name it.
 * - Partner type on a step is the *party of the case* that does the work (the case says which
 *   partner fills it); the role must be one that partner type may hold (roles.ts).
 * - Durations are ISO-8601 (`PT48H`, `P5D`, `P2W`) or `{ amount, unit }`; calendar months and
 *   years are refused because their length depends on the date and timers must be exact.
 * - Overrides change only what varies by country or site (lead times, whether a field is
 *   required, the number of signatures); see `override-resolution.ts` for precedence.
 */
import { z } from 'zod';
import { PARTNER_TYPES } from '../partners/partner-tables.ts';
import { ROLE_NAMES, type Role } from '../platform/access/roles.ts';

export const THERAPY_TYPES = [
  'car_t_autologous',
  'car_t_allogeneic',
  'gene_therapy_ex_vivo',
  'gene_therapy_in_vivo',
  'mrna_personalised',
] as const;
export type TherapyType = (typeof THERAPY_TYPES)[number];

export const TIME_UNITS = ['minutes', 'hours', 'days', 'weeks'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export const EXCEPTION_CODES = [
  'product_out_of_specification',
  'temperature_excursion',
  'patient_ineligible',
  'withdrawal',
  'death',
  'shipment_delayed',
  'manufacturing_failure',
] as const;
export type ExceptionCode = (typeof EXCEPTION_CODES)[number];

/** What a branch does to the case once someone with the deciding role chooses it. */
export const BRANCH_KINDS = ['go_to_step', 'resume', 'hold', 'cancel', 'close'] as const;
export type BranchKind = (typeof BRANCH_KINDS)[number];

const key = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be lower snake_case starting with a letter')
  .max(64);
const roleSchema = z.enum(ROLE_NAMES as [Role, ...Role[]]);
const partnerTypeSchema = z.enum(PARTNER_TYPES);

// Calendar months/years are deliberately absent: see the design notes above.
export const ISO_DURATION = /^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
export const durationSchema = z.union([
  z.string().regex(ISO_DURATION, 'must be an ISO-8601 duration in weeks, days, hours, minutes or seconds'),
  z.strictObject({ amount: z.number().int().min(0), unit: z.enum(TIME_UNITS) }),
]);
export type Duration = z.infer<typeof durationSchema>;

const fieldBase = {
  key,
  label: z.string().min(1),
  required: z.boolean().default(true),
};
export const fieldSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...fieldBase,
    type: z.literal('text'),
    maxLength: z.number().int().positive().optional(),
  }),
  z.strictObject({
    ...fieldBase,
    type: z.literal('number'),
    unit: z.string().min(1),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().optional(),
  }),
  z.strictObject({ ...fieldBase, type: z.literal('date') }),
  z.strictObject({ ...fieldBase, type: z.literal('datetime') }),
  z.strictObject({ ...fieldBase, type: z.literal('boolean') }),
  z.strictObject({ ...fieldBase, type: z.literal('choice'), options: z.array(z.string().min(1)).min(1) }),
  z.strictObject({ ...fieldBase, type: z.literal('identifier'), pattern: z.string().min(1) }),
]);
export type FieldDefinition = z.infer<typeof fieldSchema>;

export const taskSchema = z.strictObject({
  key,
  title: z.string().min(1),
  /** Defaults to the step's partner type and role. */
  partnerType: partnerTypeSchema.optional(),
  role: roleSchema.optional(),
  fields: z.array(fieldSchema).default([]),
});
export type TaskDefinition = z.infer<typeof taskSchema>;

export const SIGNATURE_MODES = ['sequential', 'parallel'] as const;
export const SIGNATURE_PLACES = ['step', 'handoff'] as const;
export const signatureGateSchema = z.strictObject({
  count: z.number().int().min(0).max(5),
  /** sequential: the n-th signature is by signerRoles[n] (the last role repeats); parallel: any order. */
  mode: z.enum(SIGNATURE_MODES),
  signerRoles: z.array(roleSchema).min(1),
  /** Partner type of the signers; defaults to the step's. */
  partnerType: partnerTypeSchema.optional(),
  meaning: z.string().min(1),
  /**
   * Where the signatures are given. 'step' (default): on the step record, once its tasks are done.
   * 'handoff': on the step's custody hand-off (e.g. the courier signing for the pick-up), and the
   * step waits for them through its custody gate, so they are never asked for again on the step;
   * only allowed together with `gates.custodyComplete: true`.
   */
  on: z.enum(SIGNATURE_PLACES).default('step'),
});
export type SignatureGate = z.infer<typeof signatureGateSchema>;

export const approvalSchema = z.strictObject({
  role: roleSchema,
  count: z.number().int().min(1).max(5).default(1),
  /** Partner type of the approvers; defaults to the step's. */
  partnerType: partnerTypeSchema.optional(),
});
export type ApprovalRequirement = z.infer<typeof approvalSchema>;

export const gatesSchema = z.strictObject({
  tasksDone: z.boolean().default(true),
  custodyComplete: z.boolean().default(false),
  signatures: signatureGateSchema.optional(),
  approvals: z.array(approvalSchema).default([]),
});
export type Gates = z.infer<typeof gatesSchema>;

export const escalationSchema = z
  .strictObject({
    toRole: roleSchema,
    /** Measured from the step's due time. */
    after: durationSchema,
    repeatEvery: durationSchema.optional(),
    /** Repeats after the first escalation; required with repeatEvery so escalations always end. */
    maxRepeats: z.number().int().min(0).max(100).optional(),
  })
  .refine((e) => (e.repeatEvery === undefined) === (e.maxRepeats === undefined), {
    message: 'repeatEvery and maxRepeats go together',
    path: ['maxRepeats'],
  });
export type EscalationRule = z.infer<typeof escalationSchema>;

export const dueSchema = z.strictObject({
  /** Measured from the moment the step opens. */
  after: durationSchema,
  escalations: z.array(escalationSchema).default([]),
});

export const leadTimeSchema = z.strictObject({
  toStep: key,
  min: z.number().min(0),
  max: z.number().min(0),
  unit: z.enum(TIME_UNITS),
});
export type LeadTime = z.infer<typeof leadTimeSchema>;

export const branchSchema = z.strictObject({
  key,
  title: z.string().min(1),
  kind: z.enum(BRANCH_KINDS),
  /** For go_to_step: the step that opens again (a new attempt). */
  toStep: key.optional(),
  decidedBy: z.array(roleSchema).min(1),
});
export type BranchDefinition = z.infer<typeof branchSchema>;

export const exceptionSchema = z.strictObject({
  code: z.enum(EXCEPTION_CODES),
  reasonCodes: z.array(key).min(1),
  raisedBy: z.array(roleSchema).min(1),
  /** While open, the case is quarantined (nothing moves until a branch is decided). */
  quarantine: z.boolean().default(false),
  branches: z.array(branchSchema).min(1),
});
export type ExceptionDefinition = z.infer<typeof exceptionSchema>;

export const stepSchema = z.strictObject({
  key,
  title: z.string().min(1),
  partnerType: partnerTypeSchema,
  role: roleSchema,
  tasks: z.array(taskSchema).min(1),
  gates: gatesSchema.default({ tasksDone: true, custodyComplete: false, approvals: [] }),
  due: dueSchema.optional(),
  leadTimes: z.array(leadTimeSchema).default([]),
  next: z.array(key).optional(),
  join: z.enum(['any', 'all']).default('any'),
  exceptions: z.array(exceptionSchema).default([]),
});
export type StepDefinition = z.infer<typeof stepSchema>;

export const stageSchema = z.strictObject({
  key,
  title: z.string().min(1),
  steps: z.array(stepSchema).min(1),
});
export type StageDefinition = z.infer<typeof stageSchema>;

export const overrideSchema = z.strictObject({
  key,
  priority: z.number().int(),
  scope: z.strictObject({
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
      .optional(),
    siteId: z.string().min(1).optional(),
    stage: key.optional(),
    step: key.optional(),
  }),
  set: z.strictObject({
    leadTimes: z.array(leadTimeSchema).optional(),
    fields: z.array(z.strictObject({ field: key, required: z.boolean() })).optional(),
    signatureCount: z.number().int().min(0).max(5).optional(),
  }),
});
export type TemplateOverride = z.infer<typeof overrideSchema>;

export const templateSchema = z.strictObject({
  therapyType: z.enum(THERAPY_TYPES),
  code: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower kebab-case'),
  version: z.number().int().min(1),
  title: z.string().min(1),
  stages: z.array(stageSchema).min(1),
  overrides: z.array(overrideSchema).default([]),
});
export type TherapyTemplate = z.infer<typeof templateSchema>;
/** What authors write: defaults may be left out. */
export type TherapyTemplateInput = z.input<typeof templateSchema>;
