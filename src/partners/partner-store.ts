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

/** Insert or refresh a partner by its stable code; returns its id. Safe to repeat. */
export async function upsertPartner(db: Kysely<Schema>, partner: PartnerInput): Promise<string> {
  const row = await db
    .insertInto('partners')
    .values(partner)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({ name: partner.name, type: partner.type, country: partner.country }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function upsertSite(db: Kysely<Schema>, partnerId: string, site: SiteInput): Promise<string> {
  const values = {
    partner_id: partnerId,
    code: site.code,
    name: site.name,
    kind: site.kind,
    time_zone: site.timeZone,
    city: site.city,
    country: site.country,
  };
  const row = await db
    .insertInto('sites')
    .values(values)
    .onConflict((oc) => oc.column('code').doUpdateSet(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type PartnerSummary = {
  id: string;
  name: string;
  type: PartnerType;
  country: string;
  siteCount: number;
};

export async function listPartnerSummaries(db: Kysely<Schema>, type?: PartnerType): Promise<PartnerSummary[]> {
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
