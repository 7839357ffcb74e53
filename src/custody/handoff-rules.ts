import type { Role } from '../platform/access/roles.ts';
import { type ResolutionContext, resolveStep } from '../therapy/override-resolution.ts';
import { indexTemplate } from '../therapy/template-index.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import type { ConditionSummary } from './condition.ts';
import type { ScanResult, ShipperQualification } from './custody-tables.ts';

/*
 * The decisions of a hand-off, as pure functions: which signatures it needs (from the therapy
 * template and its overrides), what a scan matched, which version of the record a signature binds
 * to, and what still stops it from completing.
 */

export type SignatureRequirement = {
  count: number;
  mode: 'sequential' | 'parallel';
  signerRoles: Role[];
  meaning: string;
  /** Partner type the signers work for; null: any party of the case. */
  partnerType: string | null;
};

export const NO_SIGNATURES: SignatureRequirement = {
  count: 0,
  mode: 'parallel',
  signerRoles: [],
  meaning: 'Custody hand-off',
  partnerType: null,
};

/**
 * The step's signature gate as it applies to this case (its count after overrides, e.g. two
 * receipt signatures in Germany); a step without a gate, or no step, needs none.
 */
export function signatureRequirementFor(
  template: TherapyTemplate,
  step: string | null,
  context: ResolutionContext,
): SignatureRequirement {
  if (!step) return NO_SIGNATURES;
  const definition = indexTemplate(template).step.get(step);
  const gate = definition?.gates.signatures;
  if (!definition || !gate) return NO_SIGNATURES;
  return {
    count: resolveStep(template, step, context).signatureCount,
    mode: gate.mode,
    signerRoles: [...gate.signerRoles],
    meaning: gate.meaning,
    partnerType: gate.partnerType ?? definition.partnerType,
  };
}

export type SignatureLike = { signerUserId: string; signerRole: string; recordHash: string };

export type SignatureProgress = {
  needed: number;
  given: number;
  /** Roles one of whom signs next (sequential: one role; parallel: any of them). */
  nextRoles: Role[];
  complete: boolean;
};

/** Only signatures on the current record hash count: an edit after signing voids them. */
export function signatureProgress(
  requirement: SignatureRequirement,
  signatures: readonly SignatureLike[],
  currentHash: string,
): SignatureProgress {
  const valid = signatures.filter((s) => s.recordHash === currentHash);
  const given = Math.min(new Set(valid.map((s) => s.signerUserId)).size, requirement.count);
  const complete = given >= requirement.count;
  const nextRoles = complete
    ? []
    : requirement.mode === 'sequential'
      ? [requirement.signerRoles[Math.min(given, requirement.signerRoles.length - 1)] as Role]
      : [...requirement.signerRoles];
  return { needed: requirement.count, given, nextRoles, complete };
}

export type ExpectedItem = { id: string; unitCode: string; din: string | null };

export type ScanMatch = { result: ScanResult; itemId: string | null };

/**
 * What a normalised scan identifies among the items expected in the hand-off: one of their unit
 * codes or DINs (matched), the case's chain of identity (matched to the therapy, not to a unit),
 * or nothing expected (mismatch: the wrong bag, or another patient's).
 */
export function classifyScan(
  normalised: string,
  expected: readonly ExpectedItem[],
  chainOfIdentity: string,
): ScanMatch {
  const item = expected.find((i) => i.unitCode === normalised || (i.din !== null && i.din === normalised));
  if (item) return { result: 'matched', itemId: item.id };
  if (normalised === chainOfIdentity) return { result: 'chain_of_identity', itemId: null };
  return { result: 'mismatch', itemId: null };
}

export type HandoffRecord = {
  id: string;
  caseId: string;
  chainOfIdentity: string;
  step: string | null;
  version: number;
  from: { partnerId: string; userId: string | null };
  to: { partnerId: string; userId: string | null; siteId: string | null };
  handedOverAt: string;
  items: string[];
  scans: Array<{ id: string; normalised: string; result: ScanResult; itemId: string | null }>;
  condition: ConditionSummary | null;
  shipper: { code: string; qualification: ShipperQualification } | null;
  sealIntact: boolean | null;
  requirement: SignatureRequirement;
};

/** The exact content a signature binds to (hashed with recordHashOf): everything but the signatures. */
export function handoffRecord(record: HandoffRecord): HandoffRecord {
  return {
    ...record,
    items: [...record.items].sort(),
    scans: [...record.scans].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

export type Blocker = {
  what: 'scan' | 'mismatch' | 'condition' | 'shipper' | 'seal' | 'signatures' | 'status';
  detail: string;
};

/** Everything that stops a hand-off from completing; empty: it may complete. */
export function completionBlockers(input: {
  status: string;
  items: ReadonlyArray<{ id: string; unitCode: string; needsCondition: boolean }>;
  scans: ReadonlyArray<{ result: ScanResult; itemId: string | null; normalised: string }>;
  condition: ConditionSummary | null;
  shipper: { code: string; qualification: ShipperQualification } | null;
  sealIntact: boolean | null;
  signatures: SignatureProgress;
}): Blocker[] {
  if (input.status !== 'draft')
    return [{ what: 'status', detail: `the hand-off is already ${input.status}` }];
  const blockers: Blocker[] = [];
  const scanned = new Set(input.scans.flatMap((s) => (s.result === 'matched' && s.itemId ? [s.itemId] : [])));
  const unscanned = input.items.filter((i) => !scanned.has(i.id));
  if (unscanned.length > 0)
    blockers.push({ what: 'scan', detail: `not scanned: ${unscanned.map((i) => i.unitCode).join(', ')}` });
  const mismatches = input.scans.filter((s) => s.result === 'mismatch');
  if (mismatches.length > 0)
    blockers.push({
      what: 'mismatch',
      detail: `scanned identifiers that are not in this hand-off: ${mismatches.map((s) => s.normalised).join(', ')}`,
    });
  if (input.items.some((i) => i.needsCondition) && !input.condition)
    blockers.push({ what: 'condition', detail: 'no temperature readings or data-logger file recorded' });
  if (input.shipper?.qualification === 'expired')
    blockers.push({
      what: 'shipper',
      detail: `the qualification of shipper ${input.shipper.code} has expired`,
    });
  if (input.sealIntact === false) blockers.push({ what: 'seal', detail: 'the seal is not intact' });
  if (!input.signatures.complete)
    blockers.push({
      what: 'signatures',
      detail: `${input.signatures.needed - input.signatures.given} of ${input.signatures.needed} signature(s) missing, next by ${input.signatures.nextRoles.join(' or ')}`,
    });
  return blockers;
}
