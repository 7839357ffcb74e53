import type { Kysely } from 'kysely';
import type { PartnerType } from '../partners/partner-tables.ts';
import type { Actor } from '../platform/access/actor.ts';
import { permissionsOf } from '../platform/access/permissions.ts';
import type { Role } from '../platform/access/roles.ts';
import type { Schema } from '../platform/db/schema.ts';

export type StaffActor = Exclude<Actor, { kind: 'system' }>;

/** A staff member as an actor, by id or email (for work done on their behalf: seeds, their signatures). */
export async function staffActor(
  db: Kysely<Schema>,
  who: { id: string } | { email: string },
): Promise<StaffActor | undefined> {
  let query = db
    .selectFrom('users')
    .innerJoin('partners', 'partners.id', 'users.partner_id')
    .select(['users.id', 'users.display_name', 'users.partner_id', 'users.roles', 'partners.type']);
  query = 'id' in who ? query.where('users.id', '=', who.id) : query.where('users.email', '=', who.email);
  const user = await query.executeTakeFirst();
  if (!user) return undefined;
  const roles = user.roles as Role[];
  return {
    kind: 'user',
    id: user.id,
    displayName: user.display_name,
    partnerId: user.partner_id,
    partnerType: user.type as PartnerType,
    roles,
    permissions: permissionsOf(roles),
  };
}
