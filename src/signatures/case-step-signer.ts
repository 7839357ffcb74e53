import { z } from 'zod';
import { loadCase, type StaffActor } from '../cases/case-store.ts';
import type { Database } from '../platform/db/database.ts';
import { HttpProblem, invalidInput, notFound } from '../platform/http/problem.ts';
import { type SignatureRequest, type VerifiedSigner, verifySignerCredentials } from './sign-record.ts';
import { signatureCredentialsSchema } from './signature-routes.ts';
import { CASE_STEP_RECORD, caseStepRecordId } from './signed-records.ts';
import { partnerTimeZone } from './site-time-zone.ts';

const signCommand = z.object({
  step: z.string().min(1).max(64),
  meaning: z.string().min(1).max(200),
  recordHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the step record hash (64 hex digits)'),
  signature: signatureCredentialsSchema,
});

/**
 * Step 1 of signing a case step, before the command's transaction: the cheap refusals first (the
 * case and step as the caller sees them, the role the next signature needs), then the password and
 * one-time code. The engine re-checks everything under the case lock; recordSignature then binds
 * the signature to the step record hash the engine accepted.
 */
export async function verifyCaseStepSigner(
  database: Database,
  actor: StaffActor,
  caseId: string,
  body: Record<string, unknown>,
  now: Date,
): Promise<VerifiedSigner> {
  const parsed = signCommand.safeParse(body);
  if (!parsed.success)
    throw invalidInput(
      parsed.error.issues.map((issue) => ({
        field: ['body', ...issue.path].join('.'),
        reason: issue.message,
      })),
    );
  const command = parsed.data;
  const loaded = await loadCase(database.db, actor, caseId);
  if (!loaded) throw notFound('The case');
  const waiting = loaded.state.waitingFor[command.step]?.signatures;
  if (waiting && !waiting.nextRoles.some((role) => actor.roles.includes(role)))
    throw new HttpProblem(
      403,
      `the next signature on ${command.step} is by ${waiting.nextRoles.join(' or ')}`,
    );
  const request: SignatureRequest = {
    signer: actor,
    credentials: command.signature,
    meaning: command.meaning,
    recordType: CASE_STEP_RECORD,
    recordId: caseStepRecordId(caseId, command.step),
    recordHash: command.recordHash,
    ...(waiting ? { requiredRoles: waiting.nextRoles } : {}),
    siteTimeZone: actor.kind === 'user' ? await partnerTimeZone(database.db, actor.partnerId) : 'UTC',
    ledgerStream: `case:${caseId}`,
  };
  return verifySignerCredentials(database, request, now);
}
