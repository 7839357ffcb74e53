import { createHash, randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Actor } from '../platform/access/actor.ts';
import type { Role } from '../platform/access/roles.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import { verifyPassword } from '../platform/auth/password-hashing.ts';
import { checkTotp } from '../platform/auth/totp.ts';
import type { Database } from '../platform/db/database.ts';
import type { Schema } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/transaction.ts';
import { HttpProblem, invalidInput } from '../platform/http/problem.ts';
import { canonicalJson } from '../platform/ledger/canonical-json.ts';
import { isTimeZone, localSigningTime, manifestationOf } from './signature-manifestation.ts';
import type { SignatureTables } from './signature-tables.ts';
import { recordSigningFailure, SIGNATURE_REFUSED, signingLockedProblem } from './signing-failures.ts';
import { SIGNING_LOCKOUT_POLICY, type SigningLockoutPolicy, signingLocked } from './signing-lockout-rules.ts';

/**
 * 21 CFR Part 11 electronic signatures, in two steps so the slow part never holds a lock:
 * `verifySignerCredentials` re-checks the password (argon2id, slow by design) and the one-time code
 * outside any transaction; `recordSignature` then writes the signature and its ledger entry inside
 * the caller's business transaction, bound to the SHA-256 of the exact record version signed.
 */

export type SignatureCredentials = { password: string; oneTimeCode?: string };

export type SignatureRequest = {
  /** From actorOf(request): only a signed-in staff user can sign. */
  signer: Actor;
  credentials: SignatureCredentials;
  /** What the signature means: "Collected by", "Released by QA", "Approved for use"… */
  meaning: string;
  recordType: string;
  recordId: string;
  /** 64 hex: SHA-256 of the exact record version (recordHashOf). */
  recordHash: string;
  /** The signer must hold one of these. */
  requiredRoles?: readonly Role[];
  /** IANA zone of the site where the signing happens, for the local time in the manifestation; UTC when absent. */
  siteTimeZone?: string;
  reason?: string;
  /** The ledger stream of the signature entry; default `signatures:<recordType>:<recordId>`. */
  ledgerStream?: string;
};

export type Signature = {
  id: string;
  recordType: string;
  recordId: string;
  recordHash: string;
  meaning: string;
  signerUserId: string;
  signerName: string;
  signerRole: string;
  /** UTC, ISO 8601. */
  signedAt: string;
  /** e.g. '2026-11-22 19:04 CET (Europe/Berlin)' */
  signedAtLocal: string;
  ledgerEntryId: string;
  /** Printed name — date and time UTC / local — meaning: shown wherever the signature appears. */
  manifestation: string;
  reason: string | null;
};

/** Proof that the credentials were checked for this request; only recordSignature consumes it. */
export type VerifiedSigner = {
  readonly request: SignatureRequest;
  readonly userId: string;
  readonly partnerId: string;
  readonly signerName: string;
  readonly signerRole: string;
  readonly verifiedAt: Date;
};

export type SignatureSettings = {
  /** required: a signer with an enrolled authenticator also gives a one-time code; off: password only. */
  secondFactor: 'required' | 'off';
  lockout: SigningLockoutPolicy;
};

export const DEFAULT_SIGNATURE_SETTINGS: SignatureSettings = {
  secondFactor: 'required',
  lockout: SIGNING_LOCKOUT_POLICY,
};

type Db = Kysely<Schema>;
type AnyDb = Database | Db;
const kysely = (db: AnyDb): Db => ('db' in db ? db.db : db);

// Settings belong to the database a server runs over, so tests can run servers with different
// settings side by side and callers of the API above never pass settings around.
const settingsByDb = new WeakMap<object, SignatureSettings>();

export function configureSignatures(db: AnyDb, settings: SignatureSettings): void {
  settingsByDb.set(kysely(db), settings);
}

export function signatureSettingsFor(db: AnyDb): SignatureSettings {
  return settingsByDb.get(kysely(db)) ?? DEFAULT_SIGNATURE_SETTINGS;
}

export function recordHashOf(record: unknown): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

/** A signature counts only for the exact record version it was given on. */
export function signatureStillValid(
  signature: Pick<Signature, 'recordHash'>,
  currentRecordHash: string,
): boolean {
  return signature.recordHash === currentRecordHash;
}

const HASH = /^[0-9a-f]{64}$/;
const MAX_MEANING = 200;

function checkRequestShape(request: SignatureRequest): void {
  const errors: Array<{ field: string; reason: string }> = [];
  if (!HASH.test(request.recordHash))
    errors.push({ field: 'recordHash', reason: 'must be 64 lower-case hex characters (SHA-256)' });
  if (!request.meaning.trim() || request.meaning.length > MAX_MEANING)
    errors.push({ field: 'meaning', reason: `must be 1–${MAX_MEANING} characters` });
  if (!request.recordType.trim() || request.recordType.length > 64)
    errors.push({ field: 'recordType', reason: 'must be 1–64 characters' });
  if (!request.recordId.trim() || request.recordId.length > 200)
    errors.push({ field: 'recordId', reason: 'must be 1–200 characters' });
  if (request.siteTimeZone !== undefined && !isTimeZone(request.siteTimeZone))
    errors.push({ field: 'siteTimeZone', reason: `${request.siteTimeZone} is not an IANA time zone` });
  if (errors.length > 0) throw invalidInput(errors);
  if (typeof request.credentials?.password !== 'string' || request.credentials.password.length === 0)
    throw invalidInput([
      { field: 'signature.password', reason: 'is required: signing asks for your password again' },
    ]);
}

/**
 * Step 1, outside any transaction. Refuses: portal users and API clients (403), a signer without a
 * required role (403), a signer whose signing is locked (423), wrong password or one-time code
 * (401, recorded as `signature.failed`; the failure that reaches the limit locks signing, 423).
 */
export async function verifySignerCredentials(
  db: AnyDb,
  request: SignatureRequest,
  now: Date,
): Promise<VerifiedSigner> {
  const signer = request.signer;
  if (signer.kind !== 'user')
    throw new HttpProblem(
      403,
      'Only a person signed in with their own account can sign; API clients cannot.',
    );
  if (signer.patientId || signer.providerId || signer.roles.every((r) => r === 'patient' || r === 'provider'))
    throw new HttpProblem(403, 'Portal users cannot give electronic signatures.');
  checkRequestShape(request);
  const required = request.requiredRoles ?? [];
  const signerRole = required.length > 0 ? required.find((role) => signer.roles.includes(role)) : undefined;
  if (required.length > 0 && !signerRole)
    throw new HttpProblem(
      403,
      `"${request.meaning}" must be signed by ${required.join(' or ')}; you hold ${signer.roles.join(', ')}.`,
      { extensions: { requiredRoles: [...required] } },
    );
  const database = kysely(db);
  const settings = signatureSettingsFor(db);
  const user = await database
    .selectFrom('users')
    .leftJoin('signature_signer_states as s', 's.user_id', 'users.id')
    .select([
      'users.id',
      'users.display_name',
      'users.partner_id',
      'users.active',
      'users.password_hash',
      'users.totp_secret',
      'users.totp_enabled_at',
      's.failed_count',
      's.window_started_at',
      's.locked_until',
      's.totp_last_step',
    ])
    .where('users.id', '=', signer.id)
    .executeTakeFirst();
  if (!user?.active) throw new HttpProblem(403, 'This account cannot sign: it is not active.');
  if (
    user.locked_until &&
    signingLocked({ failedCount: 0, windowStartedAt: null, lockedUntil: user.locked_until }, now)
  )
    throw signingLockedProblem(user.locked_until);

  const passwordOk = await verifyPassword(user.password_hash, request.credentials.password);
  if (!passwordOk) throw await recordSigningFailure(database, request, 'wrong_password', settings, now);

  let totpStep: number | null = null;
  const codeRequired =
    settings.secondFactor === 'required' && user.totp_enabled_at !== null && user.totp_secret;
  if (codeRequired) {
    const code = request.credentials.oneTimeCode;
    if (!code)
      throw new HttpProblem(
        401,
        'Enter the one-time code from your authenticator app as well as your password.',
        {
          title: 'One-time code required',
          type: SIGNATURE_REFUSED,
          extensions: { secondFactorRequired: true },
        },
      );
    // A code may serve a series of signings within its own 30-second step (21 CFR 11.200(a)(1)(i):
    // the password is re-entered on each), but an older code than the last one used never works.
    const lastUsed = user.totp_last_step === null ? null : user.totp_last_step - 1;
    const check = checkTotp({ secret: user.totp_secret as string, code, now, lastUsedStep: lastUsed });
    if (!check.ok) throw await recordSigningFailure(database, request, 'wrong_one_time_code', settings, now);
    totpStep = check.step;
  }
  // A write only when something changed: most signings have no failures to clear.
  const failuresToClear = (user.failed_count ?? 0) > 0 || user.window_started_at !== null;
  const newStep = totpStep !== null && (user.totp_last_step === null || totpStep > user.totp_last_step);
  if (failuresToClear || newStep) await clearFailures(database, user.id, totpStep, now);
  const verified: VerifiedSigner = Object.freeze({
    request: Object.freeze({ ...request, credentials: { password: '' } }),
    userId: user.id,
    partnerId: user.partner_id,
    signerName: user.display_name,
    signerRole: signerRole ?? signer.roles.join('+'),
    verifiedAt: now,
  });
  issued.add(verified);
  return verified;
}

// Only what verifySignerCredentials returned can be recorded: a copy edited to name another record
// (or assembled by hand) is not a checked password.
const issued = new WeakSet<VerifiedSigner>();

async function clearFailures(db: Db, userId: string, totpStep: number | null, now: Date): Promise<void> {
  await db
    .insertInto('signature_signer_states')
    .values({
      user_id: userId,
      failed_count: 0,
      window_started_at: null,
      totp_last_step: totpStep,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({
        failed_count: 0,
        window_started_at: null,
        totp_last_step:
          totpStep === null
            ? eb.ref('signature_signer_states.totp_last_step')
            : eb.fn('greatest', [eb.ref('signature_signer_states.totp_last_step'), eb.val(totpStep)]),
        updated_at: now,
      })),
    )
    .execute();
}

/** How long a verification stays usable: it proves a person just typed their password, not an hour ago. */
const VERIFICATION_VALID_MS = 5 * 60_000;

/**
 * Step 2, inside the caller's business transaction: the signature row and its ledger entry exist
 * exactly when the signed change does. 409 if this person already signed this version of the record
 * with this meaning.
 */
export async function recordSignature(trx: Tx, verified: VerifiedSigner, now: Date): Promise<Signature> {
  if (!issued.has(verified))
    throw new Error('recordSignature takes only what verifySignerCredentials returned');
  const request = verified.request;
  if (now.getTime() - verified.verifiedAt.getTime() > VERIFICATION_VALID_MS)
    throw new HttpProblem(401, 'The password check has expired; sign again.', { type: SIGNATURE_REFUSED });
  const id = randomUUID();
  const timeZone = request.siteTimeZone ?? 'UTC';
  const signedAtLocal = localSigningTime(now, timeZone);
  const manifestation = manifestationOf({
    signerName: verified.signerName,
    signedAt: now,
    signedAtLocal,
    meaning: request.meaning,
  });
  const after = {
    signatureId: id,
    recordType: request.recordType,
    recordId: request.recordId,
    recordHash: request.recordHash,
    meaning: request.meaning,
    signer: { userId: verified.userId, name: verified.signerName, role: verified.signerRole },
    signedAt: now.toISOString(),
    signedAtLocal,
    siteTimeZone: timeZone,
    manifestation,
  };
  const entry = await appendLedgerEntry(
    trx,
    {
      stream: request.ledgerStream ?? signatureStream(request.recordType, request.recordId),
      actor: request.signer,
      actingRole: verified.signerRole,
      action: 'signature.applied',
      recordType: request.recordType,
      recordId: request.recordId,
      after,
      reason: request.reason ?? null,
    },
    now,
  );
  const inserted = await trx
    .insertInto('signatures')
    .values({
      id,
      record_type: request.recordType,
      record_id: request.recordId,
      record_hash: request.recordHash,
      meaning: request.meaning,
      signer_user_id: verified.userId,
      signer_name: verified.signerName,
      signer_role: verified.signerRole,
      signed_at: now,
      site_time_zone: timeZone,
      signed_at_local: signedAtLocal,
      manifestation,
      reason: request.reason ?? null,
      ledger_entry_id: entry.id,
    })
    .onConflict((oc) =>
      oc.columns(['record_type', 'record_id', 'record_hash', 'signer_user_id', 'meaning']).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  // Already signed (or a concurrent twin committed first): the unique key decides, never a race, and
  // throwing rolls back the ledger entry above with the rest of the caller's transaction.
  if (!inserted)
    throw new HttpProblem(409, `You have already signed this version of the record as "${request.meaning}".`);
  return signatureFromRow(inserted);
}

export const signatureStream = (recordType: string, recordId: string) =>
  `signatures:${recordType}:${recordId}`;

export function signatureFromRow(row: Selectable<SignatureTables['signatures']>): Signature {
  return {
    id: row.id,
    recordType: row.record_type,
    recordId: row.record_id,
    recordHash: row.record_hash,
    meaning: row.meaning,
    signerUserId: row.signer_user_id,
    signerName: row.signer_name,
    signerRole: row.signer_role,
    signedAt: row.signed_at.toISOString(),
    signedAtLocal: row.signed_at_local,
    ledgerEntryId: row.ledger_entry_id,
    manifestation: row.manifestation,
    reason: row.reason,
  };
}

export async function signaturesOf(db: AnyDb, recordType: string, recordId: string): Promise<Signature[]> {
  // Ledger order breaks ties between signatures given in the same instant.
  const rows = await kysely(db)
    .selectFrom('signatures')
    .innerJoin('ledger_entries', 'ledger_entries.id', 'signatures.ledger_entry_id')
    .selectAll('signatures')
    .where('signatures.record_type', '=', recordType)
    .where('signatures.record_id', '=', recordId)
    .orderBy('signatures.signed_at')
    .orderBy('ledger_entries.position')
    .execute();
  return rows.map(signatureFromRow);
}

/**
 * A signature presented as evidence for a record (e.g. a signature id sent with a hand-off): it
 * must be this record's, for this exact version. A signature carried to another record, or onto
 * content that changed since, is refused (409) — the reason why is in the problem.
 */
export async function requireSignatureFor(
  db: AnyDb,
  signatureId: string,
  record: { recordType: string; recordId: string; recordHash: string },
): Promise<Signature> {
  const row = await kysely(db)
    .selectFrom('signatures')
    .selectAll()
    .where('id', '=', signatureId)
    .executeTakeFirst();
  if (!row) throw new HttpProblem(404, `Signature ${signatureId} does not exist.`);
  const signature = signatureFromRow(row);
  if (signature.recordType !== record.recordType || signature.recordId !== record.recordId)
    throw new HttpProblem(
      409,
      'This signature was given on another record and cannot be carried to this one.',
      {
        title: 'Signature belongs to another record',
      },
    );
  if (!signatureStillValid(signature, record.recordHash))
    throw new HttpProblem(
      409,
      'The record changed after it was signed: the signature no longer applies to it.',
      {
        title: 'Signature no longer valid',
      },
    );
  return signature;
}
