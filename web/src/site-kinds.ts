/** Kinds of site a partner runs. */
export const siteKinds = [
  'treatment_centre',
  'collection_centre',
  'manufacturing_site',
  'infusion_site',
  'depot',
  'laboratory',
  'office',
] as const;

const labels: Record<string, string> = {
  treatment_centre: 'Treatment centre',
  collection_centre: 'Collection centre',
  manufacturing_site: 'Manufacturing site',
  infusion_site: 'Infusion site',
  depot: 'Depot',
  laboratory: 'Laboratory',
  office: 'Office',
};

/** Human label of a site kind, e.g. `infusion_site` → "Infusion site". */
export function siteKindLabel(kind: string): string {
  return labels[kind] ?? kind.replace(/_/g, ' ');
}
