/**
 * A realistic, deterministic scheduling network for tests and benchmarks: treatment centres,
 * collection centres and plants in European and US time zones, with opening hours, closures,
 * routes with transport times, three ranked site sets per centre, scarce plant capacity (some of it
 * unpublished) over the horizon, and open cases whose chains were booked one after another by the
 * chain search itself, so the capacity counters and the bookings agree.
 */
import { carTAutologousTemplate } from '../therapy/demo-templates/car-t-autologous.ts';
import { validateTemplate } from '../therapy/template-validation.ts';
import { searchChains } from './chain-search.ts';
import { chainSpecFor } from './chain-spec.ts';
import { indexNetwork, snapshotOf } from './network-index.ts';
import type {
  CapacityDay,
  CapacityView,
  ChainSpec,
  ChainStep,
  Closure,
  Day,
  OpeningHours,
  PreferredSiteSet,
  Route,
  SchedulingSite,
  SchedulingSiteKind,
  WorkType,
  WorkTypeDefinition,
} from './scheduling-model.ts';
import { addDays, closureOn, dayNumber, hoursOn } from './site-calendar.ts';
import { DEFAULT_WORK_TYPES } from './work-types.ts';

export type GeneratorOptions = {
  seed: number;
  treatmentCentres?: number;
  collectionCentres?: number;
  plants?: number;
  setsPerCentre?: number;
  horizonDays?: number;
  openCases?: number;
  startDay: Day;
};

export type GeneratedBooking = {
  caseRef: string;
  treatmentCentreId: string;
  therapyCode: string;
  steps: ChainStep[];
  siteSetRank: number;
  infusionDay: Day;
};

export type GeneratedNetwork = {
  sites: SchedulingSite[];
  workTypes: WorkTypeDefinition[];
  routes: Route[];
  preferredSiteSets: PreferredSiteSet[];
  capacity: CapacityDay[];
  bookings: GeneratedBooking[];
};

export const GENERATED_THERAPY = 'car-t-autologous';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const REGIONS = {
  eu: [
    { country: 'DE', timeZone: 'Europe/Berlin', city: 'Berlin' },
    { country: 'FR', timeZone: 'Europe/Paris', city: 'Paris' },
    { country: 'ES', timeZone: 'Europe/Madrid', city: 'Madrid' },
    { country: 'IT', timeZone: 'Europe/Rome', city: 'Milan' },
    { country: 'NL', timeZone: 'Europe/Amsterdam', city: 'Leiden' },
    { country: 'GB', timeZone: 'Europe/London', city: 'London' },
    { country: 'SE', timeZone: 'Europe/Stockholm', city: 'Stockholm' },
    { country: 'PL', timeZone: 'Europe/Warsaw', city: 'Warsaw' },
  ],
  us: [
    { country: 'US', timeZone: 'America/New_York', city: 'Boston' },
    { country: 'US', timeZone: 'America/Chicago', city: 'Houston' },
    { country: 'US', timeZone: 'America/Denver', city: 'Denver' },
    { country: 'US', timeZone: 'America/Los_Angeles', city: 'Seattle' },
  ],
} as const;
type Region = keyof typeof REGIONS;

function weekdays(days: readonly number[], opens: string, closes: string): OpeningHours[] {
  return days.map((weekday) => ({ weekday: weekday as OpeningHours['weekday'], opens, closes }));
}

export function generateNetwork(options: GeneratorOptions): GeneratedNetwork {
  const random = seededRandom(options.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const sample = <T>(list: readonly T[], count: number): T[] => {
    const copy = [...list];
    const out: T[] = [];
    while (out.length < count && copy.length > 0)
      out.push(copy.splice(Math.floor(random() * copy.length), 1)[0] as T);
    return out;
  };
  const seedHex = (options.seed >>> 0).toString(16).padStart(8, '0');
  let serial = 0;
  const uuid = (group: string) =>
    `${seedHex}-${group}-4000-8000-${(++serial).toString(16).padStart(12, '0')}`;
  const horizon = options.horizonDays ?? 120;
  const start = options.startDay;
  const holiday = (from: number, length: number, reason: string): Closure => ({
    from: addDays(start, from),
    to: addDays(start, from + length - 1),
    reason,
  });

  const sites: SchedulingSite[] = [];
  const regionOf = new Map<string, Region>();
  function addSite(kind: SchedulingSiteKind, region: Region, index: number, prefix: string, nameOf: string) {
    const place = REGIONS[region][index % REGIONS[region].length] as (typeof REGIONS)[Region][number];
    const opening =
      kind === 'manufacturing_site'
        ? weekdays([1, 2, 3, 4, 5, 6], '07:00', '19:00')
        : kind === 'collection_centre'
          ? weekdays([1, 2, 3, 4, 5], '08:00', '17:00')
          : weekdays(random() < 0.3 ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5], '08:30', '18:00');
    const closures: Closure[] = [];
    if (random() < 0.35)
      closures.push(
        holiday(
          int(5, horizon - 10),
          kind === 'manufacturing_site' ? int(2, 5) : 1,
          pick(['public holiday', 'maintenance shutdown', 'staff training']),
        ),
      );
    const site: SchedulingSite = {
      id: uuid(prefix),
      code: `${prefix.toUpperCase()}-${place.country}-${String(index + 1).padStart(3, '0')}`,
      name: `${place.city} ${nameOf} ${index + 1}`,
      partnerId: uuid('9a27'),
      kind,
      country: place.country,
      timeZone: place.timeZone,
      openingHours: opening,
      closures,
    };
    sites.push(site);
    regionOf.set(site.id, region);
    return site;
  }
  const split = (count: number) => [Math.ceil(count / 2), Math.floor(count / 2)] as const;
  const build = (count: number, kind: SchedulingSiteKind, prefix: string, nameOf: string) => {
    const [eu, us] = split(count);
    return [
      ...Array.from({ length: eu }, (_, i) => addSite(kind, 'eu', i, prefix, nameOf)),
      ...Array.from({ length: us }, (_, i) => addSite(kind, 'us', i, prefix, nameOf)),
    ];
  };
  const plants = build(options.plants ?? 12, 'manufacturing_site', 'plnt', 'Cell Therapy Plant');
  const collections = build(options.collectionCentres ?? 20, 'collection_centre', 'coll', 'Apheresis Centre');
  const centres = build(options.treatmentCentres ?? 200, 'treatment_centre', 'ctre', 'University Hospital');
  const sameRegion = (a: SchedulingSite, b: SchedulingSite) => regionOf.get(a.id) === regionOf.get(b.id);

  const routes: Route[] = [];
  for (const c of collections) {
    for (const p of plants)
      if (sameRegion(c, p))
        routes.push({
          fromSiteId: c.id,
          toSiteId: p.id,
          leg: 'collection_to_plant',
          transportHours: int(4, 30),
        });
    // A far plant across the ocean: shippable, but beyond the 48 h a fresh product survives.
    const far = pick(plants.filter((p) => !sameRegion(c, p)));
    if (far)
      routes.push({
        fromSiteId: c.id,
        toSiteId: far.id,
        leg: 'collection_to_plant',
        transportHours: int(46, 60),
      });
  }
  for (const p of plants)
    for (const t of centres)
      if (sameRegion(p, t))
        routes.push({
          fromSiteId: p.id,
          toSiteId: t.id,
          leg: 'plant_to_infusion',
          transportHours: int(12, 48),
        });

  const preferredSiteSets: PreferredSiteSet[] = [];
  for (const t of centres) {
    const localCollections = collections.filter((c) => sameRegion(c, t));
    const localPlants = plants.filter((p) => sameRegion(p, t));
    for (let rank = 1; rank <= (options.setsPerCentre ?? 3); rank++)
      preferredSiteSets.push({
        treatmentCentreId: t.id,
        therapyCode: GENERATED_THERAPY,
        rank,
        collectionSiteIds: sample(localCollections, int(1, 2)).map((s) => s.id),
        plantIds: sample(localPlants, int(1, 2)).map((s) => s.id),
        infusionSiteIds: [t.id],
      });
    preferredSiteSets.push({
      treatmentCentreId: t.id,
      therapyCode: 'gene-therapy-in-vivo-aav',
      rank: 1,
      collectionSiteIds: [],
      plantIds: [],
      infusionSiteIds: [t.id],
    });
  }

  const capacity: CapacityDay[] = [];
  const offers: Array<[SchedulingSite[], WorkType, number, number, number]> = [
    [plants, 'manufacturing_start', 2, 4, 0.1],
    [plants, 'qc_release', 3, 5, 0.05],
    [collections, 'apheresis', 2, 4, 0],
    [centres, 'conditioning', 1, 3, 0],
    [centres, 'infusion', 1, 2, 0],
  ];
  for (const [group, workType, min, max, unpublishedShare] of offers)
    for (const site of group)
      for (let d = 0; d < horizon; d++) {
        const day = addDays(start, d);
        if (!hoursOn(site, day) || closureOn(site, day)) continue;
        capacity.push({
          siteId: site.id,
          workType,
          day,
          capacity: int(min, max),
          published: random() >= unpublishedShare,
          booked: 0,
          held: 0,
        });
      }

  const network = { sites, workTypes: [...DEFAULT_WORK_TYPES], routes, preferredSiteSets };
  const indexed = indexNetwork(snapshotOf(network));
  const view = indexedCapacity(capacity);
  const specs = new Map<string, ChainSpec>();
  const template = validateTemplate(carTAutologousTemplate);
  if (!template.ok) throw new Error('the CAR-T demo template does not validate');
  const now = new Date(dayNumber(start) * 86_400_000 - 86_400_000);
  const bookings: GeneratedBooking[] = [];
  const wanted = options.openCases ?? 2000;
  for (let attempt = 0; bookings.length < wanted && attempt < wanted * 3; attempt++) {
    const centre = pick(centres);
    let spec = specs.get(centre.country);
    if (!spec) {
      const result = chainSpecFor(template.template, { country: centre.country });
      if (!('spec' in result)) throw new Error(result.problems.join('; '));
      spec = result.spec;
      specs.set(centre.country, spec);
    }
    const { chains } = searchChains(
      indexed,
      view,
      spec,
      {
        therapyCode: GENERATED_THERAPY,
        treatmentCentreId: centre.id,
        earliestDate: addDays(start, int(1, Math.max(1, Math.floor(horizon / 2)))),
        count: 1,
      },
      now,
    );
    const chain = chains[0];
    if (!chain) continue;
    for (const step of chain.steps) view.take(step.siteId, step.workType, step.day);
    bookings.push({
      caseRef: `CASE-${String(bookings.length + 1).padStart(5, '0')}`,
      treatmentCentreId: centre.id,
      therapyCode: GENERATED_THERAPY,
      steps: chain.steps,
      siteSetRank: chain.siteSetRank,
      infusionDay: chain.infusionDay,
    });
  }
  return { ...network, capacity, bookings };
}

export type MemoryCapacity = CapacityView & {
  take(siteId: string, workType: WorkType, day: Day): void;
  release(siteId: string, workType: WorkType, day: Day): void;
};

/** An in-memory capacity view over copies of the rows, for tests and benchmarks. */
export function capacityViewOf(capacity: readonly CapacityDay[]): MemoryCapacity {
  return indexedCapacity(capacity.map((c) => ({ ...c })));
}

function indexedCapacity(rows: CapacityDay[]): MemoryCapacity {
  const byKey = new Map<string, CapacityDay>();
  for (const row of rows) byKey.set(`${row.siteId}|${row.workType}|${row.day}`, row);
  const row = (siteId: string, workType: WorkType, day: Day) => {
    const found = byKey.get(`${siteId}|${workType}|${day}`);
    if (!found) throw new Error(`no capacity for ${workType} at ${siteId} on ${day}`);
    return found;
  };
  return {
    get: (siteId, workType, day) => byKey.get(`${siteId}|${workType}|${day}`),
    take(siteId, workType, day) {
      const r = row(siteId, workType, day);
      if (r.capacity - r.booked - r.held <= 0) throw new Error(`${workType} at ${siteId} on ${day} is full`);
      r.booked += 1;
    },
    release(siteId, workType, day) {
      const r = row(siteId, workType, day);
      if (r.booked > 0) r.booked -= 1;
    },
  };
}
