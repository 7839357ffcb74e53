import { fetchJson, withQuery } from '../api-client.ts';

/*
 * The scheduling API as the server sends it (src/scheduling/scheduling-routes.ts and
 * scheduling-capacity-routes.ts are the truth); the web app keeps its own copy of the shapes.
 */

export type WorkType =
  | 'apheresis'
  | 'courier_pickup'
  | 'manufacturing_start'
  | 'qc_release'
  | 'conditioning'
  | 'infusion';

export interface ChainStep {
  stepKey: string;
  workType: WorkType | string;
  siteId: string;
  /** The site's own calendar day, YYYY-MM-DD. */
  day: string;
  startsAt: string;
  endsAt: string;
  /** False: the slot is unpublished and is requested from the site, which confirms or declines. */
  published: boolean;
}

export interface SlotChain {
  steps: ChainStep[];
  siteSetRank: number;
  infusionDay: string;
  /** Share of the plant's capacity already taken over the manufacturing window, 0–1. */
  plantLoad: number;
}

export interface Exclusion {
  code: string;
  reason: string;
  stepKey?: string;
  siteId?: string;
  day?: string;
  lastDay?: string;
  siteSetRank?: number;
  count?: number;
}

export interface SearchPreferences {
  plantIds?: string[];
  avoidSiteIds?: string[];
  latestInfusionDate?: string;
  includeUnpublished?: boolean;
}

/** A case, or a therapy at a treatment centre (for a booking without a case record yet). */
export type SearchSubject = { caseId: string } | { therapyCode: string; treatmentCentreId: string };

export interface SearchRequest {
  subject: SearchSubject;
  earliestDate: string;
  count: number;
  preferences: SearchPreferences;
  explain: boolean;
}

export interface SearchResult {
  chains: SlotChain[];
  exclusions: Exclusion[];
}

export type BookingStatus = 'held' | 'requested' | 'booked' | 'cancelled' | 'expired' | 'declined';

export interface SlotRequest {
  id: string;
  stepKey: string;
  siteId: string;
  status: string;
  reason: string | null;
}

export interface Booking {
  id: string;
  caseId: string | null;
  /** The case reference: scheduling never shows a patient's name. */
  caseRef: string;
  treatmentCentreId: string;
  therapyCode: string;
  status: BookingStatus;
  steps: Array<ChainStep & { state: 'held' | 'booked' }>;
  holdExpiresAt: string | null;
  revision: number;
  statusReason: string | null;
  slotRequests: SlotRequest[];
  createdAt: string;
  updatedAt: string;
}

export interface ReplanChange {
  stepKey: string;
  from: ChainStep;
  to: ChainStep;
  why: 'moved_by_request' | 'lead_time' | 'capacity' | 'unchanged' | string;
}

export interface ReplanProposal {
  feasible: boolean;
  reason?: string;
  before: SlotChain;
  after?: SlotChain;
  changes: ReplanChange[];
}

export interface DelayProposal {
  id: string;
  stepKey: string;
  delayHours: number;
  reason: string;
  status: string;
  bookingRevision: number;
  proposal: ReplanProposal;
  createdAt: string;
}

export interface CapacityDay {
  day: string;
  workType: string;
  capacity: number;
  booked: number;
  held: number;
  free: number;
  published: boolean;
  /** Why the site takes no work that day; null when open. */
  closed: string | null;
}

export type ConflictParty =
  | { kind: 'appointment'; id: string; label: string; startsAt: string; endsAt: string }
  | {
      kind: 'chain_step';
      bookingId: string;
      stepKey: string;
      workType: string;
      siteId: string;
      day: string;
      label: string;
      startsAt: string;
      endsAt: string;
    };

export interface PatientConflict {
  a: ConflictParty;
  b: ConflictParty;
  overlapMinutes: number;
  resolutions: string[];
}

export interface PatientConflicts {
  appointments: Array<{ id: string; label: string; startsAt: string; endsAt: string }>;
  conflicts: PatientConflict[];
}

/** A fresh key per user action, so a retried request (double click, flaky network) books once. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

function post<T>(path: string, body: object, idempotencyKey?: string): Promise<T> {
  return fetchJson<T>(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify(body),
  });
}

export function searchChains(request: SearchRequest, signal?: AbortSignal): Promise<SearchResult> {
  const preferences = Object.fromEntries(
    Object.entries(request.preferences).filter(
      ([, value]) => value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0),
    ),
  );
  return fetchJson<SearchResult>('/api/scheduling/search', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...request.subject,
      earliestDate: request.earliestDate,
      count: request.count,
      preferences,
      explain: request.explain,
    }),
    ...(signal ? { signal } : {}),
  });
}

/** Holds (tentatively, it expires) or books a chain at once: all of its units or none. */
export async function takeChain(
  mode: 'hold' | 'book',
  subject: SearchSubject,
  chain: SlotChain,
  idempotencyKey: string,
): Promise<Booking> {
  const body = await post<{ booking: Booking }>(
    mode === 'hold' ? '/api/scheduling/holds' : '/api/scheduling/bookings',
    {
      ...subject,
      steps: chain.steps.map((step) => ({ stepKey: step.stepKey, siteId: step.siteId, day: step.day })),
    },
    idempotencyKey,
  );
  return body.booking;
}

const bookingPath = (id: string) => `/api/scheduling/bookings/${encodeURIComponent(id)}`;

export async function confirmHold(id: string, idempotencyKey: string): Promise<Booking> {
  return (await post<{ booking: Booking }>(`${bookingPath(id)}/confirm`, {}, idempotencyKey)).booking;
}

export async function cancelBooking(id: string, reason: string, idempotencyKey: string): Promise<Booking> {
  return (await post<{ booking: Booking }>(`${bookingPath(id)}/cancel`, { reason }, idempotencyKey)).booking;
}

export async function fetchBookings(
  filter: { caseId?: string; siteId?: string; status?: string },
  signal?: AbortSignal,
): Promise<Booking[]> {
  const body = await fetchJson<{ bookings: Booking[] }>(
    withQuery('/api/scheduling/bookings', { ...filter, limit: 200 }),
    signal ? { signal } : undefined,
  );
  return body.bookings;
}

export async function fetchBooking(id: string, signal?: AbortSignal): Promise<Booking> {
  return (await fetchJson<{ booking: Booking }>(bookingPath(id), signal ? { signal } : undefined)).booking;
}

export function previewReplan(
  id: string,
  move: { stepKey: string; day: string; reason: string },
): Promise<{ proposal: ReplanProposal; revision: number }> {
  return post(`${bookingPath(id)}/replan-preview`, move);
}

export async function acceptReplan(
  id: string,
  accept:
    | { stepKey: string; day: string; reason: string; expectedRevision: number }
    | { proposalId: string; reason?: string },
  idempotencyKey: string,
): Promise<{ booking: Booking; proposal: ReplanProposal; notifiedPartners: string[] }> {
  return post(`${bookingPath(id)}/replan`, accept, idempotencyKey);
}

export async function fetchDelayProposals(id: string, signal?: AbortSignal): Promise<DelayProposal[]> {
  const body = await fetchJson<{ proposals: DelayProposal[] }>(
    `${bookingPath(id)}/proposals`,
    signal ? { signal } : undefined,
  );
  return body.proposals;
}

export function fetchPatientConflicts(caseId: string, signal?: AbortSignal): Promise<PatientConflicts> {
  return fetchJson<PatientConflicts>(
    `/api/scheduling/cases/${encodeURIComponent(caseId)}/conflicts`,
    signal ? { signal } : undefined,
  );
}

export async function fetchCapacity(
  siteId: string,
  from: string,
  days: number,
  signal?: AbortSignal,
): Promise<CapacityDay[]> {
  const body = await fetchJson<{ siteId: string; days: CapacityDay[] }>(
    withQuery('/api/scheduling/capacity', { siteId, from, days }),
    signal ? { signal } : undefined,
  );
  return body.days;
}

export type SchedulingSiteKind =
  | 'treatment_centre'
  | 'collection_centre'
  | 'manufacturing_site'
  | 'infusion_site'
  | 'depot';

/** A site of the scheduling network, as GET /api/scheduling/sites lists it. */
export interface SchedulingSite {
  id: string;
  code: string;
  name: string;
  kind: SchedulingSiteKind;
  country: string;
  /** IANA time zone: the site's days and step times are local to it. */
  timeZone: string;
  partnerId: string;
  workTypes?: string[];
}

export async function fetchSchedulingSites(signal?: AbortSignal): Promise<SchedulingSite[]> {
  const body = await fetchJson<{ sites: SchedulingSite[] }>(
    '/api/scheduling/sites',
    signal ? { signal } : undefined,
  );
  return body.sites;
}

/** The next best chains a 409 carries when someone took a unit of the chosen one first. */
export function alternativesOf(problem: { [extension: string]: unknown }): SlotChain[] {
  return Array.isArray(problem.alternatives) ? (problem.alternatives as SlotChain[]) : [];
}

/** A plant reports that one of its steps is late: a re-plan proposal is stored for the treatment centre. */
export function reportDelay(
  bookingId: string,
  delay: { stepKey: string; delayHours: number; reason: string },
): Promise<{ proposalId: string; proposal: ReplanProposal }> {
  return post(`${bookingPath(bookingId)}/delays`, delay);
}

export interface SiteSlotRequest {
  id: string;
  bookingId: string;
  caseRef: string;
  stepKey: string;
  siteId: string;
  status: string;
  createdAt: string;
}

export async function fetchSlotRequests(status: string, signal?: AbortSignal): Promise<SiteSlotRequest[]> {
  const body = await fetchJson<{ slotRequests: SiteSlotRequest[] }>(
    withQuery('/api/scheduling/slot-requests', { status }),
    signal ? { signal } : undefined,
  );
  return body.slotRequests;
}

/** The site confirms a request for its unpublished slot, or declines it with the reason. */
export async function decideSlotRequest(
  id: string,
  decision: { confirm: true } | { confirm: false; reason: string },
  idempotencyKey: string,
): Promise<Booking> {
  const path = `/api/scheduling/slot-requests/${encodeURIComponent(id)}/${decision.confirm ? 'confirm' : 'decline'}`;
  const body = await post<{ booking: Booking }>(
    path,
    decision.confirm ? {} : { reason: decision.reason },
    idempotencyKey,
  );
  return body.booking;
}
