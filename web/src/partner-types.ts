/** Kinds of organisation that take part in a therapy network. */
export const partnerTypes = [
  'sponsor',
  'treatment_centre',
  'collection_centre',
  'manufacturing_site',
  'courier',
  'laboratory',
  'payer',
  'referring_practice',
] as const;

export type PartnerType = (typeof partnerTypes)[number];

const singular: Record<PartnerType, string> = {
  sponsor: 'Sponsor',
  treatment_centre: 'Treatment centre',
  collection_centre: 'Collection centre',
  manufacturing_site: 'Manufacturing site',
  courier: 'Courier',
  laboratory: 'Laboratory',
  payer: 'Payer',
  referring_practice: 'Referring practice',
};

const plural: Record<PartnerType, string> = {
  sponsor: 'Sponsors',
  treatment_centre: 'Treatment centres',
  collection_centre: 'Collection centres',
  manufacturing_site: 'Manufacturing sites',
  courier: 'Couriers',
  laboratory: 'Laboratories',
  payer: 'Payers',
  referring_practice: 'Referring practices',
};

function isPartnerType(type: string): type is PartnerType {
  return (partnerTypes as readonly string[]).includes(type);
}

function humanise(type: string): string {
  const words = type.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Human label for a partner type, e.g. `treatment_centre` → "Treatment centre". Unknown types are humanised. */
export function partnerTypeLabel(type: string): string {
  return isPartnerType(type) ? singular[type] : humanise(type);
}

/** Plural label for a partner type, e.g. `laboratory` → "Laboratories". */
export function partnerTypePluralLabel(type: string): string {
  return isPartnerType(type) ? plural[type] : humanise(type);
}

/** Sort key that keeps the known types in network order and unknown ones after them. */
export function partnerTypeOrder(type: string): number {
  const index = (partnerTypes as readonly string[]).indexOf(type);
  return index === -1 ? partnerTypes.length : index;
}
