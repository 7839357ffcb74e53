/**
 * Lookups over a network snapshot, built once per snapshot and shared by every search: routes by
 * their two ends, site sets by treatment centre and therapy (best rank first) and, filled lazily,
 * each site's opening instant per day (Intl time zone arithmetic is the costliest thing the search
 * would otherwise repeat). Rebuilding is linear in the snapshot, so the store simply rebuilds when
 * the network changes.
 */
import type {
  Closure,
  NetworkSnapshot,
  PreferredSiteSet,
  Route,
  SchedulingSite,
  WorkType,
  WorkTypeDefinition,
} from './scheduling-model.ts';
import { closureOn, dayFromNumber, hoursOn, localDayOf, localTimeToUtcMs } from './site-calendar.ts';

const CLOSED_WEEKDAY = -1;
const CLOSED_CLOSURE = -2;

export type IndexedNetwork = {
  readonly snapshot: NetworkSnapshot;
  readonly sites: ReadonlyMap<string, SchedulingSite>;
  readonly workTypes: ReadonlyMap<WorkType, WorkTypeDefinition>;
  /** The route of a leg between two sites, if one exists. */
  route(fromSiteId: string, toSiteId: string): Route | undefined;
  routesFrom(siteId: string): readonly Route[];
  /** Preferred site sets of a treatment centre for a therapy, rank 1 first. */
  siteSets(treatmentCentreId: string, therapyCode: string): readonly PreferredSiteSet[];
  /** Start instant (ms) of a step booked at the site on the day number; undefined when closed. */
  openingMs(siteId: string, day: number): number | undefined;
  /** Why the site is closed on the day number: a closure, the weekday, or undefined when open. */
  closedBecause(siteId: string, day: number): Closure | 'weekday' | undefined;
  /** Today in the site's own time zone. */
  localToday(siteId: string, now: Date): string | undefined;
};

export function indexNetwork(snapshot: NetworkSnapshot): IndexedNetwork {
  const routes = new Map<string, Route>();
  const routesFrom = new Map<string, Route[]>();
  for (const route of snapshot.routes) {
    routes.set(`${route.fromSiteId}>${route.toSiteId}`, route);
    const list = routesFrom.get(route.fromSiteId) ?? [];
    list.push(route);
    routesFrom.set(route.fromSiteId, list);
  }
  const sets = new Map<string, PreferredSiteSet[]>();
  for (const set of snapshot.preferredSiteSets) {
    const key = `${set.treatmentCentreId}|${set.therapyCode}`;
    const list = sets.get(key) ?? [];
    list.push(set);
    sets.set(key, list);
  }
  for (const list of sets.values()) list.sort((a, b) => a.rank - b.rank);

  // Per site: day number → opening instant, or a negative marker for closed days.
  const openings = new Map<string, Map<number, number>>();
  function opening(siteId: string, day: number): number {
    let perDay = openings.get(siteId);
    if (!perDay) {
      perDay = new Map();
      openings.set(siteId, perDay);
    }
    let value = perDay.get(day);
    if (value === undefined) {
      const site = snapshot.sites.get(siteId);
      const hours = site ? hoursOn(site, day) : undefined;
      if (!site || !hours) value = CLOSED_WEEKDAY;
      else if (closureOn(site, dayFromNumber(day))) value = CLOSED_CLOSURE;
      else value = localTimeToUtcMs(site.timeZone, day, hours.opens);
      perDay.set(day, value);
    }
    return value;
  }

  return {
    snapshot,
    sites: snapshot.sites,
    workTypes: snapshot.workTypes,
    route: (fromSiteId, toSiteId) => routes.get(`${fromSiteId}>${toSiteId}`),
    routesFrom: (siteId) => routesFrom.get(siteId) ?? [],
    siteSets: (treatmentCentreId, therapyCode) => sets.get(`${treatmentCentreId}|${therapyCode}`) ?? [],
    openingMs(siteId, day) {
      const value = opening(siteId, day);
      return value >= 0 ? value : undefined;
    },
    closedBecause(siteId, day) {
      const value = opening(siteId, day);
      if (value === CLOSED_WEEKDAY) return 'weekday';
      if (value !== CLOSED_CLOSURE) return undefined;
      const site = snapshot.sites.get(siteId);
      return site ? closureOn(site, dayFromNumber(day)) : 'weekday';
    },
    localToday(siteId, now) {
      const site = snapshot.sites.get(siteId);
      return site ? localDayOf(site.timeZone, now) : undefined;
    },
  };
}

/** A snapshot from plain arrays, as a generator or a test builds it. */
export function snapshotOf(parts: {
  sites: readonly SchedulingSite[];
  workTypes: readonly WorkTypeDefinition[];
  routes: readonly Route[];
  preferredSiteSets: readonly PreferredSiteSet[];
}): NetworkSnapshot {
  return {
    sites: new Map(parts.sites.map((s) => [s.id, s])),
    workTypes: new Map(parts.workTypes.map((w) => [w.key, w])),
    routes: parts.routes,
    preferredSiteSets: parts.preferredSiteSets,
  };
}
