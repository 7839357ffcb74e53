import { systemActor } from '../platform/access/actor.ts';
import type { Database } from '../platform/db/database.ts';
import { importNetworkAudited } from './network-import-audit.ts';
import type {
  CapacityDay,
  OpeningHours,
  PreferredSiteSet,
  Route,
  SchedulingSite,
  SchedulingSiteKind,
  WorkType,
} from './scheduling-model.ts';
import { addDays, hoursOn } from './site-calendar.ts';
import { DEFAULT_WORK_TYPES } from './work-types.ts';

const WEEKDAYS = (opens: string, closes: string, days: OpeningHours['weekday'][]): OpeningHours[] =>
  days.map((weekday) => ({ weekday, opens, closes }));
const MON_FRI = [1, 2, 3, 4, 5] as OpeningHours['weekday'][];

/** The demo sites' scheduling roles: each treatment centre's unit doubles as its infusion site. */
const DEMO_SITES: { code: string; kind: SchedulingSiteKind; hours: OpeningHours[] }[] = [
  { code: 'STE-HAEM', kind: 'treatment_centre', hours: WEEKDAYS('08:00', '17:00', MON_FRI) },
  { code: 'STE-APH', kind: 'collection_centre', hours: WEEKDAYS('07:30', '16:00', MON_FRI) },
  { code: 'LCC-BMT', kind: 'treatment_centre', hours: WEEKDAYS('08:00', '17:00', MON_FRI) },
  { code: 'SRO-HEMATO', kind: 'treatment_centre', hours: WEEKDAYS('08:30', '17:30', MON_FRI) },
  { code: 'NBA-MAIN', kind: 'collection_centre', hours: WEEKDAYS('07:00', '15:00', MON_FRI) },
  { code: 'ALM-PLANT', kind: 'manufacturing_site', hours: WEEKDAYS('06:00', '22:00', [...MON_FRI, 6]) },
  { code: 'ANJ-PLANT', kind: 'manufacturing_site', hours: WEEKDAYS('06:00', '22:00', [...MON_FRI, 6]) },
];

const ROUTES: [from: string, to: string, leg: Route['leg'], hours: number][] = [
  ['STE-APH', 'ALM-PLANT', 'collection_to_plant', 14],
  ['STE-APH', 'ANJ-PLANT', 'collection_to_plant', 30],
  ['SRO-HEMATO', 'ALM-PLANT', 'collection_to_plant', 12],
  ['NBA-MAIN', 'ANJ-PLANT', 'collection_to_plant', 10],
  ['ALM-PLANT', 'STE-HAEM', 'plant_to_infusion', 14],
  ['ALM-PLANT', 'SRO-HEMATO', 'plant_to_infusion', 12],
  ['ANJ-PLANT', 'STE-HAEM', 'plant_to_infusion', 30],
  ['ANJ-PLANT', 'LCC-BMT', 'plant_to_infusion', 10],
];

/** Per treatment centre: [collection, plant, infusion] codes, best set first. */
const SETS: Record<string, [string, string, string][]> = {
  'STE-HAEM': [
    ['STE-APH', 'ALM-PLANT', 'STE-HAEM'],
    ['STE-APH', 'ANJ-PLANT', 'STE-HAEM'],
  ],
  'LCC-BMT': [['NBA-MAIN', 'ANJ-PLANT', 'LCC-BMT']],
  'SRO-HEMATO': [['SRO-HEMATO', 'ALM-PLANT', 'SRO-HEMATO']],
};
const THERAPIES = [
  'car-t-autologous',
  'gene-therapy-ex-vivo-lentiviral',
  'gene-therapy-in-vivo-aav',
  'mrna-personalised-vaccine',
];

/** Units per open day by kind of site; a plant's Saturdays are real but unpublished (request only). */
const DAILY: Record<SchedulingSiteKind, Partial<Record<WorkType, number>>> = {
  treatment_centre: { apheresis: 1, conditioning: 3, infusion: 2 },
  collection_centre: { apheresis: 2 },
  manufacturing_site: { manufacturing_start: 3, qc_release: 4 },
  infusion_site: { conditioning: 3, infusion: 2 },
  depot: {},
};

export const DEMO_CAPACITY_DAYS = 120;

/**
 * The scheduling network of the demo partners: calendars, routes, preferred site sets and 120 days
 * of capacity from today, so the demo CAR-T cases have slot chains to find. Safe to repeat: it is an
 * upsert, and counters of days that exist are kept.
 */
export async function seedDemoScheduling(database: Database, today = new Date()): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('sites')
      .select(['id', 'code', 'name', 'partner_id', 'country', 'time_zone'])
      .where(
        'code',
        'in',
        DEMO_SITES.map((s) => s.code),
      )
      .execute();
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const sites: SchedulingSite[] = [];
    for (const demo of DEMO_SITES) {
      const row = byCode.get(demo.code);
      if (!row) continue;
      sites.push({
        id: row.id,
        code: row.code,
        name: row.name,
        partnerId: row.partner_id,
        kind: demo.kind,
        country: row.country,
        timeZone: row.time_zone,
        openingHours: demo.hours,
        closures: [],
      });
    }
    const id = (code: string) => byCode.get(code)?.id;
    const routes: Route[] = ROUTES.flatMap(([from, to, leg, hours]) => {
      const a = id(from);
      const b = id(to);
      return a && b ? [{ fromSiteId: a, toSiteId: b, leg, transportHours: hours }] : [];
    });
    const preferredSiteSets: PreferredSiteSet[] = [];
    for (const [centre, sets] of Object.entries(SETS))
      for (const therapyCode of THERAPIES)
        sets.forEach(([collection, plant, infusion], index) => {
          const centreId = id(centre);
          const ids = [id(collection), id(plant), id(infusion)];
          if (!centreId || ids.some((x) => !x)) return;
          preferredSiteSets.push({
            treatmentCentreId: centreId,
            therapyCode,
            rank: index + 1,
            collectionSiteIds: [ids[0] as string],
            plantIds: [ids[1] as string],
            infusionSiteIds: [ids[2] as string],
          });
        });
    const start = today.toISOString().slice(0, 10);
    const capacity: CapacityDay[] = [];
    for (const site of sites)
      for (let n = 0; n < DEMO_CAPACITY_DAYS; n++) {
        const d = addDays(start, n);
        if (!hoursOn(site, d)) continue;
        const saturday = new Date(`${d}T12:00:00Z`).getUTCDay() === 6;
        for (const [workType, units] of Object.entries(DAILY[site.kind]))
          capacity.push({
            siteId: site.id,
            workType: workType as WorkType,
            day: d,
            capacity: units as number,
            published: !saturday,
            booked: 0,
            held: 0,
          });
      }
    await importNetworkAudited(
      trx,
      { sites, workTypes: DEFAULT_WORK_TYPES, routes, preferredSiteSets, capacity },
      { actor: systemActor('demo-seed'), reason: 'Demo scheduling network', now: today },
    );
  });
}
