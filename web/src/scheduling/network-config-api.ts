import { fetchJson, sendJson } from '../api-client.ts';

/* The network configuration API (src/scheduling/network-config-routes.ts is the truth). */

export interface SiteClosure {
  id: string;
  /** First and last closed day, inclusive, local to the site. */
  from: string;
  to: string;
  reason: string;
}

export interface SiteCalendar {
  siteId: string;
  code: string;
  name: string;
  timeZone: string;
  openingHours: { weekday: number; opens: string; closes: string }[];
  closures: SiteClosure[];
}

export async function fetchSiteCalendar(siteId: string, signal?: AbortSignal): Promise<SiteCalendar | null> {
  const body = await fetchJson<{ calendars: SiteCalendar[] }>(
    '/api/scheduling/network',
    signal ? { signal } : undefined,
  );
  return body.calendars.find((calendar) => calendar.siteId === siteId) ?? null;
}

export function addClosure(
  siteId: string,
  closure: { from: string; to: string; reason: string },
): Promise<SiteClosure> {
  return sendJson<SiteClosure>(
    'POST',
    `/api/scheduling/sites/${encodeURIComponent(siteId)}/closures`,
    closure,
  );
}

export function liftClosure(siteId: string, closureId: string, reason: string): Promise<void> {
  return fetchJson<void>(
    `/api/scheduling/sites/${encodeURIComponent(siteId)}/closures/${encodeURIComponent(closureId)}`,
    { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason }) },
  );
}

export interface OpeningHours {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  opens: string;
  closes: string;
}

export type RouteLeg = 'collection_to_plant' | 'plant_to_infusion';

export interface NetworkRoute {
  fromSiteId: string;
  toSiteId: string;
  leg: RouteLeg;
  transportHours: number;
}

export interface PreferredSiteSet {
  rank: number;
  collectionSiteIds: string[];
  plantIds: string[];
  infusionSiteIds: string[];
}

export interface NetworkConfig {
  calendars: (SiteCalendar & { kind: string })[];
  routes: NetworkRoute[];
  preferredSiteSets: (PreferredSiteSet & { treatmentCentreId: string; therapyCode: string })[];
}

export function fetchNetworkConfig(signal?: AbortSignal): Promise<NetworkConfig> {
  return fetchJson<NetworkConfig>('/api/scheduling/network', signal ? { signal } : undefined);
}

export function saveSiteCalendar(
  siteId: string,
  calendar: { timeZone?: string; openingHours: OpeningHours[]; reason: string },
): Promise<SiteCalendar> {
  return sendJson<SiteCalendar>(
    'PUT',
    `/api/scheduling/sites/${encodeURIComponent(siteId)}/calendar`,
    calendar,
  );
}

export function saveRoute(route: NetworkRoute & { reason: string }): Promise<NetworkRoute> {
  return sendJson<NetworkRoute>('PUT', '/api/scheduling/routes', route);
}

export function removeRoute(route: { fromSiteId: string; toSiteId: string; reason: string }): Promise<void> {
  return fetchJson<void>('/api/scheduling/routes', {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(route),
  });
}

export function savePreferredSiteSets(input: {
  treatmentCentreId: string;
  therapyCode: string;
  sets: PreferredSiteSet[];
  reason: string;
}): Promise<{ preferredSiteSets: NetworkConfig['preferredSiteSets'] }> {
  return sendJson('PUT', '/api/scheduling/preferred-site-sets', input);
}
