/**
 * Re-planning a booked chain when one step moves (a coordinator's request or a delay the plant
 * reports). The moved step takes its new day; every later step that still fits keeps its site and
 * day, and what no longer fits moves to the earliest feasible day within capacity and lead times, at
 * the same sites if possible, else at other sites of the same preferred set that the routes connect.
 * Earlier steps are anchored to what follows them (conditioning 3–5 days before the infusion): one
 * whose lead time to the moved step, or to a step that had to move, would break moves as well, to the
 * nearest day at its own site that satisfies all of its lead times; one whose lead times still hold
 * never moves, and one that has already started (before `now`) can never move, so a re-plan that
 * needs it to is infeasible and says why. The chain's own booked slots count as free for it.
 */
import {
  type CompiledRule,
  compileRules,
  DAY_MS,
  type EngineContext,
  infusionIndexOf,
  newEngineContext,
  type Placement,
  slotUnitKey,
  solveCombination,
  type UnitOk,
  unitState,
} from './chain-engine.ts';
import { plantLoad, siteCombinations, toSlotChain } from './chain-search.ts';
import { ExclusionCollector } from './exclusion-collector.ts';
import type { IndexedNetwork } from './network-index.ts';
import type {
  CapacityView,
  ChainSpec,
  ChainStep,
  Day,
  PatientAppointment,
  SiteRole,
  SlotChain,
  WorkType,
} from './scheduling-model.ts';
import { dayFromNumber, dayNumber, isDay, isoOf } from './site-calendar.ts';

export type ReplanChange = {
  stepKey: string;
  from: ChainStep;
  to: ChainStep;
  why: 'moved_by_request' | 'lead_time' | 'capacity' | 'unchanged';
};

export type ReplanProposal = {
  feasible: boolean;
  reason?: string;
  before: SlotChain;
  after?: SlotChain;
  changes: ReplanChange[];
};

export type ReplanOptions = {
  /** Slot units the case holds and may reuse (keys from `slotUnitKey`, or the units); default: the current chain's own. */
  ownBookings?: ReadonlySet<string> | ReadonlyArray<{ siteId: string; workType: WorkType; day: Day }>;
  /** The patient's other commitments (not this chain's own steps, which move with it). */
  patientAppointments?: readonly PatientAppointment[];
  /** When given, no re-planned step may start before it, and a step that started before it never moves. */
  now?: Date;
  /** How many days after the current one a delayed step is tried on (delayChain). */
  searchDays?: number;
};

const HOUR_MS = 3_600_000;
/** How far from its current day an earlier step is looked for when a lead time bounds it on one side only. */
const EARLIER_REACH_DAYS = 180;
/** Safety valve on the search over earlier steps' days; real chains stay far below it. */
const EARLIER_NODE_BUDGET = 4_000;

export function ownUnitsOf(chain: SlotChain): Set<string> {
  return new Set(chain.steps.map((s) => slotUnitKey(s.siteId, s.workType, s.day)));
}

function ownUnitsFrom(own: ReplanOptions['ownBookings']): ReadonlySet<string> | undefined {
  if (!own) return undefined;
  if (own instanceof Set) return own;
  return new Set(
    (own as ReadonlyArray<{ siteId: string; workType: WorkType; day: Day }>).map((u) =>
      slotUnitKey(u.siteId, u.workType, u.day),
    ),
  );
}

const hours = (ms: number) => Math.round((ms / HOUR_MS) * 10) / 10;
const instant = (ms: number) => `${isoOf(ms).slice(0, 16).replace('T', ' ')} UTC`;

export function replanChain(
  network: IndexedNetwork,
  capacity: CapacityView,
  spec: ChainSpec,
  current: SlotChain,
  move: { stepKey: string; day: Day },
  options: ReplanOptions = {},
): ReplanProposal {
  return replan(network, capacity, spec, current, move, options).proposal;
}

type Attempt = {
  proposal: ReplanProposal;
  /** The move is too late for a step that can no longer move: a later day only makes it worse. */
  laterIsWorse?: boolean;
};

function replan(
  network: IndexedNetwork,
  capacity: CapacityView,
  spec: ChainSpec,
  current: SlotChain,
  move: { stepKey: string; day: Day },
  options: ReplanOptions,
): Attempt {
  const infeasible = (reason: string, laterIsWorse = false): Attempt => ({
    proposal: { feasible: false, reason, before: current, changes: [] },
    laterIsWorse,
  });
  const moved = spec.steps.findIndex((s) => s.stepKey === move.stepKey);
  if (moved < 0) return infeasible(`the chain has no step ${move.stepKey}`);
  if (!isDay(move.day)) return infeasible(`${move.day} is not a day`);
  if (current.steps.length !== spec.steps.length) return infeasible('the chain does not match the therapy');
  const movedStep = current.steps[moved] as ChainStep;
  const nowMs = options.now ? options.now.getTime() : -Infinity;
  const startOf = (i: number) => Date.parse((current.steps[i] as ChainStep).startsAt);
  if (startOf(moved) < nowMs)
    return infeasible(
      `${move.stepKey} started ${instant(startOf(moved))}, before now: a step in the past can never be moved`,
    );
  const sitesNow: Partial<Record<SiteRole, string>> = {};
  spec.steps.forEach((s, i) => {
    sitesNow[s.siteRole] = current.steps[i]?.siteId;
  });

  const collector = new ExclusionCollector();
  const ctx = newEngineContext({
    network,
    capacity,
    notBeforeMs: nowMs,
    includeUnpublished: true,
    appointments: options.patientAppointments ?? [],
    ownUnits: ownUnitsFrom(options.ownBookings) ?? ownUnitsOf(current),
    collector,
  });
  const day = dayNumber(move.day);
  const unit = unitState(ctx, movedStep.siteId, movedStep.workType, movedStep.stepKey, day);
  if (!unit.ok) {
    const why = collector.list()[0]?.reason ?? `${move.stepKey} cannot start at its site on ${move.day}`;
    return infeasible(`${move.stepKey} cannot move to ${move.day}: ${why}`);
  }

  const past = new Set<number>();
  for (let i = 0; i < moved; i++) if (startOf(i) < nowMs) past.add(i);
  const brokenPast = brokenPastLeadTime(
    spec,
    compileRules(network, spec, sitesNow),
    moved,
    unit.start,
    past,
    startOf,
  );
  if (brokenPast)
    return infeasible(`${move.stepKey} cannot move to ${move.day}: ${brokenPast.reason}`, brokenPast.tooLate);

  const infusionIndex = infusionIndexOf(spec);
  const preferredDay = new Map<number, number>();
  for (let i = moved + 1; i < spec.steps.length; i++)
    preferredDay.set(i, dayNumber(current.steps[i]?.day as Day));
  const fixedRoles = new Set(spec.steps.slice(0, moved + 1).map((s) => s.siteRole));

  // The current sites first, then other sites of the same set for the roles still free to change.
  const combinations: Array<Partial<Record<SiteRole, string>>> = [sitesNow];
  const set = network.snapshot.preferredSiteSets.find(
    (s) =>
      s.therapyCode === spec.therapyCode &&
      s.rank === current.siteSetRank &&
      (!sitesNow.infusion || s.infusionSiteIds.includes(sitesNow.infusion)) &&
      (!sitesNow.plant || s.plantIds.includes(sitesNow.plant)) &&
      (!sitesNow.collection || s.collectionSiteIds.includes(sitesNow.collection)),
  );
  if (set)
    for (const c of siteCombinations(network, spec, {
      treatmentCentreId: set.treatmentCentreId,
      therapyCode: spec.therapyCode,
    }))
      if (
        c.set.rank === current.siteSetRank &&
        [...fixedRoles].every((role) => c.sites[role] === sitesNow[role]) &&
        (Object.keys(c.sites) as SiteRole[]).some((role) => c.sites[role] !== sitesNow[role])
      )
        combinations.push(c.sites);

  let leadTimeReason: string | undefined;
  let earlierReason: string | undefined;
  for (const sites of combinations) {
    const rules = compileRules(network, spec, sites);
    if (rules.some((r) => r.minMs > r.maxMs)) continue;
    const siteIds = spec.steps.map((s) => sites[s.siteRole] as string);
    const pinned = new Map<number, number>([[moved, unit.start]]);
    for (const i of past) pinned.set(i, startOf(i));
    const bounds = relaxedBounds(spec.steps.length, rules, pinned, moved, nowMs);
    if (bounds.conflict !== undefined) {
      leadTimeReason ??= describeConflict(
        spec,
        rules,
        bounds,
        bounds.conflict,
        moved,
        move.day,
        past,
        startOf,
      );
      continue;
    }
    const search = placeChain(ctx, {
      spec,
      siteIds,
      rules,
      infusionIndex,
      moved,
      movedDay: day,
      movedUnit: unit,
      current,
      past,
      bounds,
      preferredDay,
    });
    earlierReason ??= search.earlierReason;
    const placement = search.placement;
    if (!placement) continue;
    keepWhatStillFits(spec, rules, current, placement, moved, past);
    const after = toSlotChain(
      spec,
      siteIds,
      current.siteSetRank,
      placement,
      infusionIndex,
      plantLoad(capacity, spec, siteIds, placement.days),
    );
    return {
      proposal: {
        feasible: true,
        before: current,
        after,
        changes: describeChanges(ctx, spec, current, after, moved),
      },
    };
  }
  if (leadTimeReason) return infeasible(`${move.stepKey} cannot move to ${move.day}: ${leadTimeReason}`);
  const why = collector
    .list()
    .map((e) => e.reason)
    .slice(0, 3)
    .join('; ');
  return infeasible(
    `no days fit every lead time and capacity after moving ${move.stepKey} to ${move.day}${earlierReason ? `: ${earlierReason}` : ''}${why ? ` (${why})` : ''}`,
  );
}

/** A lead time between the moved step and one that has already started (and so cannot follow it), broken by the move. */
function brokenPastLeadTime(
  spec: ChainSpec,
  rules: readonly CompiledRule[],
  moved: number,
  movedStart: number,
  past: ReadonlySet<number>,
  startOf: (i: number) => number,
): { reason: string; tooLate: boolean } | undefined {
  for (const rule of rules) {
    const other = rule.from === moved ? rule.to : rule.to === moved ? rule.from : -1;
    if (!past.has(other)) continue;
    const gap = rule.to === moved ? movedStart - startOf(other) : startOf(other) - movedStart;
    if (gap >= rule.minMs && gap <= rule.maxMs) continue;
    const from = spec.steps[rule.from]?.stepKey;
    const to = spec.steps[rule.to]?.stepKey;
    const earlier = spec.steps[other]?.stepKey;
    return {
      reason: `${to} would start ${hours(gap)} h after ${from}, outside the allowed ${hours(rule.minMs)}–${hours(rule.maxMs)} h, and ${earlier} started ${instant(startOf(other))}, before now, so it can never be moved`,
      tooLate: rule.to === moved ? gap > rule.maxMs : gap < rule.minMs,
    };
  }
  return undefined;
}

type BoundWhy = { kind: 'pinned' } | { kind: 'now' } | { kind: 'rule'; via: number; rule: CompiledRule };

type Bounds = {
  lo: number[];
  hi: number[];
  loWhy: Array<BoundWhy | undefined>;
  hiWhy: Array<BoundWhy | undefined>;
  /** A step no start can satisfy (its lower bound above its upper), the one nearest the moved step. */
  conflict?: number;
};

/**
 * Earliest and latest start of every step implied by the lead times alone (calendars and capacity
 * aside), with the moved step and the steps in the past pinned and nothing before now: when these
 * contradict, no re-plan exists, and the bounds' provenance says which lead times collide.
 */
function relaxedBounds(
  n: number,
  rules: readonly CompiledRule[],
  pinned: ReadonlyMap<number, number>,
  moved: number,
  nowMs: number,
): Bounds {
  const lo = new Array<number>(n).fill(Number.isFinite(nowMs) ? nowMs : -Infinity);
  const hi = new Array<number>(n).fill(Infinity);
  const loWhy = new Array<BoundWhy | undefined>(n).fill(Number.isFinite(nowMs) ? { kind: 'now' } : undefined);
  const hiWhy = new Array<BoundWhy | undefined>(n).fill(undefined);
  for (const [i, start] of pinned) {
    lo[i] = start;
    hi[i] = start;
    loWhy[i] = { kind: 'pinned' };
    hiWhy[i] = { kind: 'pinned' };
  }
  // The step to explain: one free to move rather than a pinned one, then the nearest the moved step.
  const conflicting = () => {
    let best: number | undefined;
    const rank = (i: number) => (pinned.has(i) ? n : 0) + Math.abs(i - moved);
    for (let i = 0; i < n; i++)
      if ((lo[i] as number) > (hi[i] as number) && (best === undefined || rank(i) < rank(best))) best = i;
    return best;
  };
  for (let round = 0; round < 2 * n + 2; round++) {
    let changed = false;
    for (const r of rules) {
      const tighten = (
        bound: number[],
        why: Array<BoundWhy | undefined>,
        i: number,
        value: number,
        via: number,
        up: boolean,
      ) => {
        if (up ? value > (bound[i] as number) : value < (bound[i] as number)) {
          bound[i] = value;
          why[i] = { kind: 'rule', via, rule: r };
          changed = true;
        }
      };
      tighten(lo, loWhy, r.to, (lo[r.from] as number) + r.minMs, r.from, true);
      tighten(hi, hiWhy, r.to, (hi[r.from] as number) + r.maxMs, r.from, false);
      tighten(lo, loWhy, r.from, (lo[r.to] as number) - r.maxMs, r.to, true);
      tighten(hi, hiWhy, r.from, (hi[r.to] as number) - r.minMs, r.to, false);
    }
    const conflict = conflicting();
    if (conflict !== undefined) return { lo, hi, loWhy, hiWhy, conflict };
    if (!changed) break;
  }
  return { lo, hi, loWhy, hiWhy };
}

function describeConflict(
  spec: ChainSpec,
  rules: readonly CompiledRule[],
  bounds: Bounds,
  step: number,
  moved: number,
  movedDay: Day,
  past: ReadonlySet<number>,
  startOf: (i: number) => number,
): string {
  const key = (i: number) => spec.steps[i]?.stepKey ?? `step ${i + 1}`;
  const explain = (side: 'lo' | 'hi'): string => {
    const whys = side === 'lo' ? bounds.loWhy : bounds.hiWhy;
    const parts: string[] = [];
    let tail = '';
    let j = step;
    for (let guard = 0; guard <= rules.length * 2 + 2; guard++) {
      const why = whys[j];
      if (!why) break;
      if (why.kind === 'now') {
        tail = parts.length === 0 ? 'now' : ', which cannot start before now';
        break;
      }
      if (why.kind === 'pinned') {
        if (j === moved) tail = parts.length === 0 ? `the requested ${movedDay}` : `, moved to ${movedDay}`;
        else if (past.has(j))
          tail = `${parts.length === 0 ? key(j) : ''}, which started ${instant(startOf(j))}, before now, and can never be moved`;
        break;
      }
      const { via, rule } = why;
      const after = rule.to === j;
      const text =
        side === 'lo'
          ? after
            ? `at least ${hours(rule.minMs)} h after ${key(via)}`
            : `at most ${hours(rule.maxMs)} h before ${key(via)}`
          : after
            ? `at most ${hours(rule.maxMs)} h after ${key(via)}`
            : `at least ${hours(rule.minMs)} h before ${key(via)}`;
      parts.push(text);
      j = via;
    }
    return parts.join(', which is ') + tail;
  };
  const lo = bounds.lo[step] as number;
  const hi = bounds.hi[step] as number;
  return `${key(step)} would have to start no later than ${instant(hi)} (${explain('hi')}) but no earlier than ${instant(lo)} (${explain('lo')}): no day satisfies both`;
}

type PlaceProblem = {
  spec: ChainSpec;
  siteIds: readonly string[];
  rules: readonly CompiledRule[];
  infusionIndex: number;
  moved: number;
  movedDay: number;
  movedUnit: UnitOk;
  current: SlotChain;
  past: ReadonlySet<number>;
  bounds: Bounds;
  preferredDay: ReadonlyMap<number, number>;
};

/**
 * The earlier steps first, each on the day nearest its current one (its current day when it still
 * fits) within the lead times to the steps already placed, starting from the moved step and the
 * steps in the past; then the later steps by the chain engine, keeping the days that still fit.
 */
function placeChain(ctx: EngineContext, p: PlaceProblem): { placement?: Placement; earlierReason?: string } {
  const { spec, siteIds, rules, moved, current } = p;
  const n = spec.steps.length;
  const currentDay = current.steps.map((s) => dayNumber(s.day));
  const currentUnit = current.steps.map(ownUnit);
  const starts = new Array<number | undefined>(n);
  const days = new Array<number | undefined>(n);
  const given = new Map<number, { day: number; unit: UnitOk }>();
  starts[moved] = p.movedUnit.start;
  days[moved] = p.movedDay;
  for (const i of p.past) {
    starts[i] = currentUnit[i]?.start;
    days[i] = currentDay[i];
    given.set(i, { day: currentDay[i] as number, unit: currentUnit[i] as UnitOk });
  }
  const direction = p.movedDay >= (currentDay[moved] as number) ? 1 : -1;

  // Nearest the moved step first: each next step one linked by a lead time to those placed.
  const order: number[] = [];
  const placed = new Set<number>([moved, ...p.past]);
  const free = [...Array(moved).keys()].filter((i) => !p.past.has(i));
  while (order.length < free.length) {
    const open = free.filter((i) => !placed.has(i)).reverse();
    const next =
      open.find((i) =>
        rules.some((r) => (r.from === i && placed.has(r.to)) || (r.to === i && placed.has(r.from))),
      ) ?? (open[0] as number);
    order.push(next);
    placed.add(next);
  }

  let budget = EARLIER_NODE_BUDGET;
  let earlierReason: string | undefined;
  const sharesUnit = (i: number, day: number) =>
    days.some(
      (d, j) =>
        j !== i &&
        d === day &&
        siteIds[j] === siteIds[i] &&
        spec.steps[j]?.workType === spec.steps[i]?.workType,
    );

  const search = (k: number): Placement | undefined => {
    if (--budget < 0) return undefined;
    if (k === order.length)
      return solveCombination(ctx, {
        spec,
        siteIds,
        rules,
        infusionIndex: p.infusionIndex,
        firstDay: p.movedDay,
        lastDay: p.movedDay + 180,
        given,
        fixedDay: new Map([[moved, p.movedDay]]),
        preferredDay: p.preferredDay,
        mode: 'first',
        want: 1,
        maxNodes: 50_000,
      })[0];
    const i = order[k] as number;
    const step = spec.steps[i];
    if (!step) return undefined;
    let lo = p.bounds.lo[i] as number;
    let hi = p.bounds.hi[i] as number;
    for (const r of rules) {
      const fromStart = starts[r.from];
      const toStart = starts[r.to];
      if (r.to === i && fromStart !== undefined) {
        lo = Math.max(lo, fromStart + r.minMs);
        hi = Math.min(hi, fromStart + r.maxMs);
      } else if (r.from === i && toStart !== undefined) {
        lo = Math.max(lo, toStart - r.maxMs);
        hi = Math.min(hi, toStart - r.minMs);
      }
    }
    if (lo > hi) return undefined;
    const home = currentDay[i] as number;
    const first = Math.max(
      Number.isFinite(lo) ? Math.floor(lo / DAY_MS) - 1 : -Infinity,
      home - EARLIER_REACH_DAYS,
    );
    const last = Math.min(
      Number.isFinite(hi) ? Math.floor(hi / DAY_MS) + 1 : Infinity,
      home + EARLIER_REACH_DAYS,
    );
    let tried = false;
    for (let distance = 0; distance <= EARLIER_REACH_DAYS; distance++) {
      if (home + distance > last && home - distance < first) break;
      const candidates = distance === 0 ? [home] : [home + distance * direction, home - distance * direction];
      for (const day of candidates) {
        if (day < first || day > last) continue;
        const unit =
          day === home && siteIds[i] === current.steps[i]?.siteId
            ? (currentUnit[i] as UnitOk)
            : unitState(ctx, siteIds[i] as string, step.workType, step.stepKey, day);
        if (!unit.ok || unit.start < lo || unit.start > hi || sharesUnit(i, day)) continue;
        tried = true;
        starts[i] = unit.start;
        days[i] = day;
        given.set(i, { day, unit });
        const found = search(k + 1);
        if (found) return found;
        given.delete(i);
        starts[i] = undefined;
        days[i] = undefined;
        if (budget < 0) return undefined;
      }
    }
    if (!tried)
      earlierReason ??= `${step.stepKey} would have to move to a day between ${instant(lo)} and ${instant(hi)}, and none is open with a free slot`;
    return undefined;
  };
  const placement = search(0);
  return { ...(placement ? { placement } : {}), ...(earlierReason ? { earlierReason } : {}) };
}

function ownUnit(step: ChainStep): UnitOk {
  return {
    ok: true,
    start: Date.parse(step.startsAt),
    end: Date.parse(step.endsAt),
    published: step.published,
  };
}

/**
 * An earlier step that moved although its current day would satisfy every lead time with the final
 * days of the others goes back to it (the search may have moved it before finding what forced the
 * rest), until only the moves a lead time to a moved step forces remain.
 */
function keepWhatStillFits(
  spec: ChainSpec,
  rules: readonly CompiledRule[],
  current: SlotChain,
  placement: Placement,
  moved: number,
  past: ReadonlySet<number>,
): void {
  const { days, units } = placement;
  for (let again = true; again; ) {
    again = false;
    for (let i = 0; i < moved; i++) {
      const step = current.steps[i] as ChainStep;
      const home = dayNumber(step.day);
      if (past.has(i) || days[i] === home) continue;
      const unit = ownUnit(step);
      const fits = rules.every((r) => {
        if (r.to === i) {
          const gap = unit.start - (units[r.from] as UnitOk).start;
          return gap >= r.minMs && gap <= r.maxMs;
        }
        if (r.from === i) {
          const gap = (units[r.to] as UnitOk).start - unit.start;
          return gap >= r.minMs && gap <= r.maxMs;
        }
        return true;
      });
      const taken = days.some(
        (d, j) =>
          j !== i &&
          d === home &&
          spec.steps[j]?.workType === step.workType &&
          units[j] &&
          current.steps[j]?.siteId === step.siteId,
      );
      if (!fits || taken) continue;
      days[i] = home;
      units[i] = unit;
      again = true;
    }
  }
}

function describeChanges(
  ctx: EngineContext,
  spec: ChainSpec,
  before: SlotChain,
  after: SlotChain,
  moved: number,
): ReplanChange[] {
  return spec.steps.map((s, i) => {
    const from = before.steps[i] as ChainStep;
    const to = after.steps[i] as ChainStep;
    let why: ReplanChange['why'] = 'unchanged';
    const changed = from.siteId !== to.siteId || from.day !== to.day;
    if (i === moved && changed) why = 'moved_by_request';
    // An earlier step moves only with a step it is anchored to.
    else if (changed && i < moved) why = 'lead_time';
    else if (changed) {
      const stillOpen = unitState(ctx, from.siteId, from.workType, from.stepKey, dayNumber(from.day)).ok;
      why = stillOpen && from.siteId === to.siteId ? 'lead_time' : 'capacity';
    }
    return { stepKey: s.stepKey, from, to, why };
  });
}

/**
 * A delay reported for a step (the plant needs `delayHours` more): the step moves to the first day its
 * site can start it at or after the delayed time, and the chain is re-planned around it.
 */
export function delayChain(
  network: IndexedNetwork,
  capacity: CapacityView,
  spec: ChainSpec,
  current: SlotChain,
  delay: { stepKey: string; delayHours: number },
  options: ReplanOptions = {},
): ReplanProposal {
  const index = spec.steps.findIndex((s) => s.stepKey === delay.stepKey);
  const step = current.steps[index];
  if (index < 0 || !step)
    return {
      feasible: false,
      reason: `the chain has no step ${delay.stepKey}`,
      before: current,
      changes: [],
    };
  if (!(delay.delayHours > 0))
    return {
      feasible: false,
      reason: 'a delay must be a positive number of hours',
      before: current,
      changes: [],
    };
  const earliest = Date.parse(step.startsAt) + delay.delayHours * HOUR_MS;
  const first = dayNumber(step.day);
  let last: ReplanProposal | undefined;
  for (let d = first; d <= first + (options.searchDays ?? 45); d++) {
    const opens = network.openingMs(step.siteId, d);
    if (opens === undefined || opens < earliest) continue;
    const attempt = replan(
      network,
      capacity,
      spec,
      current,
      { stepKey: delay.stepKey, day: dayFromNumber(d) },
      options,
    );
    if (attempt.proposal.feasible) return attempt.proposal;
    last = attempt.proposal;
    // A step already in the past bounds how late this one may start: later days only break it further.
    if (attempt.laterIsWorse) break;
  }
  return (
    last ?? {
      feasible: false,
      reason: `${delay.stepKey} cannot start ${delay.delayHours} h later at its site within the search window`,
      before: current,
      changes: [],
    }
  );
}
