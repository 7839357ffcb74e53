import { z } from 'zod';
import { PARTNER_TYPES } from '../../partners/partner-tables.ts';
import { actorOf } from '../access/access-hook.ts';
import { CLIENT_SCOPE_NAMES } from '../access/permissions.ts';
import type { App } from '../http/app-type.ts';
import { createClient, listClients, revokeClient, rotateClientSecret } from './api-client-admin.ts';
import type { AuthContext } from './auth-context.ts';

const clientSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  clientId: z.string(),
  partner: z.object({ id: z.string().uuid(), name: z.string(), type: z.enum(PARTNER_TYPES) }),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  secretRotatedAt: z.string().nullable(),
});

const idParams = z.object({ id: z.string().uuid() });
const tags = ['admin: API clients'];
const access = { access: { permission: 'api-clients:manage' } } as const;

export function registerApiClientAdminRoutes(app: App, ctx: AuthContext): void {
  app.get(
    '/api/admin/api-clients',
    {
      config: access,
      schema: {
        summary: 'OAuth clients of partner systems',
        tags,
        response: { 200: z.object({ clients: z.array(clientSchema) }) },
      },
    },
    async (request) => ({ clients: await listClients(ctx, actorOf(request)) }),
  );

  app.post(
    '/api/admin/api-clients',
    {
      config: access,
      schema: {
        summary: 'Register a partner system; its secret is shown once',
        description: `Scopes: ${CLIENT_SCOPE_NAMES.join(', ')} (each only for some partner types).`,
        tags,
        body: z.object({
          name: z.string().trim().min(1).max(200),
          partnerId: z.string().uuid(),
          scopes: z.array(z.string()).min(1).max(20),
        }),
        response: { 201: z.object({ client: clientSchema, clientSecret: z.string() }) },
      },
    },
    async (request, reply) => {
      const created = await createClient(ctx, actorOf(request), request.body);
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.post(
    '/api/admin/api-clients/:id/rotate-secret',
    {
      config: access,
      schema: {
        summary: 'Issue a new secret: the old one and its tokens stop working at once',
        tags,
        params: idParams,
        response: { 200: z.object({ clientSecret: z.string() }) },
      },
    },
    async (request, reply) => {
      const result = await rotateClientSecret(ctx, actorOf(request), request.params.id);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.post(
    '/api/admin/api-clients/:id/revoke',
    {
      config: access,
      schema: {
        summary: 'Revoke a client for good, with the reason',
        tags,
        params: idParams,
        body: z.object({
          reason: z.string().trim().min(3, 'must say why, in at least 3 characters').max(1000),
        }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await revokeClient(ctx, actorOf(request), request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  );
}
