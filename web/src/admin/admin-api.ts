import { fetchJson, sendJson, withQuery } from '../api-client.ts';

export interface PartnerRef {
  id: string;
  name: string;
  type: string;
}

export interface Site {
  id: string;
  code: string;
  name: string;
  kind: string;
  timeZone: string;
  city: string;
  country: string;
}

export interface AdminPartner {
  id: string;
  code: string;
  name: string;
  type: string;
  country: string;
  sites: Site[];
}

export interface AdminUser {
  id: string;
  email: string;
  displayName: string;
  partner: PartnerRef;
  roles: string[];
  secondFactorEnabled: boolean;
  lockedUntil: string | null;
  active: boolean;
  createdAt: string;
}

export interface ApiClient {
  id: string;
  name: string;
  clientId: string;
  partner: PartnerRef;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
  secretRotatedAt: string | null;
}

export interface Job {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  runAt: string;
  updatedAt: string;
}

export interface OutboxMessage {
  id: string;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  status: string;
  /** Why a held message was not sent (the server adds this to the contract). */
  heldReason?: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface NewPartner {
  code: string;
  name: string;
  type: string;
  country: string;
}

export type NewSite = Omit<Site, 'id'>;

export interface NewUser {
  email: string;
  displayName: string;
  partnerId: string;
  roles: string[];
}

export interface UserChange {
  displayName?: string;
  roles?: string[];
  active?: boolean;
  reason: string;
}

// Partners and sites

export async function fetchAdminPartners(signal?: AbortSignal): Promise<AdminPartner[]> {
  const body = await fetchJson<{ partners: AdminPartner[] }>('/api/admin/partners', { signal });
  return body.partners;
}

export async function createPartner(partner: NewPartner): Promise<AdminPartner> {
  const body = await sendJson<{ partner: AdminPartner }>('POST', '/api/admin/partners', partner);
  return body.partner;
}

export async function addSite(partnerId: string, site: NewSite): Promise<Site> {
  const body = await sendJson<{ site: Site }>(
    'POST',
    `/api/admin/partners/${encodeURIComponent(partnerId)}/sites`,
    site,
  );
  return body.site;
}

// Users

export async function fetchUsers(partnerId: string | null, signal?: AbortSignal): Promise<AdminUser[]> {
  const body = await fetchJson<{ users: AdminUser[] }>(withQuery('/api/admin/users', { partnerId }), {
    signal,
  });
  return body.users;
}

export function createUser(user: NewUser): Promise<{ user: AdminUser; temporaryPassword: string }> {
  return sendJson('POST', '/api/admin/users', user);
}

export async function changeUser(id: string, change: UserChange): Promise<AdminUser> {
  const body = await sendJson<{ user: AdminUser }>(
    'PATCH',
    `/api/admin/users/${encodeURIComponent(id)}`,
    change,
  );
  return body.user;
}

export function resetPassword(id: string, reason: string): Promise<{ temporaryPassword: string }> {
  return sendJson('POST', `/api/admin/users/${encodeURIComponent(id)}/reset-password`, { reason });
}

export function unlockUser(id: string, reason: string): Promise<void> {
  return sendJson('POST', `/api/admin/users/${encodeURIComponent(id)}/unlock`, { reason });
}

// API clients

export async function fetchApiClients(signal?: AbortSignal): Promise<ApiClient[]> {
  const body = await fetchJson<{ clients: ApiClient[] }>('/api/admin/api-clients', { signal });
  return body.clients;
}

export function createApiClient(client: {
  name: string;
  partnerId: string;
  scopes: string[];
}): Promise<{ client: ApiClient; clientSecret: string }> {
  return sendJson('POST', '/api/admin/api-clients', client);
}

export function rotateApiClientSecret(id: string): Promise<{ clientSecret: string }> {
  return sendJson('POST', `/api/admin/api-clients/${encodeURIComponent(id)}/rotate-secret`);
}

export function revokeApiClient(id: string, reason: string): Promise<void> {
  return sendJson('POST', `/api/admin/api-clients/${encodeURIComponent(id)}/revoke`, { reason });
}

// Jobs and outbox

/** The server lists at most this many jobs or messages (newest first) and offers no next page. */
export const LIST_LIMIT = 50;

export async function fetchDeadJobs(signal?: AbortSignal): Promise<Job[]> {
  const body = await fetchJson<{ jobs: Job[] }>('/api/admin/jobs?status=dead', { signal });
  return body.jobs;
}

export async function retryJob(id: string, reason: string): Promise<Job> {
  const body = await sendJson<{ job: Job }>('POST', `/api/admin/jobs/${encodeURIComponent(id)}/retry`, {
    reason,
  });
  return body.job;
}

export async function fetchOutboxMessages(
  status: string | null,
  signal?: AbortSignal,
): Promise<OutboxMessage[]> {
  const body = await fetchJson<{ messages: OutboxMessage[] }>(withQuery('/api/outbox/messages', { status }), {
    signal,
  });
  return body.messages;
}
