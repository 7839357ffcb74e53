import { z } from 'zod';
import { PARTNER_TYPES } from '../../partners/partner-tables.ts';
import { actorOf } from '../access/access-hook.ts';
import { ROLE_NAMES } from '../access/roles.ts';
import type { App } from '../http/app-type.ts';
import type { AuthContext } from './auth-context.ts';
import { changeUser, createUser, listUsers, resetPassword, unlockUser } from './user-admin.ts';

const role = z.enum(ROLE_NAMES as [string, ...string[]]);
const reason = z.string().trim().min(3, 'must say why, in at least 3 characters').max(1000);

export const adminUserSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  displayName: z.string(),
  partner: z.object({ id: z.string().uuid(), name: z.string(), type: z.enum(PARTNER_TYPES) }),
  roles: z.array(role),
  secondFactorEnabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});

const idParams = z.object({ id: z.string().uuid() });
const tags = ['admin: users'];

export function registerUserAdminRoutes(app: App, ctx: AuthContext): void {
  app.get(
    '/api/admin/users',
    {
      config: { access: { permission: 'users:read' } },
      schema: {
        summary: 'Users of the partners you administer',
        tags,
        querystring: z.object({ partnerId: z.string().uuid().optional() }),
        response: { 200: z.object({ users: z.array(adminUserSchema) }) },
      },
    },
    async (request) => ({ users: await listUsers(ctx, actorOf(request), request.query.partnerId) }),
  );

  app.post(
    '/api/admin/users',
    {
      config: { access: { permission: 'users:manage' } },
      schema: {
        summary: 'Create a user with a temporary password (shown once, to be replaced at the first sign-in)',
        description:
          'A role must be allowed for the partner type. A patient user names their patient record (patientId), a provider user their provider record (providerId).',
        tags,
        body: z.object({
          email: z.email().max(320),
          displayName: z.string().trim().min(1).max(200),
          partnerId: z.string().uuid(),
          roles: z.array(z.string()).min(1).max(14),
          patientId: z.string().uuid().optional(),
          providerId: z.string().uuid().optional(),
        }),
        response: { 201: z.object({ user: adminUserSchema, temporaryPassword: z.string() }) },
      },
    },
    async (request, reply) => {
      const created = await createUser(ctx, actorOf(request), request.body);
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.patch(
    '/api/admin/users/:id',
    {
      config: { access: { permission: 'users:manage' } },
      schema: {
        summary: "Change a user's name, roles or whether the account is active (with the reason)",
        tags,
        params: idParams,
        body: z.object({
          displayName: z.string().trim().min(1).max(200).optional(),
          roles: z.array(z.string()).min(1).max(14).optional(),
          active: z.boolean().optional(),
          reason,
        }),
        response: { 200: z.object({ user: adminUserSchema }) },
      },
    },
    async (request) => ({ user: await changeUser(ctx, actorOf(request), request.params.id, request.body) }),
  );

  app.post(
    '/api/admin/users/:id/reset-password',
    {
      config: { access: { permission: 'users:manage' } },
      schema: {
        summary: 'Set a temporary password: the user must replace it at the next sign-in; their sessions end',
        tags,
        params: idParams,
        body: z.object({ reason }),
        response: { 200: z.object({ temporaryPassword: z.string() }) },
      },
    },
    async (request, reply) => {
      const result = await resetPassword(ctx, actorOf(request), request.params.id, request.body.reason);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.post(
    '/api/admin/users/:id/unlock',
    {
      config: { access: { permission: 'users:manage' } },
      schema: {
        summary: 'Lift a lockout after failed sign-ins',
        tags,
        params: idParams,
        body: z.object({ reason }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await unlockUser(ctx, actorOf(request), request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  );
}
