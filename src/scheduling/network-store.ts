import { type Kysely, sql } from 'kysely';
import type { Schema } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/transaction.ts';
import type {
  CapacityDay,
  Closure,
  NetworkSnapshot,
  OpeningHours,
  PreferredSiteSet,
  Route,
  SchedulingSite,
  WorkType,
  WorkTypeDefinition,
} from './scheduling-model.ts';

/**
 * The scheduling network as the engine reads it: sites from `sites` with the scheduling attributes
 * of `scheduling_sites`, work types, routes and preferred site sets. Four reads; the network
 * changes rarely, so the search keeps it in memory (scheduling-service.ts).
 */
export async function loadNetworkSnapshot(db: Kysely<Schema>): Promise<NetworkSnapshot> {
  const [siteRows, workTypeRows, routeRows, setRows] = await Promise.all([
    db
      .selectFrom('scheduling_sites as ss')
      .innerJoin('sites as s', 's.id', 'ss.site_id')
      .select([
        's.id',
        's.code',
        's.name',
        's.partner_id',
        's.country',
        's.time_zone',
        'ss.kind',
        'ss.opening_hours',
        'ss.closures',
      ])
      .execute(),
    db.selectFrom('scheduling_work_types').selectAll().execute(),
    db.selectFrom('scheduling_routes').selectAll().execute(),
    db.selectFrom('scheduling_preferred_site_sets').selectAll().orderBy('rank').execute(),
  ]);
  const sites = new Map<string, SchedulingSite>();
  for (const row of siteRows)
    sites.set(row.id, {
      id: row.id,
      code: row.code,
      name: row.name,
      partnerId: row.partner_id,
      kind: row.kind,
      country: row.country,
      timeZone: row.time_zone,
      openingHours: row.opening_hours as OpeningHours[],
      closures: row.closures as Closure[],
    });
  const workTypes = new Map<WorkType, WorkTypeDefinition>();
  for (const row of workTypeRows)
    workTypes.set(row.key as WorkType, {
      key: row.key as WorkType,
      title: row.title,
      durationMinutes: row.duration_minutes,
      siteKinds: row.site_kinds as WorkTypeDefinition['siteKinds'],
    });
  const routes: Route[] = routeRows.map((r) => ({
    fromSiteId: r.from_site_id,
    toSiteId: r.to_site_id,
    leg: r.leg,
    transportHours: Number(r.transport_hours),
  }));
  const preferredSiteSets: PreferredSiteSet[] = setRows.map((r) => ({
    treatmentCentreId: r.treatment_centre_id,
    therapyCode: r.therapy_code,
    rank: r.rank,
    collectionSiteIds: r.collection_site_ids,
    plantIds: r.plant_ids,
    infusionSiteIds: r.infusion_site_ids,
  }));
  return { sites, workTypes, routes, preferredSiteSets };
}

export type NetworkImport = {
  sites: readonly SchedulingSite[];
  workTypes: readonly WorkTypeDefinition[];
  routes: readonly Route[];
  preferredSiteSets: readonly PreferredSiteSet[];
  capacity: readonly CapacityDay[];
};

/** JSON sent as text and cast by PostgreSQL (node-postgres would turn a top-level array into a PostgreSQL array). */
export const jsonb = (value: unknown) => sql<never>`cast(${JSON.stringify(value)} as text)::jsonb`;

const CHUNK = 2_000;
function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Writes the scheduling attributes of sites that exist in `sites`, and the network around them.
 * An upsert throughout, so the demo seed can run it again; capacity days that exist are left as
 * they are (counters and what the site published since), new ones start from the counters given.
 */
export async function importNetwork(
  trx: Tx,
  network: NetworkImport,
): Promise<{ capacityDaysAdded: Map<string, { days: number; from: string; to: string }> }> {
  for (const workType of network.workTypes)
    await trx
      .insertInto('scheduling_work_types')
      .values({
        key: workType.key,
        title: workType.title,
        duration_minutes: workType.durationMinutes,
        site_kinds: [...workType.siteKinds],
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          title: workType.title,
          duration_minutes: workType.durationMinutes,
          site_kinds: [...workType.siteKinds],
        }),
      )
      .execute();
  for (const part of chunks(network.sites, 500))
    await trx
      .insertInto('scheduling_sites')
      .values(
        part.map((site) => ({
          site_id: site.id,
          kind: site.kind,
          opening_hours: jsonb(site.openingHours),
          closures: jsonb(site.closures),
        })),
      )
      .onConflict((oc) =>
        oc.column('site_id').doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          opening_hours: eb.ref('excluded.opening_hours'),
          closures: eb.ref('excluded.closures'),
        })),
      )
      .execute();
  for (const part of chunks(network.routes))
    await trx
      .insertInto('scheduling_routes')
      .values(
        part.map((r) => ({
          from_site_id: r.fromSiteId,
          to_site_id: r.toSiteId,
          leg: r.leg,
          transport_hours: r.transportHours,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['from_site_id', 'to_site_id']).doUpdateSet((eb) => ({
          leg: eb.ref('excluded.leg'),
          transport_hours: eb.ref('excluded.transport_hours'),
        })),
      )
      .execute();
  for (const part of chunks(network.preferredSiteSets))
    await trx
      .insertInto('scheduling_preferred_site_sets')
      .values(
        part.map((s) => ({
          treatment_centre_id: s.treatmentCentreId,
          therapy_code: s.therapyCode,
          rank: s.rank,
          collection_site_ids: s.collectionSiteIds,
          plant_ids: s.plantIds,
          infusion_site_ids: s.infusionSiteIds,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['treatment_centre_id', 'therapy_code', 'rank']).doUpdateSet((eb) => ({
          collection_site_ids: eb.ref('excluded.collection_site_ids'),
          plant_ids: eb.ref('excluded.plant_ids'),
          infusion_site_ids: eb.ref('excluded.infusion_site_ids'),
        })),
      )
      .execute();
  // Per site: how many capacity days this import added (days that existed are left as they are).
  const capacityDaysAdded = new Map<string, { days: number; from: string; to: string }>();
  for (const part of chunks(network.capacity)) {
    const added = await trx
      .insertInto('scheduling_capacity')
      .values(
        part.map((c) => ({
          site_id: c.siteId,
          work_type: c.workType,
          day: c.day,
          capacity: c.capacity,
          published: c.published,
          booked: c.booked,
          held: c.held,
        })),
      )
      // A day that exists is the site's to change now (PUT /api/scheduling/capacity): left alone.
      .onConflict((oc) => oc.columns(['site_id', 'work_type', 'day']).doNothing())
      .returning(['site_id', sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day')])
      .execute();
    for (const row of added) {
      const seen = capacityDaysAdded.get(row.site_id);
      if (!seen) capacityDaysAdded.set(row.site_id, { days: 1, from: row.day, to: row.day });
      else {
        seen.days += 1;
        if (row.day < seen.from) seen.from = row.day;
        if (row.day > seen.to) seen.to = row.day;
      }
    }
  }
  return { capacityDaysAdded };
}
