import type { Kysely } from 'kysely';
import type { Schema } from '../platform/db/schema.ts';
import type { PartnerType, SiteKind } from './partner-tables.ts';

export type PartnerInput = { code: string; name: string; type: PartnerType; country: string };
export type SiteInput = {
  code: string;
  name: string;
  kind: SiteKind;
  timeZone: string;
  city: string;
  country: string;
};

/** The ids of existing partners or sites by their stable codes (the demo seed creates only what is missing). */
export async function partnerIdByCode(db: Kysely<Schema>, code: string): Promise<string | undefined> {
  return (await db.selectFrom('partners').select('id').where('code', '=', code).executeTakeFirst())?.id;
}

export async function siteIdByCode(db: Kysely<Schema>, code: string): Promise<string | undefined> {
  return (await db.selectFrom('sites').select('id').where('code', '=', code).executeTakeFirst())?.id;
}

export type PartnerSummary = {
  id: string;
  name: string;
  type: PartnerType;
  country: string;
  siteCount: number;
};

export async function listPartnerSummaries(
  db: Kysely<Schema>,
  type?: PartnerType,
): Promise<PartnerSummary[]> {
  let query = db.selectFrom('partners as p');
  if (type) query = query.where('p.type', '=', type);
  return query
    .leftJoin('sites as s', 's.partner_id', 'p.id')
    .select(({ fn }) => ['p.id', 'p.name', 'p.type', 'p.country', fn.count<number>('s.id').as('siteCount')])
    .groupBy(['p.id', 'p.name', 'p.type', 'p.country'])
    .orderBy('p.type')
    .orderBy('p.name')
    .execute();
}

export type PartnerWithSites = PartnerInput & {
  id: string;
  sites: Array<SiteInput & { id: string }>;
};

/** Every partner with its sites, for administrators. */
export async function listPartnersWithSites(db: Kysely<Schema>): Promise<PartnerWithSites[]> {
  const partners = await db
    .selectFrom('partners')
    .select(['id', 'code', 'name', 'type', 'country'])
    .orderBy('name')
    .execute();
  const sites = await db
    .selectFrom('sites')
    .select(['id', 'partner_id', 'code', 'name', 'kind', 'time_zone', 'city', 'country'])
    .orderBy('name')
    .execute();
  return partners.map((partner) => ({
    ...partner,
    sites: sites
      .filter((site) => site.partner_id === partner.id)
      .map((site) => ({
        id: site.id,
        code: site.code,
        name: site.name,
        kind: site.kind,
        timeZone: site.time_zone,
        city: site.city,
        country: site.country,
      })),
  }));
}

export async function findPartner(db: Kysely<Schema>, id: string) {
  return db
    .selectFrom('partners')
    .select(['id', 'code', 'name', 'type', 'country'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Inserts a new partner; a taken code is a unique violation (23505) for the caller to report. */
export async function insertPartner(db: Kysely<Schema>, partner: PartnerInput): Promise<string> {
  const row = await db.insertInto('partners').values(partner).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertSite(db: Kysely<Schema>, partnerId: string, site: SiteInput): Promise<string> {
  const row = await db
    .insertInto('sites')
    .values({
      partner_id: partnerId,
      code: site.code,
      name: site.name,
      kind: site.kind,
      time_zone: site.timeZone,
      city: site.city,
      country: site.country,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
