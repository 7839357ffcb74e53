/**
 * The best N slot chains for a case: every combination of sites the treatment centre's preferred
 * site sets allow (and the routes connect) is solved by the chain engine for its earliest infusion
 * days; the options are then ranked by earliest infusion, preferred site set, and lower plant load.
 */
import {
  type CompiledRule,
  compileRules,
  DAY_MS,
  infusionIndexOf,
  newEngineContext,
  type Placement,
  type SitesByRole,
  solveCombination,
} from './chain-engine.ts';
import { ExclusionCollector, siteLabel } from './exclusion-collector.ts';
import type { IndexedNetwork } from './network-index.ts';
import type {
  CapacityView,
  ChainSearchRequest,
  ChainSearchResult,
  ChainSpec,
  ChainStep,
  PreferredSiteSet,
  SiteRole,
  SlotChain,
} from './scheduling-model.ts';
import { dayFromNumber, dayNumber, isoOf, localTimeToUtcMs } from './site-calendar.ts';

/** How far ahead the first step is looked for (capacity is published 120 days ahead). */
export const SEARCH_HORIZON_DAYS = 150;
export const DEFAULT_CHAIN_COUNT = 3;
/** Plant load is measured over this many days either side of the first plant step. */
const LOAD_WINDOW_DAYS = 3;

const ROLE_SITES: Record<
  SiteRole,
  keyof Pick<PreferredSiteSet, 'collectionSiteIds' | 'plantIds' | 'infusionSiteIds'>
> = {
  collection: 'collectionSiteIds',
  plant: 'plantIds',
  infusion: 'infusionSiteIds',
};

export type SiteCombination = { set: PreferredSiteSet; sites: SitesByRole };

export function searchChains(
  network: IndexedNetwork,
  capacity: CapacityView,
  spec: ChainSpec,
  request: ChainSearchRequest,
  now: Date,
): ChainSearchResult {
  const collector = request.explain ? new ExclusionCollector() : undefined;
  const centre = network.sites.get(request.treatmentCentreId);
  if (!centre) return { chains: [], exclusions: [] };
  const want = Math.max(1, Math.min(request.count ?? DEFAULT_CHAIN_COUNT, 20));
  const earliest = dayNumber(request.earliestDate);
  const notBeforeMs = Math.max(now.getTime(), localTimeToUtcMs(centre.timeZone, earliest, '00:00'));
  const latestInfusionDay = request.preferences?.latestInfusionDate
    ? dayNumber(request.preferences.latestInfusionDate)
    : undefined;
  const ctx = newEngineContext({
    network,
    capacity,
    notBeforeMs,
    includeUnpublished: request.preferences?.includeUnpublished === true,
    appointments: request.patientAppointments ?? [],
    ...(collector ? { collector } : {}),
    explainFromDay: earliest,
  });
  const infusionIndex = infusionIndexOf(spec);
  const candidates: Candidate[] = [];
  // Infusion starts found so far, ascending: once N are known, a combination can only matter if it
  // infuses no later (a day of slack covers sites whose local days straddle a UTC instant).
  const infusionStarts: number[] = [];
  const outerBound = () =>
    infusionStarts.length >= want ? (infusionStarts[want - 1] as number) + DAY_MS : Infinity;
  for (const combination of siteCombinations(network, spec, request, collector)) {
    const rules = compileRules(network, spec, combination.sites);
    if (!leadTimesPossible(network, spec, rules, combination, collector)) continue;
    const siteIds = spec.steps.map((s) => combination.sites[s.siteRole] as string);
    // With N options already found, finding nothing here may only mean nothing better: not a reason.
    const unbounded = outerBound() === Infinity;
    const placements = solveCombination(ctx, {
      spec,
      siteIds,
      rules,
      infusionIndex,
      firstDay: earliest - 1,
      lastDay: Math.min(earliest + SEARCH_HORIZON_DAYS, (latestInfusionDay ?? Infinity) + 1),
      ...(latestInfusionDay !== undefined ? { latestInfusionDay } : {}),
      mode: 'earliest',
      want,
      outerBound,
    });
    if (placements.length === 0 && unbounded)
      collector?.once(
        'lead_time',
        { siteSetRank: combination.set.rank },
        `No days at ${describeSites(network, combination)} fit every lead time of the chain within ${SEARCH_HORIZON_DAYS} days (see the site exclusions)`,
      );
    for (const placement of placements) {
      candidates.push({
        rank: combination.set.rank,
        infusionDay: dayFromNumber(placement.days[infusionIndex] as number),
        siteIds,
        placement,
      });
      infusionStarts.push(placement.units[infusionIndex]?.start ?? Infinity);
    }
    infusionStarts.sort((a, b) => a - b);
  }
  const loadOf = (c: Candidate) => {
    c.load ??= plantLoad(capacity, spec, c.siteIds, c.placement.days);
    return c.load;
  };
  candidates.sort(
    (a, b) =>
      (a.infusionDay < b.infusionDay ? -1 : a.infusionDay > b.infusionDay ? 1 : 0) ||
      a.rank - b.rank ||
      loadOf(a) - loadOf(b) ||
      tieBreak(a, b),
  );
  const chains = candidates
    .slice(0, want)
    .map((c) => toSlotChain(spec, c.siteIds, c.rank, c.placement, infusionIndex, loadOf(c)));
  return { chains, exclusions: collector?.list() ?? [] };
}

/** A found chain before it is turned into output: only the best N are. */
type Candidate = {
  rank: number;
  infusionDay: string;
  siteIds: readonly string[];
  placement: Placement;
  load?: number;
};

function tieBreak(a: Candidate, b: Candidate): number {
  for (let i = 0; i < a.siteIds.length; i++) {
    const d = (a.placement.units[i]?.start ?? 0) - (b.placement.units[i]?.start ?? 0);
    if (d !== 0) return d;
    const sa = a.siteIds[i] as string;
    const sb = b.siteIds[i] as string;
    if (sa !== sb) return sa < sb ? -1 : 1;
  }
  return 0;
}

/** Earliest infusion, then the better-ranked site set, then the less loaded plant. */
export function compareChains(a: SlotChain, b: SlotChain): number {
  if (a.infusionDay !== b.infusionDay) return a.infusionDay < b.infusionDay ? -1 : 1;
  if (a.siteSetRank !== b.siteSetRank) return a.siteSetRank - b.siteSetRank;
  if (a.plantLoad !== b.plantLoad) return a.plantLoad - b.plantLoad;
  const ka = a.steps.map((s) => `${s.startsAt}${s.siteId}`).join();
  const kb = b.steps.map((s) => `${s.startsAt}${s.siteId}`).join();
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Every site combination of the centre's sets, best set first, that the routes connect. */
export function siteCombinations(
  network: IndexedNetwork,
  spec: ChainSpec,
  request: Pick<ChainSearchRequest, 'treatmentCentreId' | 'therapyCode' | 'preferences'>,
  collector?: ExclusionCollector,
): SiteCombination[] {
  const roles = [...new Set(spec.steps.map((s) => s.siteRole))];
  const avoid = new Set(request.preferences?.avoidSiteIds ?? []);
  const onlyPlants = request.preferences?.plantIds?.length
    ? new Set(request.preferences.plantIds)
    : undefined;
  const out: SiteCombination[] = [];
  for (const set of network.siteSets(request.treatmentCentreId, spec.therapyCode)) {
    const options = roles.map((role) =>
      set[ROLE_SITES[role]].filter((siteId) => {
        if (avoid.has(siteId)) {
          collector?.once(
            'avoided',
            { siteId, siteSetRank: set.rank },
            `${siteLabel(network.sites.get(siteId), siteId)} is avoided on request`,
          );
          return false;
        }
        if (role === 'plant' && onlyPlants && !onlyPlants.has(siteId)) {
          collector?.once(
            'avoided',
            { siteId, siteSetRank: set.rank },
            `${siteLabel(network.sites.get(siteId), siteId)} is not among the requested plants`,
          );
          return false;
        }
        return suitsRole(network, spec, role, siteId);
      }),
    );
    const combine = (index: number, sites: SitesByRole): void => {
      if (index === roles.length) {
        if (routed(network, sites, set.rank, collector)) out.push({ set, sites: { ...sites } });
        return;
      }
      for (const siteId of options[index] ?? [])
        combine(index + 1, { ...sites, [roles[index] as SiteRole]: siteId });
    };
    combine(0, {});
  }
  return out;
}

function suitsRole(network: IndexedNetwork, spec: ChainSpec, role: SiteRole, siteId: string): boolean {
  const site = network.sites.get(siteId);
  if (!site) return false;
  return spec.steps
    .filter((s) => s.siteRole === role)
    .every((s) => network.workTypes.get(s.workType)?.siteKinds.includes(site.kind) ?? false);
}

function routed(
  network: IndexedNetwork,
  sites: SitesByRole,
  rank: number,
  collector?: ExclusionCollector,
): boolean {
  const legs: Array<[string | undefined, string | undefined]> = [];
  if (sites.collection && sites.plant) legs.push([sites.collection, sites.plant]);
  if (sites.plant && sites.infusion) legs.push([sites.plant, sites.infusion]);
  for (const [from, to] of legs)
    if (from && to && !network.route(from, to)) {
      collector?.once(
        'no_route',
        { siteId: to, siteSetRank: rank },
        `No route from ${siteLabel(network.sites.get(from), from)} to ${siteLabel(network.sites.get(to), to)} (site set ${rank})`,
      );
      return false;
    }
  return true;
}

/** A lead time whose transport alone exceeds its maximum rules the combination out before any day is tried. */
function leadTimesPossible(
  network: IndexedNetwork,
  spec: ChainSpec,
  rules: readonly CompiledRule[],
  combination: SiteCombination,
  collector?: ExclusionCollector,
): boolean {
  for (const rule of rules) {
    if (rule.minMs <= rule.maxMs) continue;
    const from = spec.steps[rule.from];
    const to = spec.steps[rule.to];
    if (!from || !to) return false;
    const fromSite = combination.sites[from.siteRole] as string;
    const toSite = combination.sites[to.siteRole] as string;
    collector?.once(
      'lead_time',
      { stepKey: to.stepKey, siteId: toSite, siteSetRank: combination.set.rank },
      `${from.stepKey} at ${siteLabel(network.sites.get(fromSite), fromSite)} cannot reach ${to.stepKey} at ${siteLabel(network.sites.get(toSite), toSite)} in time: ${rule.minMs / 3_600_000} h needed (transport ${rule.transportHours ?? 0} h) but at most ${rule.maxMs / 3_600_000} h allowed`,
    );
    return false;
  }
  return true;
}

function describeSites(network: IndexedNetwork, combination: SiteCombination): string {
  return Object.values(combination.sites)
    .map((id) => siteLabel(network.sites.get(id as string), id as string))
    .join(', ');
}

export function toSlotChain(
  spec: ChainSpec,
  siteIds: readonly string[],
  rank: number,
  placement: Placement,
  infusionIndex: number,
  load: number,
): SlotChain {
  const steps: ChainStep[] = spec.steps.map((s, i) => {
    const unit = placement.units[i];
    return {
      stepKey: s.stepKey,
      workType: s.workType,
      siteId: siteIds[i] as string,
      day: dayFromNumber(placement.days[i] as number),
      startsAt: isoOf(unit?.start ?? 0),
      endsAt: isoOf(unit?.end ?? 0),
      published: unit?.published ?? true,
    };
  });
  return { steps, siteSetRank: rank, infusionDay: steps[infusionIndex]?.day ?? '', plantLoad: load };
}

/** Booked + held over capacity of the plant's first work type, a few days either side of the chain's plant day. */
export function plantLoad(
  capacity: CapacityView,
  spec: ChainSpec,
  siteIds: readonly string[],
  days: readonly number[],
): number {
  const index = spec.steps.findIndex((s) => s.siteRole === 'plant');
  const step = spec.steps[index];
  if (index < 0 || !step) return 0;
  const siteId = siteIds[index] as string;
  let used = 0;
  let total = 0;
  const centre = days[index] as number;
  for (let d = centre - LOAD_WINDOW_DAYS; d <= centre + LOAD_WINDOW_DAYS; d++) {
    const slot = capacity.get(siteId, step.workType, dayFromNumber(d));
    if (!slot) continue;
    used += slot.booked + slot.held;
    total += slot.capacity;
  }
  return total > 0 ? Math.round((used / total) * 1000) / 1000 : 0;
}
