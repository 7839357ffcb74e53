import type { WorkType, WorkTypeDefinition } from './scheduling-model.ts';

/** The work types every network starts with; a store may seed these and adjust durations per deployment. */
export const DEFAULT_WORK_TYPES: readonly WorkTypeDefinition[] = [
  {
    key: 'apheresis',
    title: 'Apheresis',
    durationMinutes: 240,
    siteKinds: ['collection_centre', 'treatment_centre'],
  },
  {
    key: 'courier_pickup',
    title: 'Courier pick-up',
    durationMinutes: 60,
    siteKinds: ['collection_centre', 'manufacturing_site', 'depot'],
  },
  {
    key: 'manufacturing_start',
    title: 'Manufacturing start',
    durationMinutes: 120,
    siteKinds: ['manufacturing_site'],
  },
  { key: 'qc_release', title: 'QC release', durationMinutes: 60, siteKinds: ['manufacturing_site'] },
  {
    key: 'conditioning',
    title: 'Conditioning',
    durationMinutes: 180,
    siteKinds: ['treatment_centre', 'infusion_site'],
  },
  {
    key: 'infusion',
    title: 'Infusion',
    durationMinutes: 120,
    siteKinds: ['treatment_centre', 'infusion_site'],
  },
];

export function workTypeMap(definitions: readonly WorkTypeDefinition[] = DEFAULT_WORK_TYPES) {
  return new Map<WorkType, WorkTypeDefinition>(definitions.map((d) => [d.key, d]));
}
