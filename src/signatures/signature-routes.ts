import { z } from 'zod';
import { actorOf } from '../platform/access/access-hook.ts';
import type { AuthSettings } from '../platform/config.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/app-type.ts';
import { HttpProblem, notFound } from '../platform/http/problem.ts';
import {
  configureSignatures,
  DEFAULT_SIGNATURE_SETTINGS,
  signatureSettingsFor,
  signaturesOf,
} from './sign-record.ts';
import { canReadSignaturesOf } from './signature-scopes.ts';

const tags = ['signatures'];

export const signatureSchema = z.object({
  id: z.string(),
  recordType: z.string(),
  recordId: z.string(),
  recordHash: z.string().describe('SHA-256 of the exact record version signed'),
  meaning: z.string(),
  signerUserId: z.string(),
  signerName: z.string(),
  signerRole: z.string(),
  signedAt: z.string().describe('UTC'),
  signedAtLocal: z.string().describe("the site's local time and zone"),
  ledgerEntryId: z.string(),
  manifestation: z.string().describe('printed name — date and time UTC / local — meaning'),
  reason: z.string().nullable(),
});

/** The credentials a signing request carries: the password again, and the one-time code when asked. */
export const signatureCredentialsSchema = z.strictObject({
  password: z.string().min(1, 'is required: signing asks for your password again').max(1024),
  oneTimeCode: z
    .string()
    .regex(/^\s*\d{3}\s?\d{3}\s*$/, 'must be the 6-digit code from your authenticator app')
    .optional(),
});

export function registerSignatureRoutes(
  app: App,
  database: Database,
  auth: AuthSettings,
  now: () => Date,
): void {
  configureSignatures(database, {
    ...DEFAULT_SIGNATURE_SETTINGS,
    secondFactor: auth.signatureSecondFactor ?? DEFAULT_SIGNATURE_SETTINGS.secondFactor,
  });

  app.get(
    '/api/signatures',
    {
      // Everyone on staff reads therapy; which signatures they see is then decided by the record.
      config: { access: { permission: 'therapy:read' } },
      schema: {
        summary: 'The electronic signatures given on one record, oldest first, each with its manifestation',
        tags,
        querystring: z.object({
          recordType: z.string().min(1).max(64),
          recordId: z.string().min(1).max(200),
        }),
        response: { 200: z.object({ signatures: z.array(signatureSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { recordType, recordId } = request.query;
      if (!(await canReadSignaturesOf(database.db, actor, recordType, recordId)))
        throw notFound('The record');
      return { signatures: await signaturesOf(database, recordType, recordId) };
    },
  );

  app.get(
    '/api/signatures/requirements',
    {
      config: { access: { permission: 'self:read' } },
      schema: {
        summary: 'What signing asks of you: whether a one-time code is needed, and whether signing is locked',
        tags,
        response: {
          200: z.object({
            canSign: z.boolean(),
            secondFactorRequired: z.boolean(),
            signingLockedUntil: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (actor.kind !== 'user') throw new HttpProblem(403, 'Only a signed-in person can sign.');
      const row = await database.db
        .selectFrom('users')
        .leftJoin('signature_signer_states as s', 's.user_id', 'users.id')
        .select(['users.totp_enabled_at', 's.locked_until'])
        .where('users.id', '=', actor.id)
        .executeTakeFirst();
      const at = now();
      const lockedUntil = row?.locked_until && row.locked_until > at ? row.locked_until.toISOString() : null;
      const portal = actor.roles.every((r) => r === 'patient' || r === 'provider');
      return {
        canSign: !portal && lockedUntil === null,
        secondFactorRequired:
          signatureSettingsFor(database).secondFactor === 'required' && Boolean(row?.totp_enabled_at),
        signingLockedUntil: lockedUntil,
      };
    },
  );
}
