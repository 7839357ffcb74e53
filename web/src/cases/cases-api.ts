import { fetchJson, sendJson, withQuery } from '../api-client.ts';
import type { SignatureCredentials } from '../signatures/signatures-api.ts';

export interface CurrentStep {
  key: string;
  title: string;
  stage: string;
  openedAt: string;
  dueAt: string | null;
  overdue: boolean;
}

export interface CaseSummary {
  id: string;
  patientLabel: string;
  templateCode: string;
  templateVersion: number;
  therapyType: string;
  status: string;
  treatmentCentre: { id: string; name: string };
  openedAt: string;
  currentSteps: CurrentStep[];
  /** Who or what the case waits for now, in words. */
  waitingFor: string | null;
}

export interface WaitingField {
  key: string;
  label: string;
  type: string;
  unit?: string;
  required: boolean;
  /** The task the field belongs to, when the server says. */
  task?: string;
}

export interface StepWaitingFor {
  fields: WaitingField[];
  tasks: Array<{ key: string; title: string; role: string; done: boolean }>;
  approvals: Array<{ role: string; needed?: number; given?: number; partnerType?: string }>;
  signatures: {
    required: number;
    given: number;
    recordHash?: string;
    meaning?: string;
    /** Who may give the next signature. */
    nextRoles?: string[];
  } | null;
  custody: boolean;
}

export interface OpenStep {
  key: string;
  title: string;
  stage: string;
  attempt: number;
  openedAt: string;
  dueAt: string | null;
  overdue: boolean;
  responsible: { partnerType: string; partnerId: string | null; partnerName: string | null; role: string };
  waitingFor: StepWaitingFor;
}

export interface TimelineEvent {
  seq: number;
  at: string;
  type: string;
  summary: string;
  by: { userId: string; name: string; partnerName: string; role: string } | null;
}

export interface CaseDetail {
  case: CaseSummary;
  openSteps: OpenStep[];
  timeline: TimelineEvent[];
  heldBy: { partnerName: string; role: string; since: string; waitingMinutes: number } | null;
}

export interface CaseFilters {
  therapyType?: string;
  stage?: string;
  partnerId?: string;
  overdue?: boolean;
  status?: string;
}

export async function fetchCases(filters: CaseFilters, signal?: AbortSignal): Promise<CaseSummary[]> {
  const body = await fetchJson<{ cases: CaseSummary[] }>(
    withQuery('/api/cases', {
      therapyType: filters.therapyType,
      stage: filters.stage,
      partnerId: filters.partnerId,
      overdue: filters.overdue ? 'true' : undefined,
      status: filters.status,
    }),
    { signal },
  );
  return body.cases;
}

export function fetchCase(id: string, signal?: AbortSignal): Promise<CaseDetail> {
  return fetchJson<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`, { signal });
}

/** Completes one task of an open step with its field values; resolves with the case as it is now. */
export function completeTask(
  caseId: string,
  step: string,
  task: string,
  fields: Record<string, unknown>,
): Promise<CaseDetail> {
  // `task` is the key the command schema (src/cases/case-commands.ts) names.
  return sendJson<CaseDetail>('POST', `/api/cases/${encodeURIComponent(caseId)}/commands`, {
    type: 'complete_task',
    step,
    task,
    fields,
  });
}

/**
 * Signs a step electronically: bound to the step record hash the server showed, with the signer's
 * password (and one-time code); resolves with the case as it is now.
 */
export function signStep(
  caseId: string,
  step: string,
  meaning: string,
  recordHash: string,
  signature: SignatureCredentials,
): Promise<CaseDetail> {
  return sendJson<CaseDetail>('POST', `/api/cases/${encodeURIComponent(caseId)}/commands`, {
    type: 'record_signature',
    step,
    meaning,
    recordHash,
    signature,
  });
}
