import { fetchJson, withQuery } from '../api-client.ts';

export interface AuditEntry {
  id: string;
  stream: string;
  seq: number;
  recordedAt: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  actorPartnerId: string | null;
  actorRole: string | null;
  action: string;
  recordType: string;
  recordId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  hash: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

export interface AuditFilters {
  recordType?: string;
  recordId?: string;
  actorId?: string;
  /** ISO instants. */
  from?: string;
  to?: string;
}

export interface InclusionProof {
  entry: AuditEntry;
  leafIndex: number;
  checkpoint: {
    treeSize: number;
    rootHash: string;
    issuedAt: string;
    keyId: string;
    origin: string;
    signature: string;
  };
  proof: string[];
}

export const AUDIT_PAGE_SIZE = 50;

export function fetchAuditEntries(
  filters: AuditFilters,
  before: string | null,
  signal?: AbortSignal,
): Promise<AuditPage> {
  return fetchJson<AuditPage>(
    withQuery('/api/audit/entries', { ...filters, limit: AUDIT_PAGE_SIZE, before }),
    { signal },
  );
}

export function fetchInclusionProof(id: string, signal?: AbortSignal): Promise<InclusionProof> {
  return fetchJson<InclusionProof>(`/api/audit/entries/${encodeURIComponent(id)}/proof`, { signal });
}
