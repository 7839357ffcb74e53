import type { Kysely } from 'kysely';
import type { Schema } from '../platform/db/schema.ts';

/** Where a partner's people sign: its first site's zone (by code), or UTC for a partner without sites. */
export async function partnerTimeZone(db: Kysely<Schema>, partnerId: string): Promise<string> {
  const site = await db
    .selectFrom('sites')
    .select('time_zone')
    .where('partner_id', '=', partnerId)
    .orderBy('code')
    .executeTakeFirst();
  return site?.time_zone ?? 'UTC';
}

/** A site's zone by id, or UTC when the site is unknown. */
export async function siteTimeZone(db: Kysely<Schema>, siteId: string): Promise<string> {
  if (!/^[0-9a-f-]{36}$/i.test(siteId)) return 'UTC';
  const site = await db.selectFrom('sites').select('time_zone').where('id', '=', siteId).executeTakeFirst();
  return site?.time_zone ?? 'UTC';
}
