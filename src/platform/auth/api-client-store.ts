import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { PartnerType } from '../../partners/partner-tables.ts';
import type { Actor } from '../access/actor.ts';
import { permissionsOfScopes } from '../access/permissions.ts';
import { visibleApiClients } from '../access/scope.ts';
import type { Schema } from '../db/schema.ts';
import type { AuthTables } from './auth-tables.ts';
import { newSecretToken, sha256Hex } from './secret-tokens.ts';

type Db = Kysely<Schema>;
export type ApiClientRow = Selectable<AuthTables['api_clients']>;
export type ApiClientWithPartner = ApiClientRow & { partner_name: string; partner_type: PartnerType };

/** Access tokens live this long: a leaked one is worthless soon, and revocation takes effect at once anyway. */
export const ACCESS_TOKEN_SECONDS = 15 * 60;

export const newClientId = () => `cw_${randomBytes(12).toString('hex')}`;
export const newClientSecret = () => newSecretToken('cws_');
export const newAccessToken = () => newSecretToken('cwt_');

/** What the ledger keeps about a client: never its secret or the secret's hash. */
export function apiClientRecord(client: ApiClientRow) {
  return {
    name: client.name,
    clientId: client.client_id,
    partnerId: client.partner_id,
    scopes: client.scopes,
    secretRotatedAt: client.secret_rotated_at?.toISOString() ?? null,
    revokedAt: client.revoked_at?.toISOString() ?? null,
  };
}

function withPartner(db: Db, actor: Actor) {
  return visibleApiClients(db, actor)
    .innerJoin('partners', 'partners.id', 'api_clients.partner_id')
    .selectAll('api_clients')
    .select(['partners.name as partner_name', 'partners.type as partner_type']);
}

export async function listApiClients(db: Db, actor: Actor): Promise<ApiClientWithPartner[]> {
  return withPartner(db, actor).orderBy('api_clients.created_at', 'desc').orderBy('api_clients.id').execute();
}

export async function findVisibleApiClient(
  db: Db,
  actor: Actor,
  id: string,
  lock = false,
): Promise<ApiClientWithPartner | undefined> {
  const query = withPartner(db, actor).where('api_clients.id', '=', id);
  return (lock ? query.forUpdate('api_clients') : query).executeTakeFirst();
}

export async function insertApiClient(
  trx: Db,
  client: {
    partnerId: string;
    name: string;
    scopes: string[];
    createdBy: string | null;
    secret: string;
    now: Date;
  },
): Promise<ApiClientRow> {
  return trx
    .insertInto('api_clients')
    .values({
      partner_id: client.partnerId,
      name: client.name,
      client_id: newClientId(),
      secret_hash: sha256Hex(client.secret),
      scopes: client.scopes,
      created_at: client.now,
      created_by: client.createdBy,
      secret_rotated_at: null,
      revoked_at: null,
      revoked_reason: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setClientSecret(trx: Db, id: string, secret: string, now: Date): Promise<ApiClientRow> {
  return trx
    .updateTable('api_clients')
    .set({ secret_hash: sha256Hex(secret), secret_rotated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function markClientRevoked(
  trx: Db,
  id: string,
  reason: string,
  now: Date,
): Promise<ApiClientRow> {
  return trx
    .updateTable('api_clients')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Ends every token a client holds (after its secret is rotated or it is revoked). */
export async function revokeClientTokens(trx: Db, apiClientId: string, now: Date): Promise<void> {
  await trx
    .updateTable('access_tokens')
    .set({ revoked_at: now })
    .where('api_client_id', '=', apiClientId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The active client with this id, for the token endpoint (any partner: the secret is the proof). */
export async function findActiveClientByClientId(
  db: Db,
  clientId: string,
): Promise<ApiClientWithPartner | undefined> {
  return db
    .selectFrom('api_clients')
    .innerJoin('partners', 'partners.id', 'api_clients.partner_id')
    .selectAll('api_clients')
    .select(['partners.name as partner_name', 'partners.type as partner_type'])
    .where('api_clients.client_id', '=', clientId)
    .where('api_clients.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function insertAccessToken(
  db: Db,
  token: { apiClientId: string; scopes: string[]; now: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const value = newAccessToken();
  const expiresAt = new Date(token.now.getTime() + ACCESS_TOKEN_SECONDS * 1000);
  await db
    .insertInto('access_tokens')
    .values({
      token_hash: sha256Hex(value),
      api_client_id: token.apiClientId,
      scopes: token.scopes,
      issued_at: token.now,
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return { token: value, expiresAt };
}

/** The actor a bearer token stands for, or undefined when it is unknown, expired or revoked. */
export async function actorForAccessToken(db: Db, token: string, now: Date): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('access_tokens')
    .innerJoin('api_clients', 'api_clients.id', 'access_tokens.api_client_id')
    .innerJoin('partners', 'partners.id', 'api_clients.partner_id')
    .select([
      'api_clients.id as client_id',
      'api_clients.name as client_name',
      'api_clients.partner_id',
      'partners.type as partner_type',
      'access_tokens.scopes',
    ])
    .where('access_tokens.token_hash', '=', sha256Hex(token))
    .where('access_tokens.revoked_at', 'is', null)
    .where('access_tokens.expires_at', '>', now)
    .where('api_clients.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    kind: 'client',
    id: row.client_id,
    displayName: row.client_name,
    partnerId: row.partner_id,
    partnerType: row.partner_type,
    roles: [],
    permissions: permissionsOfScopes(row.scopes),
    scopes: row.scopes,
  };
}
