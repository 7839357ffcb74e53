/**
 * Changes to the scheduling network's configuration: site calendars (time zone, opening hours,
 * closures), routes and preferred site sets. Each function runs inside the caller's transaction,
 * checks what it needs against locked rows, refuses with a problem (changing nothing) or writes the
 * change with its ledger entry (before and after, with the reason).
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Actor } from '../platform/access/actor.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Schema } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/transaction.ts';
import { type FieldError, HttpProblem, invalidInput, notFound } from '../platform/http/problem.ts';
import { jsonb } from './network-store.ts';
import type {
  Closure,
  OpeningHours,
  PreferredSiteSet,
  Route,
  SchedulingSiteKind,
} from './scheduling-model.ts';
import { isoWeekday, isTimeZone, localDayOf, minutesOf } from './site-calendar.ts';

export type StoredClosure = Closure & { id: string };

/** Closures imported without an id (seeded or generated networks) are addressed by their days. */
export const closureIdOf = (closure: Closure & { id?: string }): string =>
  closure.id ?? `${closure.from}..${closure.to}`;

export type SiteCalendar = {
  siteId: string;
  code: string;
  name: string;
  kind: SchedulingSiteKind;
  timeZone: string;
  openingHours: OpeningHours[];
  closures: StoredClosure[];
};

type Change = { actor: Actor; reason: string; at: Date };

const LIVE_BOOKING = ['held', 'requested', 'booked'] as const;

async function lockedCalendar(trx: Tx, siteId: string): Promise<SiteCalendar> {
  const row = await trx
    .selectFrom('scheduling_sites as ss')
    .innerJoin('sites as s', 's.id', 'ss.site_id')
    .select(['s.id', 's.code', 's.name', 's.time_zone', 'ss.kind', 'ss.opening_hours', 'ss.closures'])
    .where('ss.site_id', '=', siteId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('The scheduling site');
  return {
    siteId: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    timeZone: row.time_zone,
    openingHours: row.opening_hours as OpeningHours[],
    closures: (row.closures as (Closure & { id?: string })[]).map((c) => ({ ...c, id: closureIdOf(c) })),
  };
}

const calendarOf = (c: SiteCalendar) => ({
  timeZone: c.timeZone,
  openingHours: c.openingHours,
  closures: c.closures,
});

export function openingHoursProblems(
  hours: readonly OpeningHours[],
  timeZone: string | undefined,
): FieldError[] {
  const errors: FieldError[] = [];
  if (timeZone !== undefined && !isTimeZone(timeZone))
    errors.push({
      field: 'body.timeZone',
      reason: `"${timeZone}" is not an IANA time zone (e.g. Europe/Berlin)`,
    });
  const seen = new Set<number>();
  hours.forEach((h, i) => {
    if (seen.has(h.weekday))
      errors.push({
        field: `body.openingHours.${i}.weekday`,
        reason: `weekday ${h.weekday} is given more than once`,
      });
    seen.add(h.weekday);
    if (minutesOf(h.opens) >= minutesOf(h.closes))
      errors.push({
        field: `body.openingHours.${i}.closes`,
        reason: `must be after opens (${h.opens}); got ${h.closes}`,
      });
  });
  return errors;
}

export async function setSiteCalendar(
  trx: Tx,
  siteId: string,
  input: { timeZone?: string; openingHours: OpeningHours[] },
  change: Change,
): Promise<SiteCalendar> {
  const errors = openingHoursProblems(input.openingHours, input.timeZone);
  if (errors.length > 0) throw invalidInput(errors);
  const before = await lockedCalendar(trx, siteId);
  const openingHours = [...input.openingHours].sort((a, b) => a.weekday - b.weekday);
  // A weekday that stops opening would strand the live bookings on it, as a closure would.
  const open = new Set(openingHours.map((h) => h.weekday));
  const stranded = (
    await bookingsAtSite(trx, siteId, localDayOf(before.timeZone, change.at), '9999-12-31')
  ).filter((b) => b.days.some((d) => !open.has(isoWeekday(d))));
  if (stranded.length > 0)
    throw new HttpProblem(
      409,
      `${before.code} has live bookings on weekdays these hours close (${stranded.map((b) => b.caseRef).join(', ')}): re-plan them first. Nothing was changed.`,
      { extensions: { affectedBookings: stranded } },
    );
  const after: SiteCalendar = { ...before, timeZone: input.timeZone ?? before.timeZone, openingHours };
  await trx
    .updateTable('scheduling_sites')
    .set({ opening_hours: jsonb(openingHours) })
    .where('site_id', '=', siteId)
    .execute();
  if (after.timeZone !== before.timeZone)
    await trx.updateTable('sites').set({ time_zone: after.timeZone }).where('id', '=', siteId).execute();
  await appendLedgerEntry(
    trx,
    {
      stream: `scheduling-site:${siteId}`,
      actor: change.actor,
      action: 'scheduling.site_calendar_set',
      recordType: 'scheduling_site',
      recordId: siteId,
      before: { timeZone: before.timeZone, openingHours: before.openingHours },
      after: { timeZone: after.timeZone, openingHours: after.openingHours },
      reason: change.reason,
    },
    change.at,
  );
  return after;
}

/** Live bookings with a unit at the site on a day of the range: what a closure would strand. */
export async function bookingsAtSite(
  trx: Tx,
  siteId: string,
  from: string,
  to: string,
): Promise<{ bookingId: string; caseRef: string; days: string[] }[]> {
  const rows = await trx
    .selectFrom('scheduling_booking_units as u')
    .innerJoin('scheduling_bookings as b', 'b.id', 'u.booking_id')
    .select(['b.id', 'b.case_ref', sql<string>`to_char(u.day, 'YYYY-MM-DD')`.as('day')])
    .where('u.site_id', '=', siteId)
    .where('u.state', '<>', 'released')
    .where('b.status', 'in', [...LIVE_BOOKING])
    .where('u.day', '>=', from)
    .where('u.day', '<=', to)
    .execute();
  const byBooking = new Map<string, { bookingId: string; caseRef: string; days: Set<string> }>();
  for (const row of rows) {
    const day = row.day;
    const entry = byBooking.get(row.id) ?? { bookingId: row.id, caseRef: row.case_ref, days: new Set() };
    entry.days.add(day);
    byBooking.set(row.id, entry);
  }
  return [...byBooking.values()]
    .map((b) => ({ bookingId: b.bookingId, caseRef: b.caseRef, days: [...b.days].sort() }))
    .sort((a, b) => a.caseRef.localeCompare(b.caseRef));
}

export async function addClosure(
  trx: Tx,
  siteId: string,
  input: { from: string; to: string; reason: string },
  change: Change,
): Promise<StoredClosure> {
  const before = await lockedCalendar(trx, siteId);
  const errors: FieldError[] = [];
  if (input.to < input.from)
    errors.push({ field: 'body.to', reason: `must be on or after from (${input.from})` });
  // "Today" is the site's own: a closure for a local day that has begun is still allowed.
  const today = localDayOf(before.timeZone, change.at);
  if (input.from < today)
    errors.push({ field: 'body.from', reason: `is in the past (today at the site is ${today})` });
  if (errors.length > 0) throw invalidInput(errors);
  const affected = await bookingsAtSite(trx, siteId, input.from, input.to);
  if (affected.length > 0)
    throw new HttpProblem(
      409,
      `${before.code} has live bookings on days of this closure (${affected.map((a) => a.caseRef).join(', ')}): re-plan them first. Nothing was changed.`,
      { extensions: { affectedBookings: affected } },
    );
  const closure: StoredClosure = { id: randomUUID(), from: input.from, to: input.to, reason: input.reason };
  const closures = [...before.closures, closure].sort((a, b) => a.from.localeCompare(b.from));
  await writeClosures(trx, before, closures, 'scheduling.site_closure_added', change);
  return closure;
}

export async function removeClosure(
  trx: Tx,
  siteId: string,
  closureId: string,
  change: Change,
): Promise<void> {
  const before = await lockedCalendar(trx, siteId);
  const closures = before.closures.filter((c) => c.id !== closureId);
  if (closures.length === before.closures.length) throw notFound('The closure');
  await writeClosures(trx, before, closures, 'scheduling.site_closure_removed', change);
}

/** Stores a site's closures and records the change, calendar before and after, in the site's stream. */
async function writeClosures(
  trx: Tx,
  before: SiteCalendar,
  closures: StoredClosure[],
  action: 'scheduling.site_closure_added' | 'scheduling.site_closure_removed',
  change: Change,
): Promise<void> {
  await trx
    .updateTable('scheduling_sites')
    .set({ closures: jsonb(closures) })
    .where('site_id', '=', before.siteId)
    .execute();
  await appendLedgerEntry(
    trx,
    {
      stream: `scheduling-site:${before.siteId}`,
      actor: change.actor,
      action,
      recordType: 'scheduling_site',
      recordId: before.siteId,
      before: calendarOf(before),
      after: calendarOf({ ...before, closures }),
      reason: change.reason,
    },
    change.at,
  );
}

const LEG_KINDS: Record<Route['leg'], { from: SchedulingSiteKind[]; to: SchedulingSiteKind[] }> = {
  collection_to_plant: { from: ['collection_centre', 'treatment_centre'], to: ['manufacturing_site'] },
  plant_to_infusion: { from: ['manufacturing_site'], to: ['infusion_site', 'treatment_centre'] },
};

async function kindsOf(trx: Tx, ids: readonly string[]): Promise<Map<string, SchedulingSiteKind>> {
  if (ids.length === 0) return new Map();
  const rows = await trx
    .selectFrom('scheduling_sites')
    .select(['site_id', 'kind'])
    .where('site_id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.site_id, r.kind]));
}

const routeRecordId = (fromSiteId: string, toSiteId: string) => `${fromSiteId}>${toSiteId}`;

async function lockedRoute(trx: Tx, fromSiteId: string, toSiteId: string): Promise<Route | undefined> {
  const row = await trx
    .selectFrom('scheduling_routes')
    .selectAll()
    .where('from_site_id', '=', fromSiteId)
    .where('to_site_id', '=', toSiteId)
    .forUpdate()
    .executeTakeFirst();
  return row
    ? {
        fromSiteId: row.from_site_id,
        toSiteId: row.to_site_id,
        leg: row.leg,
        transportHours: Number(row.transport_hours),
      }
    : undefined;
}

export async function upsertRoute(trx: Tx, route: Route, change: Change): Promise<Route> {
  const kinds = await kindsOf(trx, [route.fromSiteId, route.toSiteId]);
  const errors: FieldError[] = [];
  const expected = LEG_KINDS[route.leg];
  for (const [field, id, allowed] of [
    ['body.fromSiteId', route.fromSiteId, expected.from],
    ['body.toSiteId', route.toSiteId, expected.to],
  ] as const) {
    const kind = kinds.get(id);
    if (!kind) errors.push({ field, reason: 'no such site in the scheduling network' });
    else if (!allowed.includes(kind))
      errors.push({
        field,
        reason: `a ${route.leg} route needs a ${allowed.join(' or ')} here; this site is a ${kind}`,
      });
  }
  if (errors.length > 0) throw invalidInput(errors);
  const before = await lockedRoute(trx, route.fromSiteId, route.toSiteId);
  if (before && before.leg !== route.leg) {
    // A leg change could strand preferred site sets that count on the old one.
    const stranded = await setsStrandedWithout(trx, before);
    if (stranded.length > 0) throw strandedProblem(stranded, 'change the leg of');
  }
  await trx
    .insertInto('scheduling_routes')
    .values({
      from_site_id: route.fromSiteId,
      to_site_id: route.toSiteId,
      leg: route.leg,
      transport_hours: route.transportHours,
    })
    .onConflict((oc) =>
      oc
        .columns(['from_site_id', 'to_site_id'])
        .doUpdateSet({ leg: route.leg, transport_hours: route.transportHours }),
    )
    .execute();
  await appendLedgerEntry(
    trx,
    {
      stream: `scheduling-route:${routeRecordId(route.fromSiteId, route.toSiteId)}`,
      actor: change.actor,
      action: before ? 'scheduling.route_changed' : 'scheduling.route_added',
      recordType: 'scheduling_route',
      recordId: routeRecordId(route.fromSiteId, route.toSiteId),
      before: before ?? null,
      after: route,
      reason: change.reason,
    },
    change.at,
  );
  return route;
}

type SetKey = { treatmentCentreId: string; therapyCode: string; rank: number };

async function allSets(trx: Kysely<Schema>, filter?: { treatmentCentreId: string; therapyCode: string }) {
  let query = trx.selectFrom('scheduling_preferred_site_sets').selectAll();
  if (filter)
    query = query
      .where('treatment_centre_id', '=', filter.treatmentCentreId)
      .where('therapy_code', '=', filter.therapyCode);
  const rows = await query.orderBy('treatment_centre_id').orderBy('therapy_code').orderBy('rank').execute();
  return rows.map(
    (r): PreferredSiteSet => ({
      treatmentCentreId: r.treatment_centre_id,
      therapyCode: r.therapy_code,
      rank: r.rank,
      collectionSiteIds: r.collection_site_ids,
      plantIds: r.plant_ids,
      infusionSiteIds: r.infusion_site_ids,
    }),
  );
}

async function allRoutes(trx: Kysely<Schema>, lock = false): Promise<Route[]> {
  const query = trx.selectFrom('scheduling_routes').selectAll();
  // Shared locks: a route removal waits for a set replacement that relies on the route, and vice versa.
  const rows = await (lock ? query.forShare() : query).execute();
  return rows.map((r) => ({
    fromSiteId: r.from_site_id,
    toSiteId: r.to_site_id,
    leg: r.leg,
    transportHours: Number(r.transport_hours),
  }));
}

/** Plants of a set that no route reaches from its collection sites, or that reach none of its infusion sites. */
function unroutedPlants(
  set: Pick<PreferredSiteSet, 'collectionSiteIds' | 'plantIds' | 'infusionSiteIds'>,
  routes: readonly Route[],
): { plantId: string; missing: 'from_collection' | 'to_infusion' }[] {
  const has = (from: string, to: string, leg: Route['leg']) =>
    routes.some((r) => r.fromSiteId === from && r.toSiteId === to && r.leg === leg);
  const out: { plantId: string; missing: 'from_collection' | 'to_infusion' }[] = [];
  for (const plantId of set.plantIds) {
    if (!set.collectionSiteIds.some((c) => has(c, plantId, 'collection_to_plant')))
      out.push({ plantId, missing: 'from_collection' });
    if (!set.infusionSiteIds.some((i) => has(plantId, i, 'plant_to_infusion')))
      out.push({ plantId, missing: 'to_infusion' });
  }
  return out;
}

async function setsStrandedWithout(trx: Tx, removed: Route): Promise<SetKey[]> {
  const routes = (await allRoutes(trx)).filter(
    (r) => !(r.fromSiteId === removed.fromSiteId && r.toSiteId === removed.toSiteId),
  );
  const sets = (await allSets(trx)).filter((s) => {
    const ids = [...s.collectionSiteIds, ...s.plantIds, ...s.infusionSiteIds];
    return ids.includes(removed.fromSiteId) && ids.includes(removed.toSiteId);
  });
  return sets
    .filter((s) => unroutedPlants(s, routes).length > 0)
    .map((s) => ({ treatmentCentreId: s.treatmentCentreId, therapyCode: s.therapyCode, rank: s.rank }));
}

function strandedProblem(stranded: SetKey[], what: string): HttpProblem {
  return new HttpProblem(
    409,
    `Cannot ${what} this route: ${stranded.length} preferred site set(s) would have a plant without a route. Change those sets first. Nothing was changed.`,
    { extensions: { strandedSiteSets: stranded } },
  );
}

export async function deleteRoute(
  trx: Tx,
  fromSiteId: string,
  toSiteId: string,
  change: Change,
): Promise<void> {
  const before = await lockedRoute(trx, fromSiteId, toSiteId);
  if (!before) throw notFound('The route');
  const stranded = await setsStrandedWithout(trx, before);
  if (stranded.length > 0) throw strandedProblem(stranded, 'remove');
  await trx
    .deleteFrom('scheduling_routes')
    .where('from_site_id', '=', fromSiteId)
    .where('to_site_id', '=', toSiteId)
    .execute();
  await appendLedgerEntry(
    trx,
    {
      stream: `scheduling-route:${routeRecordId(fromSiteId, toSiteId)}`,
      actor: change.actor,
      action: 'scheduling.route_removed',
      recordType: 'scheduling_route',
      recordId: routeRecordId(fromSiteId, toSiteId),
      before,
      after: null,
      reason: change.reason,
    },
    change.at,
  );
}

export type SiteSetInput = {
  rank: number;
  collectionSiteIds: string[];
  plantIds: string[];
  infusionSiteIds: string[];
};

const SET_KINDS: Record<'collectionSiteIds' | 'plantIds' | 'infusionSiteIds', SchedulingSiteKind[]> = {
  collectionSiteIds: ['collection_centre', 'treatment_centre'],
  plantIds: ['manufacturing_site'],
  infusionSiteIds: ['infusion_site', 'treatment_centre'],
};

export async function replacePreferredSiteSets(
  trx: Tx,
  input: { treatmentCentreId: string; therapyCode: string; sets: SiteSetInput[] },
  change: Change,
): Promise<PreferredSiteSet[]> {
  const { treatmentCentreId, therapyCode, sets } = input;
  const errors: FieldError[] = [];
  const ids = sets.flatMap((s) => [...s.collectionSiteIds, ...s.plantIds, ...s.infusionSiteIds]);
  const kinds = await kindsOf(trx, [treatmentCentreId, ...ids]);
  const centreKind = kinds.get(treatmentCentreId);
  if (centreKind !== 'treatment_centre')
    errors.push({
      field: 'body.treatmentCentreId',
      reason: centreKind
        ? `is a ${centreKind}, not a treatment_centre`
        : 'no such site in the scheduling network',
    });
  const template = await trx
    .selectFrom('therapy_templates')
    .select('code')
    .where('code', '=', therapyCode)
    .executeTakeFirst();
  if (!template) errors.push({ field: 'body.therapyCode', reason: 'no therapy template has this code' });
  const ranks = sets.map((s) => s.rank).sort((a, b) => a - b);
  if (ranks.some((rank, i) => rank !== i + 1))
    errors.push({
      field: 'body.sets',
      reason: `ranks must be 1..${sets.length}, each once; got ${sets.map((s) => s.rank).join(', ')}`,
    });
  const routes = await allRoutes(trx, true);
  sets.forEach((set, i) => {
    let kindsOk = true;
    for (const key of ['collectionSiteIds', 'plantIds', 'infusionSiteIds'] as const)
      set[key].forEach((id, j) => {
        const kind = kinds.get(id);
        const allowed = SET_KINDS[key];
        if (!kind || !allowed.includes(kind)) {
          kindsOk = false;
          errors.push({
            field: `body.sets.${i}.${key}.${j}`,
            reason: kind
              ? `is a ${kind}; expected ${allowed.join(' or ')}`
              : 'no such site in the scheduling network',
          });
        }
      });
    if (!kindsOk) return;
    for (const gap of unroutedPlants(set, routes))
      errors.push({
        field: `body.sets.${i}.plantIds.${set.plantIds.indexOf(gap.plantId)}`,
        reason:
          gap.missing === 'from_collection'
            ? `plant ${gap.plantId} has no collection_to_plant route from any collection site of set rank ${set.rank}`
            : `plant ${gap.plantId} has no plant_to_infusion route to any infusion site of set rank ${set.rank}`,
      });
  });
  if (errors.length > 0) throw invalidInput(errors);
  // Locks the centre's sets for this therapy before reading them, so two replacements queue up.
  await trx
    .selectFrom('scheduling_sites')
    .select('site_id')
    .where('site_id', '=', treatmentCentreId)
    .forUpdate()
    .execute();
  const before = await allSets(trx, { treatmentCentreId, therapyCode });
  await trx
    .deleteFrom('scheduling_preferred_site_sets')
    .where('treatment_centre_id', '=', treatmentCentreId)
    .where('therapy_code', '=', therapyCode)
    .execute();
  const after: PreferredSiteSet[] = [...sets]
    .sort((a, b) => a.rank - b.rank)
    .map((s) => ({ treatmentCentreId, therapyCode, ...s }));
  if (after.length > 0)
    await trx
      .insertInto('scheduling_preferred_site_sets')
      .values(
        after.map((s) => ({
          treatment_centre_id: treatmentCentreId,
          therapy_code: therapyCode,
          rank: s.rank,
          collection_site_ids: s.collectionSiteIds,
          plant_ids: s.plantIds,
          infusion_site_ids: s.infusionSiteIds,
        })),
      )
      .execute();
  await appendLedgerEntry(
    trx,
    {
      stream: `scheduling-site:${treatmentCentreId}`,
      actor: change.actor,
      action: 'scheduling.preferred_site_sets_replaced',
      recordType: 'scheduling_preferred_site_sets',
      recordId: `${treatmentCentreId}|${therapyCode}`,
      before,
      after,
      reason: change.reason,
    },
    change.at,
  );
  return after;
}

/** The network's configuration as stored (read fresh: an administrator sees their change at once). */
export async function readNetworkConfig(db: Kysely<Schema>) {
  const [routes, preferredSiteSets, siteRows] = await Promise.all([
    allRoutes(db),
    allSets(db),
    db
      .selectFrom('scheduling_sites as ss')
      .innerJoin('sites as s', 's.id', 'ss.site_id')
      .select(['s.id', 's.code', 's.name', 's.time_zone', 'ss.kind', 'ss.opening_hours', 'ss.closures'])
      .orderBy('s.code')
      .execute(),
  ]);
  const calendars = siteRows.map((row) => ({
    siteId: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    timeZone: row.time_zone,
    openingHours: row.opening_hours as OpeningHours[],
    closures: (row.closures as (Closure & { id?: string })[]).map((c) => ({ ...c, id: closureIdOf(c) })),
  }));
  return { calendars, routes, preferredSiteSets };
}
