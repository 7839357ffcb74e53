import type { Generated } from 'kysely';

export const PARTNER_TYPES = [
  'sponsor',
  'treatment_centre',
  'collection_centre',
  'manufacturing_site',
  'courier',
  'laboratory',
  'payer',
  'referring_practice',
] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

export const SITE_KINDS = [
  'treatment_centre',
  'collection_centre',
  'manufacturing_site',
  'infusion_site',
  'depot',
  'laboratory',
  'office',
] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export type PartnerTables = {
  partners: {
    id: Generated<string>;
    code: string;
    name: string;
    type: PartnerType;
    country: string;
    created_at: Generated<Date>;
  };
  sites: {
    id: Generated<string>;
    partner_id: string;
    code: string;
    name: string;
    kind: SiteKind;
    time_zone: string;
    city: string;
    country: string;
    created_at: Generated<Date>;
  };
  seed_runs: { name: string; completed_at: Generated<Date> };
};
