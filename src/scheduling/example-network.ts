/**
 * A small hand-made network a coordinator would recognise, for example tests: one Berlin treatment
 * centre, one collection centre, a plant nearby and a plant across the Atlantic, every site with
 * ordinary opening hours and the same capacity every open day unless a test changes it.
 */

import { carTAutologousTemplate } from '../therapy/demo-templates/car-t-autologous.ts';
import { validateTemplate } from '../therapy/template-validation.ts';
import { chainSpecFor } from './chain-spec.ts';
import { capacityViewOf } from './network-generator.ts';
import { indexNetwork, snapshotOf } from './network-index.ts';
import type {
  CapacityDay,
  ChainSpec,
  OpeningHours,
  PreferredSiteSet,
  Route,
  SchedulingSite,
  WorkType,
} from './scheduling-model.ts';
import { addDays, closureOn, hoursOn } from './site-calendar.ts';
import { DEFAULT_WORK_TYPES } from './work-types.ts';

export const EXAMPLE_START = '2027-03-01';
export const EXAMPLE_NOW = new Date('2027-03-01T06:00:00Z');

const weekdays = (days: number[], opens: string, closes: string): OpeningHours[] =>
  days.map((weekday) => ({ weekday: weekday as OpeningHours['weekday'], opens, closes }));

function site(
  id: string,
  code: string,
  name: string,
  kind: SchedulingSite['kind'],
  timeZone: string,
  country: string,
  days: number[],
): SchedulingSite {
  return {
    id,
    code,
    name,
    partnerId: `partner-${id}`,
    kind,
    country,
    timeZone,
    openingHours: weekdays(days, kind === 'manufacturing_site' ? '07:00' : '08:00', '17:00'),
    closures: [],
  };
}

export type ExampleOptions = {
  /** Mutate sites (closures) before capacity is generated. */
  adjustSites?: (sites: Map<string, SchedulingSite>) => void;
  adjustCapacity?: (row: CapacityDay) => void;
  sets?: PreferredSiteSet[];
};

export function exampleNetwork(options: ExampleOptions = {}) {
  const weekdaysOnly = [1, 2, 3, 4, 5];
  const sites = new Map<string, SchedulingSite>(
    [
      site('centre', 'CTR-BER', 'Charité Berlin', 'treatment_centre', 'Europe/Berlin', 'DE', weekdaysOnly),
      site(
        'collect',
        'COL-BER',
        'Apheresis Centre Berlin',
        'collection_centre',
        'Europe/Berlin',
        'DE',
        weekdaysOnly,
      ),
      site(
        'near',
        'PLT-LEI',
        'Leipzig Plant',
        'manufacturing_site',
        'Europe/Berlin',
        'DE',
        [1, 2, 3, 4, 5, 6],
      ),
      site(
        'far',
        'PLT-BOS',
        'Boston Plant',
        'manufacturing_site',
        'America/New_York',
        'US',
        [1, 2, 3, 4, 5, 6],
      ),
    ].map((s) => [s.id, s]),
  );
  options.adjustSites?.(sites);
  const routes: Route[] = [
    { fromSiteId: 'collect', toSiteId: 'near', leg: 'collection_to_plant', transportHours: 6 },
    { fromSiteId: 'collect', toSiteId: 'far', leg: 'collection_to_plant', transportHours: 50 },
    { fromSiteId: 'near', toSiteId: 'centre', leg: 'plant_to_infusion', transportHours: 24 },
    { fromSiteId: 'far', toSiteId: 'centre', leg: 'plant_to_infusion', transportHours: 36 },
  ];
  const sets: PreferredSiteSet[] = options.sets ?? [
    {
      treatmentCentreId: 'centre',
      therapyCode: 'car-t-autologous',
      rank: 1,
      collectionSiteIds: ['collect'],
      plantIds: ['far'],
      infusionSiteIds: ['centre'],
    },
    {
      treatmentCentreId: 'centre',
      therapyCode: 'car-t-autologous',
      rank: 2,
      collectionSiteIds: ['collect'],
      plantIds: ['near'],
      infusionSiteIds: ['centre'],
    },
  ];
  const offers: Array<[string, WorkType, number]> = [
    ['collect', 'apheresis', 2],
    ['near', 'manufacturing_start', 1],
    ['near', 'qc_release', 2],
    ['far', 'manufacturing_start', 1],
    ['far', 'qc_release', 2],
    ['centre', 'conditioning', 2],
    ['centre', 'infusion', 2],
  ];
  const capacity: CapacityDay[] = [];
  for (const [siteId, workType, count] of offers)
    for (let d = 0; d < 120; d++) {
      const day = addDays(EXAMPLE_START, d);
      const s = sites.get(siteId) as SchedulingSite;
      if (!hoursOn(s, day) || closureOn(s, day)) continue;
      const row: CapacityDay = {
        siteId,
        workType,
        day,
        capacity: count,
        published: true,
        booked: 0,
        held: 0,
      };
      options.adjustCapacity?.(row);
      capacity.push(row);
    }
  const parts = {
    sites: [...sites.values()],
    workTypes: [...DEFAULT_WORK_TYPES],
    routes,
    preferredSiteSets: sets,
  };
  return {
    network: indexNetwork(snapshotOf(parts)),
    capacity: capacityViewOf(capacity),
    parts,
    rows: capacity,
  };
}

export function carTSpec(country = 'DE'): ChainSpec {
  const parsed = validateTemplate(carTAutologousTemplate);
  if (!parsed.ok) throw new Error('CAR-T template does not validate');
  const result = chainSpecFor(parsed.template, { country });
  if (!('spec' in result)) throw new Error(result.problems.join('; '));
  return result.spec;
}
