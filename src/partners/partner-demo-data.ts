import type { PartnerInput, SiteInput } from './partner-store.ts';

/**
 * A small but realistic CAR-T network: one sponsor running the programme, three treatment centres
 * in three countries, an independent apheresis centre, two manufacturing plants (EU and US) and a
 * cryogenic courier. Every name is fictional.
 */
export const demoNetwork: Array<PartnerInput & { sites: SiteInput[] }> = [
  {
    code: 'AURORA-BIO',
    name: 'Aurora Cell Therapeutics',
    type: 'sponsor',
    country: 'US',
    sites: [
      {
        code: 'AURORA-HQ',
        name: 'Aurora patient services hub',
        kind: 'office',
        timeZone: 'America/New_York',
        city: 'Boston',
        country: 'US',
      },
    ],
  },
  {
    code: 'ST-ELISABETH',
    name: 'St. Elisabeth University Hospital',
    type: 'treatment_centre',
    country: 'DE',
    sites: [
      {
        code: 'STE-HAEM',
        name: 'Haematology and Cell Therapy Unit',
        kind: 'infusion_site',
        timeZone: 'Europe/Berlin',
        city: 'Munich',
        country: 'DE',
      },
      {
        code: 'STE-APH',
        name: 'Apheresis Unit',
        kind: 'collection_centre',
        timeZone: 'Europe/Berlin',
        city: 'Munich',
        country: 'DE',
      },
    ],
  },
  {
    code: 'LAKESIDE-CC',
    name: 'Lakeside Comprehensive Cancer Center',
    type: 'treatment_centre',
    country: 'US',
    sites: [
      {
        code: 'LCC-BMT',
        name: 'Blood and Marrow Transplant Program',
        kind: 'infusion_site',
        timeZone: 'America/Chicago',
        city: 'Chicago',
        country: 'US',
      },
    ],
  },
  {
    code: 'SAINT-ROCH',
    name: 'Hôpital universitaire Saint-Roch',
    type: 'treatment_centre',
    country: 'FR',
    sites: [
      {
        code: 'SRO-HEMATO',
        name: "Service d'hématologie clinique",
        kind: 'infusion_site',
        timeZone: 'Europe/Paris',
        city: 'Lyon',
        country: 'FR',
      },
    ],
  },
  {
    code: 'NORTHBRIDGE-APH',
    name: 'Northbridge Apheresis Centre',
    type: 'collection_centre',
    country: 'US',
    sites: [
      {
        code: 'NBA-MAIN',
        name: 'Northbridge collection suite',
        kind: 'collection_centre',
        timeZone: 'America/Chicago',
        city: 'Milwaukee',
        country: 'US',
      },
    ],
  },
  {
    code: 'AURORA-LEIDEN',
    name: 'Aurora Manufacturing Leiden',
    type: 'manufacturing_site',
    country: 'NL',
    sites: [
      {
        code: 'ALM-PLANT',
        name: 'Leiden cell processing facility',
        kind: 'manufacturing_site',
        timeZone: 'Europe/Amsterdam',
        city: 'Leiden',
        country: 'NL',
      },
    ],
  },
  {
    code: 'AURORA-NJ',
    name: 'Aurora Manufacturing New Jersey',
    type: 'manufacturing_site',
    country: 'US',
    sites: [
      {
        code: 'ANJ-PLANT',
        name: 'Morris Plains cell processing facility',
        kind: 'manufacturing_site',
        timeZone: 'America/New_York',
        city: 'Morris Plains',
        country: 'US',
      },
    ],
  },
  {
    code: 'COLDPATH',
    name: 'ColdPath Cryogenic Logistics',
    type: 'courier',
    country: 'NL',
    sites: [
      {
        code: 'CPL-AMS',
        name: 'Amsterdam cryo depot',
        kind: 'depot',
        timeZone: 'Europe/Amsterdam',
        city: 'Schiphol',
        country: 'NL',
      },
      {
        code: 'CPL-EWR',
        name: 'Newark cryo depot',
        kind: 'depot',
        timeZone: 'America/New_York',
        city: 'Newark',
        country: 'US',
      },
    ],
  },
];
