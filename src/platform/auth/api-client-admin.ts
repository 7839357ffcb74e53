import type { PartnerType } from '../../partners/partner-tables.ts';
import type { Actor } from '../access/actor.ts';
import { clientScopeProblems } from '../access/permissions.ts';
import { partnerScopeOf } from '../access/scope.ts';
import { appendLedgerEntry } from '../audit/ledger-writer.ts';
import { inTransaction } from '../db/transaction.ts';
import { HttpProblem, invalidInput, notFound } from '../http/problem.ts';
import {
  type ApiClientWithPartner,
  apiClientRecord,
  findVisibleApiClient,
  insertApiClient,
  listApiClients,
  markClientRevoked,
  newClientSecret,
  revokeClientTokens,
  setClientSecret,
} from './api-client-store.ts';
import type { AuthContext } from './auth-context.ts';

type Admin = Exclude<Actor, { kind: 'system' }>;

/** An API client as administrators see it: never its secret. */
export type AdminApiClient = {
  id: string;
  name: string;
  clientId: string;
  partner: { id: string; name: string; type: PartnerType };
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
  secretRotatedAt: string | null;
};

const clientStream = (id: string) => `api_client:${id}`;

function toAdminApiClient(row: ApiClientWithPartner): AdminApiClient {
  return {
    id: row.id,
    name: row.name,
    clientId: row.client_id,
    partner: { id: row.partner_id, name: row.partner_name, type: row.partner_type },
    scopes: row.scopes,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    secretRotatedAt: row.secret_rotated_at?.toISOString() ?? null,
  };
}

export async function listClients(ctx: AuthContext, actor: Actor): Promise<AdminApiClient[]> {
  return (await listApiClients(ctx.db, actor)).map(toAdminApiClient);
}

/**
 * Registers a partner system. Its secret is 256 random bits, shown once and stored as SHA-256:
 * unlike a password it has no dictionary to try, so a slow hash would add nothing but cost on
 * every token request.
 */
export async function createClient(
  ctx: AuthContext,
  actor: Admin,
  input: { name: string; partnerId: string; scopes: string[] },
): Promise<{ client: AdminApiClient; clientSecret: string }> {
  const scope = partnerScopeOf(actor);
  const partner = await ctx.db
    .selectFrom('partners')
    .select(['id', 'type'])
    .where('id', '=', input.partnerId)
    .executeTakeFirst();
  if (!partner || (scope.kind === 'partner' && scope.partnerId !== partner.id))
    throw invalidInput([{ field: 'body.partnerId', reason: 'is not a partner you administer' }]);
  const problems = clientScopeProblems(input.scopes, partner.type);
  if (problems.length) throw invalidInput(problems.map((reason) => ({ field: 'body.scopes', reason })));
  const clientSecret = newClientSecret();
  const now = ctx.now();
  const id = await inTransaction(ctx.db, async (trx) => {
    const created = await insertApiClient(trx, {
      partnerId: partner.id,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      createdBy: actor.kind === 'user' ? actor.id : null,
      secret: clientSecret,
      now,
    });
    await appendLedgerEntry(
      trx,
      {
        stream: clientStream(created.id),
        actor,
        action: 'api_client.created',
        recordType: 'api_client',
        recordId: created.id,
        after: apiClientRecord(created),
      },
      now,
    );
    return created.id;
  });
  const client = await findVisibleApiClient(ctx.db, actor, id);
  if (!client) throw notFound('The API client');
  return { client: toAdminApiClient(client), clientSecret };
}

/** A new secret; the old one stops working at once, and so does every token issued under it. */
export async function rotateClientSecret(
  ctx: AuthContext,
  actor: Admin,
  id: string,
): Promise<{ clientSecret: string }> {
  const clientSecret = newClientSecret();
  const now = ctx.now();
  await inTransaction(ctx.db, async (trx) => {
    const client = await findVisibleApiClient(trx, actor, id, true);
    if (!client) throw notFound('The API client');
    if (client.revoked_at)
      throw new HttpProblem(409, 'This API client is revoked; create a new one instead.', {
        title: 'Client revoked',
      });
    const updated = await setClientSecret(trx, id, clientSecret, now);
    await revokeClientTokens(trx, id, now);
    await appendLedgerEntry(
      trx,
      {
        stream: clientStream(id),
        actor,
        action: 'api_client.secret_rotated',
        recordType: 'api_client',
        recordId: id,
        before: apiClientRecord(client),
        after: apiClientRecord(updated),
        reason: 'secret rotated; tokens issued under the old secret revoked',
      },
      now,
    );
  });
  return { clientSecret };
}

/** Revokes a client for good: no new tokens, and its current tokens stop working. Repeating it is harmless. */
export async function revokeClient(
  ctx: AuthContext,
  actor: Admin,
  id: string,
  reason: string,
): Promise<void> {
  const now = ctx.now();
  await inTransaction(ctx.db, async (trx) => {
    const client = await findVisibleApiClient(trx, actor, id, true);
    if (!client) throw notFound('The API client');
    if (client.revoked_at) return;
    const updated = await markClientRevoked(trx, id, reason, now);
    await revokeClientTokens(trx, id, now);
    await appendLedgerEntry(
      trx,
      {
        stream: clientStream(id),
        actor,
        action: 'api_client.revoked',
        recordType: 'api_client',
        recordId: id,
        before: apiClientRecord(client),
        after: apiClientRecord(updated),
        reason,
      },
      now,
    );
  });
}
