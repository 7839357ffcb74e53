import { ApiError, fetchJson, type ProblemDetail, sendJson } from '../api-client.ts';
import type { Signature, SignatureCredentials } from '../signatures/signatures-api.ts';

/*
 * The custody API (src/custody/custody-routes.ts, bedside-routes.ts, label-routes.ts,
 * dossier-routes.ts) as the screens use it.
 */

export type CustodyItemType = 'apheresis_bag' | 'sample' | 'final_product_bag' | 'shipper';
export type ScanResult = 'matched' | 'chain_of_identity' | 'mismatch';

export interface CustodyItem {
  id: string;
  itemType: CustodyItemType;
  unitCode: string;
  din: string | null;
  lot: string | null;
  description: string;
  status: string;
  releaseStatus: string;
  expiresAt: string | null;
  parentItemId: string | null;
  custodian: { partnerId: string; partnerName: string; userId: string | null };
  site: { id: string; name: string | null } | null;
  labelPrints: number;
}

export interface TemperatureRange {
  min: number | null;
  max: number | null;
  label: string;
}

export interface ConditionSummary {
  source: 'readings' | 'data_logger';
  fileName: string | null;
  fileSha256: string | null;
  count: number;
  first: string;
  last: string;
  minCelsius: number;
  maxCelsius: number;
  allowed: TemperatureRange | null;
  excursion: boolean;
  excursions: Array<{ at: string; celsius: number }>;
  excursionCount: number;
  reasonCode: 'above_range' | 'below_range' | null;
}

export interface HandoffScan {
  id: string;
  scanned: string;
  result: ScanResult;
  matchedItemId: string | null;
  scannedAt: string;
}

export interface HandoffSignature
  extends Pick<
    Signature,
    | 'id'
    | 'signerName'
    | 'signerRole'
    | 'meaning'
    | 'signedAt'
    | 'signedAtLocal'
    | 'manifestation'
    | 'recordHash'
  > {
  /** Whether it was given on the hand-off's current version (an edit after signing voids it). */
  valid: boolean;
}

export interface Blocker {
  what: 'scan' | 'mismatch' | 'condition' | 'shipper' | 'seal' | 'signatures' | 'status';
  detail: string;
}

export interface Handoff {
  id: string;
  caseId: string;
  chainOfIdentity: string;
  step: string | null;
  status: 'draft' | 'completed' | 'completed_with_excursion' | string;
  version: number;
  recordHash: string;
  from: { partnerId: string; userId: string | null };
  to: { partnerId: string; userId: string | null; siteId: string | null };
  handedOverAt: string;
  items: Array<{ id: string; itemType: CustodyItemType; unitCode: string; din: string | null }>;
  scans: HandoffScan[];
  condition: ConditionSummary | null;
  shipper: { code: string; qualification: 'qualified' | 'expired' | 'unknown' | null } | null;
  sealIntact: boolean | null;
  signatureRequirement: {
    count: number;
    mode: 'sequential' | 'parallel';
    signerRoles: string[];
    meaning: string;
    partnerType: string | null;
  };
  signatures: HandoffSignature[];
  signaturesGiven: number;
  nextSignerRoles: string[];
  blockers: Blocker[];
  openedAt: string;
  completedAt: string | null;
  exceptionId: string | null;
}

export interface BedsideCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface BedsideVerification {
  id: string;
  result: 'pass' | 'stop';
  checks: BedsideCheck[];
  failedChecks: string[];
  deviationId: string | null;
}

export interface CustodyEvent {
  at: string;
  type: string;
  summary: string;
  recordId: string;
}

export interface CustodyTimeline {
  caseId: string;
  reference: string;
  patientLabel: string;
  chainOfIdentity: string | null;
  items: CustodyItem[];
  handoffs: Handoff[];
  bedsideVerifications: Array<{
    id: string;
    result: 'pass' | 'stop';
    itemId: string | null;
    checks: BedsideCheck[];
    verifiedBy: string;
    verifiedAt: string;
  }>;
  deviations: Array<{
    id: string;
    kind: string;
    description: string;
    sourceType: string;
    sourceId: string;
    raisedAt: string;
  }>;
  events: CustodyEvent[];
}

export interface Shipper {
  code: string;
  description: string;
  qualifiedUntil: string | null;
  qualification: 'qualified' | 'expired' | 'unknown';
}

const id = encodeURIComponent;

export function fetchCustody(caseId: string, signal?: AbortSignal): Promise<CustodyTimeline> {
  return fetchJson<CustodyTimeline>(`/api/cases/${id(caseId)}/custody`, { signal });
}

export async function fetchHandoff(handoffId: string, signal?: AbortSignal): Promise<Handoff> {
  return (await fetchJson<{ handoff: Handoff }>(`/api/custody/handoffs/${id(handoffId)}`, { signal }))
    .handoff;
}

export async function fetchShippers(signal?: AbortSignal): Promise<Shipper[]> {
  return (await fetchJson<{ shippers: Shipper[] }>('/api/custody/shippers', { signal })).shippers;
}

export interface OpenHandoffInput {
  caseId: string;
  step?: string;
  itemIds: string[];
  toPartnerId: string;
  shipperCode?: string;
  sealIntact?: boolean;
}

export async function openHandoff(input: OpenHandoffInput): Promise<Handoff> {
  return (await sendJson<{ handoff: Handoff }>('POST', '/api/custody/handoffs', input)).handoff;
}

export function recordScan(
  handoffId: string,
  scan: string,
): Promise<{
  scan: { scanId: string; result: ScanResult; matchedItemId: string | null; scanned: string };
  handoff: Handoff;
}> {
  return sendJson('POST', `/api/custody/handoffs/${id(handoffId)}/scans`, { scan });
}

export interface ConditionInput {
  readings?: Array<{ at: string; celsius: number }>;
  dataLogger?: { fileName: string; text: string };
  shipperCode?: string;
  sealIntact?: boolean;
}

export async function recordCondition(handoffId: string, input: ConditionInput): Promise<Handoff> {
  return (
    await sendJson<{ handoff: Handoff }>('PUT', `/api/custody/handoffs/${id(handoffId)}/condition`, input)
  ).handoff;
}

export function signHandoff(
  handoffId: string,
  recordHash: string,
  credentials: SignatureCredentials,
): Promise<{ signature: Signature; handoff: Handoff }> {
  return sendJson('POST', `/api/custody/handoffs/${id(handoffId)}/signatures`, {
    recordHash,
    ...credentials,
  });
}

export function completeHandoff(handoffId: string): Promise<{
  outcome: { status: string; exceptionId: string | null; deviationId: string | null };
  handoff: Handoff;
}> {
  return sendJson('POST', `/api/custody/handoffs/${id(handoffId)}/complete`);
}

export interface BedsideScans {
  wristband: { chainOfIdentity: string; mrn: string; birthDate: string };
  bag: { unitCode: string; chainOfIdentity: string; mrn: string; birthDate: string };
}

export async function verifyAtBedside(caseId: string, scans: BedsideScans): Promise<BedsideVerification> {
  return (
    await sendJson<{ verification: BedsideVerification }>(
      'POST',
      `/api/cases/${id(caseId)}/bedside-verifications`,
      scans,
    )
  ).verification;
}

export interface NewItemInput {
  itemType: CustodyItemType;
  din?: string;
  lot?: string;
  expiresAt?: string;
  parentItemId?: string;
}

/** The unit as recorded (the timeline, reloaded, gives its custodian's and site's names). */
export interface RecordedItem {
  id: string;
  unitCode: string;
  chainOfIdentity: string;
  releaseStatus: string;
}

export async function createItem(caseId: string, input: NewItemInput): Promise<RecordedItem> {
  return (await sendJson<{ item: RecordedItem }>('POST', `/api/cases/${id(caseId)}/custody/items`, input))
    .item;
}

/** Prints (or, with a reason, reprints) a unit's label; resolves with the PDF and which print it was. */
export async function printLabel(
  itemId: string,
  reason?: string,
): Promise<{ pdf: Blob; printNumber: number }> {
  let response: Response;
  try {
    response = await fetch(`/api/custody/items/${id(itemId)}/label.pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/pdf, application/problem+json' },
      body: JSON.stringify(reason ? { reason } : {}),
    });
  } catch {
    throw new ApiError({
      title: 'Server unreachable',
      detail: 'Cellway could not reach its server. Check your connection and try again.',
    });
  }
  if (!response.ok) {
    let problem: ProblemDetail = { title: 'The label was not printed', status: response.status };
    try {
      const body = (await response.json()) as ProblemDetail;
      if (typeof body.title === 'string') problem = { ...body, status: body.status ?? response.status };
    } catch {
      // Not a problem document: keep the generic one.
    }
    throw new ApiError(problem);
  }
  return {
    pdf: await response.blob(),
    printNumber: Number(response.headers.get('x-label-print-number') ?? '1'),
  };
}

export const dossierPdfPath = (caseId: string) => `/api/cases/${id(caseId)}/dossier.pdf`;
export const dossierFilePath = (caseId: string) => `/api/cases/${id(caseId)}/dossier.ndjson`;

/** QA releases a final product bag for infusion (after the case's QA release step). */
export async function releaseItem(itemId: string): Promise<RecordedItem> {
  return (await sendJson<{ item: RecordedItem }>('POST', `/api/custody/items/${id(itemId)}/release`, {}))
    .item;
}
