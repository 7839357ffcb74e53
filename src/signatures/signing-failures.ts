import { type Kysely, sql } from 'kysely';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Schema } from '../platform/db/schema.ts';
import { inTransaction, type Tx } from '../platform/db/transaction.ts';
import { HttpProblem } from '../platform/http/problem.ts';
import { enqueueMessage } from '../platform/outbox/outbox-store.ts';
import type { SignatureRequest, SignatureSettings } from './sign-record.ts';
import { afterFailedSigning } from './signing-lockout-rules.ts';

export type SigningFailureReason = 'wrong_password' | 'wrong_one_time_code';

const REASON_TEXT: Record<SigningFailureReason, string> = {
  wrong_password: 'The password is not correct.',
  wrong_one_time_code: 'The one-time code is not correct (or was already used).',
};

/**
 * The problem type of a refused signature (401): the session is fine, only the signing credentials
 * were not, so a client must not treat it as "signed out".
 */
export const SIGNATURE_REFUSED = 'urn:cellway:problem:signature-refused';

export const signingLockedProblem = (until: Date) =>
  new HttpProblem(
    423,
    `Signing is locked for your account after repeated failed signature attempts until ${until.toISOString()}. You can still sign in and work; QA and administrators have been alerted.`,
    { title: 'Signing locked', extensions: { signingLockedUntil: until.toISOString() } },
  );

/**
 * Records a failed signing attempt in its own small transaction (the refused business change
 * writes nothing) and returns the problem to throw: 401, or 423 when this failure locked signing.
 * The lock is a ledger entry and an in-app alert to QA and administrators.
 */
export async function recordSigningFailure(
  db: Kysely<Schema>,
  request: SignatureRequest,
  reason: SigningFailureReason,
  settings: SignatureSettings,
  now: Date,
): Promise<HttpProblem> {
  const signer = request.signer;
  if (signer.kind !== 'user') return new HttpProblem(403, 'Only people can sign.');
  const outcome = await inTransaction(db, async (trx) => {
    await trx
      .insertInto('signature_signer_states')
      .values({ user_id: signer.id, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
    const state = await trx
      .selectFrom('signature_signer_states')
      .selectAll()
      .where('user_id', '=', signer.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const next = afterFailedSigning(
      {
        failedCount: state.failed_count,
        windowStartedAt: state.window_started_at,
        lockedUntil: state.locked_until,
      },
      now,
      settings.lockout,
    );
    await trx
      .updateTable('signature_signer_states')
      .set({
        failed_count: next.failedCount,
        window_started_at: next.windowStartedAt,
        locked_until: next.lockedUntil,
        updated_at: now,
      })
      .where('user_id', '=', signer.id)
      .execute();
    const attempt = {
      recordType: request.recordType,
      recordId: request.recordId,
      recordHash: request.recordHash,
      meaning: request.meaning,
      failure: reason,
    };
    await appendLedgerEntry(
      trx,
      {
        stream: `user:${signer.id}`,
        actor: signer,
        action: 'signature.failed',
        recordType: 'user',
        recordId: signer.id,
        before: { failedSignatureAttempts: state.locked_until ? 0 : state.failed_count },
        after: {
          ...attempt,
          failedSignatureAttempts: next.lockedNow ? settings.lockout.maxFailures : next.failedCount,
        },
        reason: REASON_TEXT[reason],
      },
      now,
    );
    if (next.lockedNow && next.lockedUntil) {
      await appendLedgerEntry(
        trx,
        {
          stream: `user:${signer.id}`,
          actor: signer,
          action: 'signature.locked',
          recordType: 'user',
          recordId: signer.id,
          before: { signingLockedUntil: null },
          after: { signingLockedUntil: next.lockedUntil.toISOString(), lastAttempt: attempt },
          reason: `${settings.lockout.maxFailures} failed signature attempts within ${settings.lockout.windowMinutes} minutes`,
        },
        now,
      );
      await alertQualityAndAdmins(trx, signer, next.lockedUntil, attempt, now);
    }
    return next;
  });
  if (outcome.lockedNow && outcome.lockedUntil) return signingLockedProblem(outcome.lockedUntil);
  return new HttpProblem(401, `${REASON_TEXT[reason]} Nothing was signed.`, {
    title: 'Signature refused',
    type: SIGNATURE_REFUSED,
    extensions: { failure: reason },
  });
}

/**
 * QA and administrators of the signer's own partner are told; a partner without either (a treatment
 * centre, a courier) escalates to those of the sponsor, who oversee the whole network.
 */
async function alertQualityAndAdmins(
  trx: Tx,
  signer: { id: string; displayName: string; partnerId: string },
  lockedUntil: Date,
  attempt: { recordType: string; recordId: string; meaning: string },
  now: Date,
): Promise<void> {
  const overseers = (partnerFilter: 'own' | 'sponsor') =>
    trx
      .selectFrom('users')
      .innerJoin('partners', 'partners.id', 'users.partner_id')
      .select(['users.id'])
      .where('users.active', '=', true)
      .where(sql<boolean>`users.roles && array['qa', 'admin']::text[]`)
      .where('users.id', '<>', signer.id)
      .$if(partnerFilter === 'own', (q) => q.where('users.partner_id', '=', signer.partnerId))
      .$if(partnerFilter === 'sponsor', (q) => q.where('partners.type', '=', 'sponsor'))
      .orderBy('users.id')
      .execute();
  let recipients = await overseers('own');
  if (recipients.length === 0) recipients = await overseers('sponsor');
  const lockKey = `${signer.id}:${now.toISOString()}`;
  for (const recipient of recipients)
    await enqueueMessage(trx, {
      channel: 'in_app',
      recipient: recipient.id,
      subject: 'Electronic signing locked',
      body: `Signing is locked for ${signer.displayName} until ${lockedUntil.toISOString()} after repeated failed signature attempts (last: "${attempt.meaning}" on ${attempt.recordType} ${attempt.recordId}). Sign-in is not affected. Check that it was them.`,
      payload: { userId: signer.id, signingLockedUntil: lockedUntil.toISOString() },
      idempotencyKey: `signature-lock:${lockKey}:${recipient.id}`,
      relatedRecord: { type: 'user', id: signer.id },
    });
}
