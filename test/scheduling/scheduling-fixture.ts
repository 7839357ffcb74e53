import { sql } from 'kysely';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrations.ts';
import { loadGeneratedNetwork } from '../../src/scheduling/generated-network-loader.ts';
import type { CapacityDay, SchedulingSite, WorkType } from '../../src/scheduling/scheduling-model.ts';
import { addDays } from '../../src/scheduling/site-calendar.ts';
import { DEFAULT_WORK_TYPES } from '../../src/scheduling/work-types.ts';
import type { DatabaseTarget } from '../support/test-databases.ts';

const ALL_WEEK = ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({
  weekday,
  opens: '08:00',
  closes: '17:00',
}));

const site = (n: number, kind: SchedulingSite['kind']): SchedulingSite => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  code: `FX-${kind.toUpperCase().replaceAll('_', '-')}-${n}`,
  name: `Fixture ${kind} ${n}`,
  partnerId: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
  kind,
  country: 'DE',
  timeZone: 'Europe/Berlin',
  openingHours: ALL_WEEK,
  closures: [],
});

/** A centre, a collection centre and a plant, open every day, with small capacities over a few days. */
export const FIXTURE = {
  centre: site(1, 'treatment_centre'),
  collection: site(2, 'collection_centre'),
  plant: site(3, 'manufacturing_site'),
  firstDay: '2031-03-03',
};

export type FixtureUnit = { stepKey: string; siteId: string; workType: WorkType; day: string };

/** A two-unit chain: apheresis at the collection centre and manufacturing at the plant, `offset` days in. */
export function fixtureChain(offset: number): FixtureUnit[] {
  const day = addDays(FIXTURE.firstDay, offset);
  return [
    { stepKey: 'apheresis', siteId: FIXTURE.collection.id, workType: 'apheresis', day },
    { stepKey: 'manufacturing', siteId: FIXTURE.plant.id, workType: 'manufacturing_start', day },
  ];
}

export async function fixtureDatabase(
  target: DatabaseTarget,
  options: {
    days: number;
    capacity: (unit: { workType: WorkType; dayIndex: number }) => number;
    unpublished?: number[];
  },
): Promise<{ database: Database; close(): Promise<void> }> {
  const fresh = await target.create();
  const database = await fresh.open();
  await migrate(database);
  const capacity: CapacityDay[] = [];
  for (let i = 0; i < options.days; i++)
    for (const [s, workType] of [
      [FIXTURE.collection, 'apheresis'],
      [FIXTURE.plant, 'manufacturing_start'],
    ] as const)
      capacity.push({
        siteId: s.id,
        workType,
        day: addDays(FIXTURE.firstDay, i),
        capacity: options.capacity({ workType, dayIndex: i }),
        published: !(s === FIXTURE.plant && (options.unpublished ?? []).includes(i)),
        booked: 0,
        held: 0,
      });
  await loadGeneratedNetwork(database, {
    sites: [FIXTURE.centre, FIXTURE.collection, FIXTURE.plant],
    workTypes: [...DEFAULT_WORK_TYPES],
    routes: [],
    preferredSiteSets: [],
    capacity,
    bookings: [],
  });
  return {
    database,
    async close() {
      await database.close();
      await fresh.drop();
    },
  };
}

/** Counters against the live units: rows where they disagree, and rows above capacity. */
export async function counterMismatches(
  database: Database,
): Promise<{ mismatched: number; overbooked: number }> {
  const { rows } = await sql<{ mismatched: number; overbooked: number }>`
    with live as (
      select site_id, work_type, day,
             count(*) filter (where state = 'held')::int as held,
             count(*) filter (where state = 'booked')::int as booked
      from scheduling_booking_units group by site_id, work_type, day)
    select
      (select count(*)::int from scheduling_capacity c left join live l using (site_id, work_type, day)
        where c.held <> coalesce(l.held, 0) or c.booked <> coalesce(l.booked, 0)) as mismatched,
      (select count(*)::int from scheduling_capacity where booked + held > capacity) as overbooked`.execute(
    database.db,
  );
  return rows[0] as { mismatched: number; overbooked: number };
}
