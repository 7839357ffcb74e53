/**
 * The depth-first core shared by the chain search and re-planning: for one combination of sites
 * (a collection centre, a plant, an infusion site), place the chain's steps day by day so every
 * lead time holds. Steps are placed in constraint order (each next step linked by a lead time to one
 * already placed), so a step's candidate days are only those inside its lead-time window. Two
 * things keep it fast on a 120-day horizon: each slot unit (site × work type × day) is evaluated
 * once per search and cached, and a step whose remaining chain depends only on its own start is
 * never expanded twice from the same day (what follows cannot differ).
 */
import { dayRange, type ExclusionCollector, siteLabel } from './exclusion-collector.ts';
import type { IndexedNetwork } from './network-index.ts';
import type { CapacityView, ChainSpec, Route, SiteRole, WorkType } from './scheduling-model.ts';
import { dayFromNumber } from './site-calendar.ts';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export type UnitOk = { ok: true; start: number; end: number; published: boolean };
export type UnitState = UnitOk | { ok: false };

export type AppointmentWindow = { id: string; label: string; start: number; end: number };

export type EngineContext = {
  network: IndexedNetwork;
  capacity: CapacityView;
  /** No step may start before this instant. */
  notBeforeMs: number;
  includeUnpublished: boolean;
  appointments: readonly AppointmentWindow[];
  /** Slot units the case already holds: they count as free for it (re-planning). */
  ownUnits?: ReadonlySet<string>;
  collector?: ExclusionCollector;
  /** Days before this one are outside what the coordinator asked about: never explained. */
  explainFromDay?: number;
  cache: Map<string, DayTable<UnitState>>;
};

export function slotUnitKey(siteId: string, workType: WorkType, day: string): string {
  return `${siteId}|${workType}|${day}`;
}

export function newEngineContext(
  parts: Omit<EngineContext, 'cache' | 'appointments'> & {
    appointments?: readonly { id: string; label: string; startsAt: string; endsAt: string }[];
  },
): EngineContext {
  return {
    ...parts,
    appointments: (parts.appointments ?? []).map((a) => ({
      id: a.id,
      label: a.label,
      start: Date.parse(a.startsAt),
      end: Date.parse(a.endsAt),
    })),
    cache: new Map(),
  };
}

/** Whether a step of this work type can take a slot at the site on the day, and when it would run. */
export function unitState(
  ctx: EngineContext,
  siteId: string,
  workType: WorkType,
  stepKey: string,
  day: number,
): UnitState {
  const perDay = unitCache(ctx, siteId, workType);
  const cached = perDay.get(day);
  if (cached) return cached;
  const state = evaluateUnit(ctx, siteId, workType, stepKey, day);
  perDay.set(day, state);
  return state;
}

export function unitCache(ctx: EngineContext, siteId: string, workType: WorkType): DayTable<UnitState> {
  const cacheKey = `${siteId}|${workType}`;
  let perDay = ctx.cache.get(cacheKey);
  if (!perDay) {
    perDay = new DayTable();
    ctx.cache.set(cacheKey, perDay);
  }
  return perDay;
}

const REFUSED: UnitState = { ok: false };

/** Values by day number in a dense array (the search touches runs of consecutive days). */
export class DayTable<T> {
  private base = Number.NaN;
  private readonly dense: Array<T | undefined> = [];
  private readonly sparse = new Map<number, T>();

  get(day: number): T | undefined {
    const i = day - this.base;
    return i >= 0 && i < 4096 ? this.dense[i] : this.sparse.get(day);
  }

  set(day: number, value: T): void {
    if (Number.isNaN(this.base)) this.base = day - 512;
    const i = day - this.base;
    if (i >= 0 && i < 4096) this.dense[i] = value;
    else this.sparse.set(day, value);
  }
}

function evaluateUnit(
  ctx: EngineContext,
  siteId: string,
  workType: WorkType,
  stepKey: string,
  day: number,
): UnitState {
  const { network } = ctx;
  const collector = ctx.explainFromDay !== undefined && day < ctx.explainFromDay ? undefined : ctx.collector;
  const site = network.sites.get(siteId);
  const start = network.openingMs(siteId, day);
  const dayText = dayFromNumber(day);
  if (start === undefined) {
    const why = network.closedBecause(siteId, day);
    if (collector && why !== undefined) {
      const closure = why === 'weekday' ? undefined : why;
      collector.day(
        'site_closed',
        closure ? `closure:${closure.from}:${closure.reason}` : 'weekday',
        { stepKey, siteId },
        dayText,
        (first, last, count) =>
          closure
            ? `${siteLabel(site, siteId)} is closed ${dayRange(first, last, count)} (${closure.reason}, closure ${closure.from} to ${closure.to})`
            : `${siteLabel(site, siteId)} does not open ${dayRange(first, last, count)} (weekly closing days)`,
      );
    }
    return REFUSED;
  }
  if (start < ctx.notBeforeMs) return REFUSED;
  const slot = ctx.capacity.get(siteId, workType, dayText);
  if (!slot || slot.capacity <= 0) {
    collector?.day(
      'no_capacity',
      'none_offered',
      { stepKey, siteId },
      dayText,
      (first, last, count) =>
        `${siteLabel(site, siteId)} offers no ${titleOf(network, workType)} capacity ${dayRange(first, last, count)}`,
    );
    return REFUSED;
  }
  const own = ctx.ownUnits?.has(slotUnitKey(siteId, workType, dayText)) ? 1 : 0;
  if (slot.capacity - slot.booked - slot.held + own <= 0) {
    collector?.day(
      'no_capacity',
      'full',
      { stepKey, siteId },
      dayText,
      (first, last, count) =>
        `${siteLabel(site, siteId)} is fully booked for ${titleOf(network, workType)} ${dayRange(first, last, count)} (every slot booked or held)`,
    );
    return REFUSED;
  }
  if (!slot.published && !ctx.includeUnpublished) {
    collector?.day(
      'unpublished',
      'unpublished',
      { stepKey, siteId },
      dayText,
      (first, last, count) =>
        `${siteLabel(site, siteId)} has only unpublished ${titleOf(network, workType)} capacity ${dayRange(first, last, count)}: include unpublished capacity to request it`,
    );
    return REFUSED;
  }
  const end = start + (network.workTypes.get(workType)?.durationMinutes ?? 60) * 60_000;
  for (const appointment of ctx.appointments)
    if (appointment.start < end && start < appointment.end) {
      collector?.day(
        'patient_conflict',
        appointment.id,
        { stepKey, siteId },
        dayText,
        (first, last, count) =>
          `${stepKey} at ${siteLabel(site, siteId)} would overlap the patient's appointment "${appointment.label}" ${dayRange(first, last, count)}`,
      );
      return REFUSED;
    }
  return { ok: true, start, end, published: slot.published };
}

function titleOf(network: IndexedNetwork, workType: WorkType): string {
  return network.workTypes.get(workType)?.title ?? workType;
}

export type SitesByRole = Partial<Record<SiteRole, string>>;

/** The route a lead time between two roles travels, if the roles are the two ends of a leg. */
export function legRoute(
  network: IndexedNetwork,
  fromRole: SiteRole,
  toRole: SiteRole,
  sites: SitesByRole,
): Route | undefined {
  const legged =
    (fromRole === 'collection' && toRole === 'plant') || (fromRole === 'plant' && toRole === 'infusion');
  const from = sites[fromRole];
  const to = sites[toRole];
  return legged && from && to ? network.route(from, to) : undefined;
}

export type CompiledRule = {
  from: number;
  to: number;
  minMs: number;
  maxMs: number;
  transportHours?: number;
};

/** Lead times in ms, with the minimum raised to cover the first step and the transport between sites. */
export function compileRules(network: IndexedNetwork, spec: ChainSpec, sites: SitesByRole): CompiledRule[] {
  const index = new Map(spec.steps.map((s, i) => [s.stepKey, i]));
  const rules: CompiledRule[] = [];
  for (const rule of spec.leadTimes) {
    const from = index.get(rule.fromStep);
    const to = index.get(rule.toStep);
    if (from === undefined || to === undefined) continue;
    const fromSpec = spec.steps[from];
    const toSpec = spec.steps[to];
    if (!fromSpec || !toSpec) continue;
    const route = legRoute(network, fromSpec.siteRole, toSpec.siteRole, sites);
    let minHours = rule.minHours;
    if (route) {
      const durationHours = (network.workTypes.get(fromSpec.workType)?.durationMinutes ?? 0) / 60;
      minHours = Math.max(minHours, durationHours + route.transportHours);
    }
    rules.push({
      from,
      to,
      minMs: minHours * HOUR_MS,
      maxMs: rule.maxHours * HOUR_MS,
      ...(route ? { transportHours: route.transportHours } : {}),
    });
  }
  return rules;
}

/** The step whose day is the chain's infusion day: the last infusion, else the last step. */
export function infusionIndexOf(spec: ChainSpec): number {
  for (let i = spec.steps.length - 1; i >= 0; i--) if (spec.steps[i]?.workType === 'infusion') return i;
  return spec.steps.length - 1;
}

export type CombinationProblem = {
  spec: ChainSpec;
  /** Site of each step, by index in spec.steps. */
  siteIds: readonly string[];
  rules: readonly CompiledRule[];
  infusionIndex: number;
  /** Day numbers an unanchored step is tried on. */
  firstDay: number;
  lastDay: number;
  latestInfusionDay?: number;
  /** Steps that stay exactly as they are (re-planning keeps what precedes the moved step). */
  given?: ReadonlyMap<number, { day: number; unit: UnitOk }>;
  /** A step that must take this day (the moved step). */
  fixedDay?: ReadonlyMap<number, number>;
  /** Days tried first for a step (re-planning keeps what still fits). */
  preferredDay?: ReadonlyMap<number, number>;
  /** earliest: the `want` chains with the earliest distinct infusion days; first: the first found. */
  mode: 'earliest' | 'first';
  want: number;
  /** Infusion start beyond which nothing this combination finds can make the overall best N. */
  outerBound?: () => number;
  /** Safety valve on pathological inputs; the memo keeps real searches far below it. */
  maxNodes?: number;
};

export type Placement = { days: number[]; units: UnitOk[] };

export function solveCombination(ctx: EngineContext, problem: CombinationProblem): Placement[] {
  const { spec, siteIds, rules, infusionIndex } = problem;
  const n = spec.steps.length;
  const order = placementOrder(n, rules, problem.given, problem.fixedDay);
  const position = new Array<number>(n);
  order.forEach((step, pos) => {
    position[step] = pos;
  });
  // A position whose later steps are linked to nothing placed before it: what follows depends only
  // on this step's start, so expanding it twice from one day cannot find anything new.
  const sharesUnits = new Set(spec.steps.map((s, i) => `${siteIds[i]}|${s.workType}`)).size < n;
  const memoable = order.map(
    (_, pos) =>
      !sharesUnits &&
      !rules.some(
        (r) =>
          ((position[r.from] as number) > pos && (position[r.to] as number) < pos) ||
          ((position[r.to] as number) > pos && (position[r.from] as number) < pos),
      ),
  );
  const lowerToInfusion = minimumPathsTo(n, rules, infusionIndex);
  const caches = spec.steps.map((s, i) => unitCache(ctx, siteIds[i] as string, s.workType));
  const visited = order.map(() => new DayTable<true>());
  const days = new Array<number>(n).fill(0);
  const units = new Array<UnitOk | undefined>(n);
  const found: Placement[] = [];
  const foundDays = new Set<number>();
  let kthInfusionStart = Infinity;
  let nodes = 0;
  const maxNodes = problem.maxNodes ?? 200_000;

  const outer = problem.outerBound;
  const done = () => problem.mode === 'first' && found.length >= problem.want;

  function record(): void {
    const infusionDay = days[infusionIndex] as number;
    if (foundDays.has(infusionDay)) return;
    foundDays.add(infusionDay);
    found.push({ days: [...days], units: units.map((u) => u as UnitOk) });
    if (problem.mode === 'earliest' && found.length >= problem.want) {
      const starts = found.map((p) => p.units[infusionIndex]?.start as number).sort((a, b) => a - b);
      kthInfusionStart = starts[problem.want - 1] as number;
    }
  }

  function place(pos: number): void {
    if (done() || ++nodes > maxNodes) return;
    if (pos === n) {
      record();
      return;
    }
    const i = order[pos] as number;
    const step = spec.steps[i];
    if (!step) return;
    const given = problem.given?.get(i);
    if (given) {
      if (!fits(i, given.unit.start)) return;
      days[i] = given.day;
      units[i] = given.unit;
      place(pos + 1);
      units[i] = undefined;
      return;
    }
    let lo = -Infinity;
    let hi = Infinity;
    for (const r of rules) {
      if (r.to === i && units[r.from]) {
        const t = (units[r.from] as UnitOk).start;
        lo = Math.max(lo, t + r.minMs);
        hi = Math.min(hi, t + r.maxMs);
      } else if (r.from === i && units[r.to]) {
        const t = (units[r.to] as UnitOk).start;
        lo = Math.max(lo, t - r.maxMs);
        hi = Math.min(hi, t - r.minMs);
      }
    }
    if (lo > hi) return;
    const candidates = candidateDays(i, lo, hi);
    const siteId = siteIds[i] as string;
    for (const day of candidates) {
      if (done()) return;
      if (i === infusionIndex && problem.latestInfusionDay !== undefined && day > problem.latestInfusionDay) {
        ctx.collector?.day(
          'after_latest_infusion',
          'latest',
          { stepKey: step.stepKey, siteId },
          dayFromNumber(day),
          (first, last, count) =>
            `${step.stepKey} at ${siteLabel(ctx.network.sites.get(siteId), siteId)} would fall after the latest infusion date ${dayFromNumber(problem.latestInfusionDay as number)} (${dayRange(first, last, count)})`,
        );
        if (problem.preferredDay?.get(i) === day) continue;
        break;
      }
      const cache = caches[i] as DayTable<UnitState>;
      let unit = cache.get(day);
      if (!unit) {
        unit = evaluateUnit(ctx, siteId, step.workType, step.stepKey, day);
        cache.set(day, unit);
      }
      if (!unit.ok || unit.start < lo || unit.start > hi) continue;
      const bound = lowerToInfusion[i] as number;
      if (
        (kthInfusionStart < Infinity && unit.start + bound >= kthInfusionStart) ||
        (outer && unit.start + bound > outer())
      ) {
        if (problem.preferredDay?.get(i) === day) continue;
        break;
      }
      if (usesPlacedUnit(i, day)) continue;
      if (memoable[pos]) {
        const seen = visited[pos] as DayTable<true>;
        if (seen.get(day)) continue;
        seen.set(day, true);
      }
      days[i] = day;
      units[i] = unit;
      place(pos + 1);
      units[i] = undefined;
    }
  }

  function fits(i: number, start: number): boolean {
    for (const r of rules) {
      if (r.to === i && units[r.from]) {
        const d = start - (units[r.from] as UnitOk).start;
        if (d < r.minMs || d > r.maxMs) return false;
      } else if (r.from === i && units[r.to]) {
        const d = (units[r.to] as UnitOk).start - start;
        if (d < r.minMs || d > r.maxMs) return false;
      }
    }
    return true;
  }

  function usesPlacedUnit(i: number, day: number): boolean {
    const step = spec.steps[i];
    for (let j = 0; j < n; j++)
      if (
        j !== i &&
        units[j] &&
        days[j] === day &&
        siteIds[j] === siteIds[i] &&
        spec.steps[j]?.workType === step?.workType
      )
        return true;
    return false;
  }

  function candidateDays(i: number, lo: number, hi: number): number[] {
    const fixed = problem.fixedDay?.get(i);
    if (fixed !== undefined) return [fixed];
    // A site-local day starts within 14 hours either side of the UTC day of the same date.
    let first = Number.isFinite(lo) ? Math.floor(lo / DAY_MS) - 1 : problem.firstDay;
    let last = Number.isFinite(hi) ? Math.floor(hi / DAY_MS) + 1 : problem.lastDay;
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      first = Math.max(first, problem.firstDay);
      last = Math.min(last, problem.lastDay);
    }
    const list: number[] = [];
    const preferred = problem.preferredDay?.get(i);
    if (preferred !== undefined && preferred >= first && preferred <= last) list.push(preferred);
    for (let d = first; d <= last; d++) if (d !== preferred) list.push(d);
    return list;
  }

  place(0);
  return found;
}

/** Given and fixed steps first, then each next step one linked by a lead time to those placed. */
function placementOrder(
  n: number,
  rules: readonly CompiledRule[],
  given?: ReadonlyMap<number, unknown>,
  fixed?: ReadonlyMap<number, number>,
): number[] {
  const order: number[] = [];
  const placed = new Set<number>();
  const add = (i: number) => {
    order.push(i);
    placed.add(i);
  };
  for (let i = 0; i < n; i++) if (given?.has(i)) add(i);
  for (let i = 0; i < n; i++) if (!placed.has(i) && fixed?.has(i)) add(i);
  while (order.length < n) {
    let next = -1;
    for (let i = 0; i < n && next < 0; i++)
      if (
        !placed.has(i) &&
        rules.some((r) => (r.to === i && placed.has(r.from)) || (r.from === i && placed.has(r.to)))
      )
        next = i;
    if (next < 0) for (let i = 0; i < n && next < 0; i++) if (!placed.has(i)) next = i;
    add(next);
  }
  return order;
}

/** Longest sum of minimum lead times from each step to the target (−∞ when no path constrains it). */
function minimumPathsTo(n: number, rules: readonly CompiledRule[], target: number): number[] {
  const best = new Array<number>(n).fill(-Infinity);
  best[target] = 0;
  // Bellman-Ford style relaxation; chains have at most a handful of steps.
  for (let round = 0; round < n; round++)
    for (const r of rules) {
      const via = (best[r.to] as number) + r.minMs;
      if (via > (best[r.from] as number)) best[r.from] = via;
    }
  return best;
}
