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
