import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PARTNER_TYPES } from '../../partners/partner-tables.ts';
import { credentialOf, userOf } from '../access/access-hook.ts';
import { ROLE_NAMES } from '../access/roles.ts';
import type { App } from '../http/app-type.ts';
import type { AuthContext } from './auth-context.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';
import {
  type ClientInfo,
  changePassword,
  changeRequiredPassword,
  confirmEnrolment,
  currentUser,
  type SignInResult,
  signIn,
  signOut,
  signOutEverywhere,
  startEnrolment,
  verifySecondFactor,
} from './sign-in.ts';

export const meSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  displayName: z.string(),
  partner: z.object({ id: z.string().uuid(), name: z.string(), type: z.enum(PARTNER_TYPES) }),
  roles: z.array(z.enum(ROLE_NAMES as [string, ...string[]])),
  permissions: z.array(z.string()),
  secondFactorEnabled: z.boolean(),
  patientId: z.string().uuid().nullable(),
  providerId: z.string().uuid().nullable(),
});

const authenticatedSchema = z.object({ status: z.literal('authenticated'), user: meSchema });
const challengeSchema = (status: string) =>
  z.object({
    status: z.literal(status),
    challengeId: z.string().describe('Send it with the next step; valid for 10 minutes'),
  });
const signInResultSchema = z.discriminatedUnion('status', [
  authenticatedSchema,
  challengeSchema('second_factor_required'),
  challengeSchema('second_factor_enrolment_required'),
  challengeSchema('password_change_required'),
]);

const password = z.string().min(1).max(1024);
const challengeId = z.string().min(1).max(200);
const code = z.string().min(1).max(64).describe('6-digit authenticator code, or a recovery code');

const clientOf = (request: FastifyRequest): ClientInfo => ({
  ip: request.ip ?? null,
  userAgent: request.headers['user-agent'] ?? null,
});

/** Sets the cookie when a session was created and returns the body (never the cookie value). */
function respond(reply: FastifyReply, ctx: AuthContext, result: SignInResult) {
  if (result.status !== 'authenticated') return { status: result.status, challengeId: result.challengeId };
  if (result.sessionToken) setSessionCookie(reply, result.sessionToken, ctx.settings);
  return { status: result.status, user: result.user };
}

const signInStep = { public: true, why: 'a step of signing in: the body carries the proof' } as const;

export function registerAuthRoutes(app: App, ctx: AuthContext): void {
  app.post(
    '/api/auth/login',
    {
      config: { access: signInStep },
      schema: {
        summary: 'Sign in with email and password',
        description:
          'Answers with a session cookie when nothing else is owed, or with a challenge: the second factor, its enrolment (required for staff) or a new password. 401 for a wrong email or password (the same for both), 423 while the account is locked.',
        tags: ['auth'],
        body: z.object({ email: z.string().min(1).max(320), password }),
        response: { 200: signInResultSchema },
      },
    },
    async (request, reply) => respond(reply, ctx, await signIn(ctx, request.body, clientOf(request))),
  );

  app.post(
    '/api/auth/second-factor/verify',
    {
      config: { access: signInStep },
      schema: {
        summary: 'Give the second factor of a sign-in: an authenticator code or a recovery code',
        tags: ['auth'],
        body: z.object({ challengeId, code }),
        response: { 200: signInResultSchema },
      },
    },
    async (request, reply) =>
      respond(reply, ctx, await verifySecondFactor(ctx, request.body, clientOf(request))),
  );

  app.post(
    '/api/auth/second-factor/enrol',
    {
      config: {
        access: { public: true, why: 'the challenge of a sign-in, or the session, is the proof' },
        optionalActor: true,
      },
      schema: {
        summary: 'Start enrolling an authenticator app (TOTP)',
        description: 'With the challengeId of a sign-in that requires enrolment, or signed in.',
        tags: ['auth'],
        body: z.object({ challengeId: challengeId.optional() }),
        response: {
          200: z.object({
            secret: z.string().describe('Base32, for typing into an authenticator'),
            otpauthUri: z.string(),
            qrCodeDataUrl: z.string().describe('data:image/png;base64,… of the otpauth URI'),
          }),
        },
      },
    },
    async (request) => startEnrolment(ctx, request.body, request.actor),
  );

  app.post(
    '/api/auth/second-factor/enrol/confirm',
    {
      config: {
        access: { public: true, why: 'the challenge of a sign-in, or the session, is the proof' },
        optionalActor: true,
      },
      schema: {
        summary: 'Confirm the enrolment with a first code; returns ten one-time recovery codes (shown once)',
        tags: ['auth'],
        body: z.object({ challengeId: challengeId.optional(), code }),
        response: {
          200: z.object({
            recoveryCodes: z.array(z.string()),
            status: z.literal('authenticated'),
            user: meSchema,
          }),
        },
      },
    },
    async (request, reply) => {
      const { recoveryCodes, result } = await confirmEnrolment(
        ctx,
        request.body,
        request.actor,
        clientOf(request),
      );
      const body = respond(reply, ctx, result);
      if (body.status !== 'authenticated') throw new Error(`enrolment ended in ${body.status}`);
      return { recoveryCodes, ...body };
    },
  );

  app.post(
    '/api/auth/password/change-required',
    {
      config: { access: signInStep },
      schema: {
        summary: 'Replace a temporary password during sign-in',
        tags: ['auth'],
        body: z.object({ challengeId, newPassword: password }),
        response: { 200: signInResultSchema },
      },
    },
    async (request, reply) =>
      respond(reply, ctx, await changeRequiredPassword(ctx, request.body, clientOf(request))),
  );

  app.post(
    '/api/auth/logout',
    {
      config: {
        access: { public: true, why: 'ending your own session needs no permission' },
        optionalActor: true,
      },
      schema: { summary: 'Sign out: end this session', tags: ['auth'], response: { 204: z.null() } },
    },
    async (request, reply) => {
      const actor = request.actor;
      if (actor?.kind === 'user' && actor.sessionId) await signOut(ctx, actor.sessionId);
      if (credentialOf(request)?.kind === 'session' || actor) clearSessionCookie(reply, ctx.settings);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/logout-everywhere',
    {
      config: { access: { permission: 'self:manage' } },
      schema: { summary: 'Sign out on every device', tags: ['auth'], response: { 204: z.null() } },
    },
    async (request, reply) => {
      await signOutEverywhere(ctx, userOf(request).id);
      clearSessionCookie(reply, ctx.settings);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: { permission: 'self:read' } },
      schema: {
        summary: 'Who is signed in, with their partner, roles and permissions',
        tags: ['auth'],
        response: { 200: meSchema },
      },
    },
    async (request) => currentUser(ctx, userOf(request).id),
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: { permission: 'self:manage' } },
      schema: {
        summary: 'Change your password (requires the current one); your other sessions end',
        tags: ['auth'],
        body: z.object({ currentPassword: password, newPassword: password }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await changePassword(ctx, userOf(request), request.body);
      return reply.status(204).send(null);
    },
  );
}
