import QRCode from 'qrcode';
import type { Actor } from '../access/actor.ts';
import { systemActor } from '../access/actor.ts';
import { appendLedgerEntry } from '../audit/ledger-writer.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { HttpProblem, invalidInput } from '../http/problem.ts';
import type { AuthContext } from './auth-context.ts';
import { consumeChallenge, createChallenge, findOpenChallenge, moveChallenge } from './challenge-store.ts';
import { afterFailedSignIn, isLocked, LOCKOUT_POLICY } from './lockout-rules.ts';
import { type Me, meOf } from './me.ts';
import { hashPassword, needsRehash, spendDecoyVerification, verifyPassword } from './password-hashing.ts';
import { passwordPolicyProblems } from './password-policy.ts';
import { looksLikeRecoveryCode, newRecoveryCodes, recoveryCodeHash } from './recovery-codes.ts';
import type { SessionPolicy } from './session-rules.ts';
import { createSession, endSession, endUserSessions } from './session-store.ts';
import { nextSignInStage, STAGE_STATUS } from './sign-in-rules.ts';
import { checkTotp, newTotpSecret, totpUri } from './totp.ts';
import {
  claimTotpStep,
  findUserByEmail,
  findUserById,
  lockUser,
  replaceRecoveryCodes,
  spendRecoveryCode,
  type UserWithPartner,
  unusedRecoveryCodeCount,
  updateUser,
  userActor,
} from './user-store.ts';

type Db = AuthContext['db'];

export type ClientInfo = { ip: string | null; userAgent: string | null };
/** `sessionToken`: the new session's cookie value; null when the person was already signed in. */
export type Authenticated = { status: 'authenticated'; user: Me; sessionToken: string | null };
export type ChallengeOwed = {
  status: (typeof STAGE_STATUS)[keyof typeof STAGE_STATUS];
  challengeId: string;
};
export type SignInResult = Authenticated | ChallengeOwed;

export const WRONG_CREDENTIALS = 'email or password is wrong';

const wrongCredentials = () => new HttpProblem(401, WRONG_CREDENTIALS, { title: 'Sign-in failed' });

const lockedProblem = (until: Date) =>
  new HttpProblem(
    423,
    `This account is locked after ${LOCKOUT_POLICY.maxConsecutiveFailures} failed sign-ins until ${until.toISOString()}. Try again after that time, or ask an administrator to unlock it.`,
    { title: 'Account locked', extensions: { lockedUntil: until.toISOString() } },
  );

const challengeGone = () =>
  new HttpProblem(401, 'This sign-in has expired or is not waiting for this step. Sign in again.', {
    title: 'Sign-in expired',
  });

export const sessionPolicyOf = (ctx: AuthContext): SessionPolicy => ({
  idleMinutes: ctx.settings.sessionIdleMinutes,
  absoluteHours: ctx.settings.sessionAbsoluteHours,
});

const userStream = (userId: string) => `user:${userId}`;

/**
 * Counts a failed sign-in (wrong password or wrong second factor) and locks the account at the
 * fifth in a row, each in the ledger. Runs in its own transaction, so the failure is recorded even
 * though the request that caused it fails.
 */
export async function recordFailedSignIn(
  ctx: AuthContext,
  userId: string,
  reason: 'wrong password' | 'wrong second factor',
): Promise<{ lockedUntil: Date | null }> {
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const user = await lockUser(trx, userId);
    if (!user) return { lockedUntil: null };
    if (isLocked({ failedLoginCount: user.failed_login_count, lockedUntil: user.locked_until }, now))
      return { lockedUntil: user.locked_until };
    const outcome = afterFailedSignIn(
      { failedLoginCount: user.failed_login_count, lockedUntil: user.locked_until },
      now,
    );
    const consecutive = outcome.lockedNow ? LOCKOUT_POLICY.maxConsecutiveFailures : outcome.failedLoginCount;
    await updateUser(
      trx,
      userId,
      { failed_login_count: outcome.failedLoginCount, locked_until: outcome.lockedUntil },
      now,
    );
    const actor = systemActor('sign-in');
    await appendLedgerEntry(
      trx,
      {
        stream: userStream(userId),
        actor,
        action: 'user.login_failed',
        recordType: 'user',
        recordId: userId,
        before: { consecutiveFailedSignIns: user.locked_until ? 0 : user.failed_login_count },
        after: { consecutiveFailedSignIns: consecutive },
        reason,
      },
      now,
    );
    if (outcome.lockedNow && outcome.lockedUntil)
      await appendLedgerEntry(
        trx,
        {
          stream: userStream(userId),
          actor,
          action: 'user.locked_out',
          recordType: 'user',
          recordId: userId,
          before: { lockedUntil: null },
          after: { lockedUntil: outcome.lockedUntil.toISOString() },
          reason: `${LOCKOUT_POLICY.maxConsecutiveFailures} consecutive failed sign-ins`,
        },
        now,
      );
    return { lockedUntil: outcome.lockedUntil };
  });
}

async function failAndThrow(
  ctx: AuthContext,
  userId: string,
  reason: 'wrong password' | 'wrong second factor',
  problem: HttpProblem,
): Promise<never> {
  const { lockedUntil } = await recordFailedSignIn(ctx, userId, reason);
  if (lockedUntil && isLocked({ failedLoginCount: 0, lockedUntil }, ctx.now()))
    throw lockedProblem(lockedUntil);
  throw problem;
}

/** Moves a sign-in to its next step: another challenge stage, or a session when nothing is owed. */
async function continueSignIn(
  ctx: AuthContext,
  trx: Db,
  user: UserWithPartner,
  secondFactorPassed: boolean,
  client: ClientInfo,
  challenge?: { id: string; token: string },
): Promise<SignInResult> {
  const now = ctx.now();
  const stage = nextSignInStage({
    mustChangePassword: user.must_change_password,
    secondFactorEnabled: user.totp_enabled_at !== null,
    roles: user.roles,
    secondFactorPassed,
  });
  if (stage === 'done') {
    if (challenge) await consumeChallenge(trx, challenge.id, now);
    // The failure count clears only once every factor was given: a right password followed by
    // wrong codes must still lock the account.
    if (user.failed_login_count !== 0 || user.locked_until !== null)
      await updateUser(trx, user.id, { failed_login_count: 0, locked_until: null }, now);
    const session = await createSession(trx, {
      userId: user.id,
      policy: sessionPolicyOf(ctx),
      now,
      ...client,
    });
    return { status: 'authenticated', user: meOf(user), sessionToken: session.token };
  }
  if (challenge) {
    await moveChallenge(trx, challenge.id, stage);
    return { status: STAGE_STATUS[stage], challengeId: challenge.token };
  }
  return { status: STAGE_STATUS[stage], challengeId: await createChallenge(trx, user.id, stage, now) };
}

export async function signIn(
  ctx: AuthContext,
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<SignInResult> {
  const now = ctx.now();
  const user = await findUserByEmail(ctx.db, input.email);
  if (!user) {
    await spendDecoyVerification(input.password);
    throw wrongCredentials();
  }
  if (user.locked_until && isLocked({ failedLoginCount: 0, lockedUntil: user.locked_until }, now)) {
    await spendDecoyVerification(input.password);
    throw lockedProblem(user.locked_until);
  }
  if (!(await verifyPassword(user.password_hash, input.password)))
    return failAndThrow(ctx, user.id, 'wrong password', wrongCredentials());
  if (!user.active) throw wrongCredentials();
  if (user.demo && !ctx.settings.demoSignIn)
    throw new HttpProblem(
      403,
      'Demo accounts, whose passwords are published, cannot sign in on this server. Set DEMO_SIGN_IN=on only on a server nobody else can reach.',
      { title: 'Demo sign-in disabled' },
    );
  const rehashed = needsRehash(user.password_hash) ? await hashPassword(input.password) : null;
  return inTransaction(ctx.db, async (trx) => {
    const fresh = await lockUser(trx, user.id);
    if (!fresh) throw wrongCredentials();
    if (fresh.locked_until && isLocked({ failedLoginCount: 0, lockedUntil: fresh.locked_until }, now))
      throw lockedProblem(fresh.locked_until);
    if (rehashed) await updateUser(trx, fresh.id, { password_hash: rehashed }, now);
    return continueSignIn(ctx, trx, fresh, false, client);
  });
}

export async function verifySecondFactor(
  ctx: AuthContext,
  input: { challengeId: string; code: string },
  client: ClientInfo,
): Promise<Authenticated | ChallengeOwed> {
  const now = ctx.now();
  const challenge = await findOpenChallenge(ctx.db, input.challengeId, now);
  if (challenge?.stage !== 'second_factor') throw challengeGone();
  const user = await findUserById(ctx.db, challenge.userId);
  if (!user?.active || !user.totp_secret) throw challengeGone();
  if (user.locked_until && isLocked({ failedLoginCount: 0, lockedUntil: user.locked_until }, now))
    throw lockedProblem(user.locked_until);

  const outcome = await inTransaction(ctx.db, async (trx) => {
    const fresh = await lockUser(trx, user.id);
    const open = await findOpenChallenge(trx, input.challengeId, now);
    if (!fresh?.totp_secret || !open || open.stage !== 'second_factor') throw challengeGone();
    const code = input.code.trim();
    let passed = false;
    if (/^\d{6}$/.test(code.replace(/\s+/g, ''))) {
      const check = checkTotp({ secret: fresh.totp_secret, code, now, lastUsedStep: fresh.totp_last_step });
      passed = check.ok && (await claimTotpStep(trx, fresh.id, check.step));
    } else if (
      looksLikeRecoveryCode(code) &&
      (await spendRecoveryCode(trx, fresh.id, recoveryCodeHash(code), now))
    ) {
      passed = true;
      await appendLedgerEntry(
        trx,
        {
          stream: userStream(fresh.id),
          actor: userActor(fresh),
          action: 'user.recovery_code_used',
          recordType: 'user',
          recordId: fresh.id,
          after: { unusedRecoveryCodes: await unusedRecoveryCodeCount(trx, fresh.id) },
          reason: 'signed in with a recovery code instead of the authenticator',
        },
        now,
      );
    }
    if (!passed) return { passed: false as const };
    return {
      passed: true as const,
      result: await continueSignIn(ctx, trx, fresh, true, client, { id: open.id, token: input.challengeId }),
    };
  });
  if (!outcome.passed)
    return failAndThrow(
      ctx,
      user.id,
      'wrong second factor',
      new HttpProblem(401, 'The code is wrong, expired or was already used.', { title: 'Sign-in failed' }),
    );
  return outcome.result;
}

export async function changeRequiredPassword(
  ctx: AuthContext,
  input: { challengeId: string; newPassword: string },
  client: ClientInfo,
): Promise<SignInResult> {
  const now = ctx.now();
  const challenge = await findOpenChallenge(ctx.db, input.challengeId, now);
  if (challenge?.stage !== 'password_change') throw challengeGone();
  const user = await findUserById(ctx.db, challenge.userId);
  if (!user?.active) throw challengeGone();
  const newHash = await acceptableNewPassword(ctx, user, input.newPassword, 'body.newPassword');
  return inTransaction(ctx.db, async (trx) => {
    const open = await findOpenChallenge(trx, input.challengeId, now);
    const fresh = await lockUser(trx, user.id);
    if (open?.stage !== 'password_change' || !fresh) throw challengeGone();
    const changed = await setPassword(trx, ctx, fresh, newHash, {
      actor: userActor(fresh),
      reason: 'temporary password replaced at sign-in',
    });
    // Reaching this stage means a second factor, if the user has one, was already given.
    return continueSignIn(ctx, trx, changed, changed.totp_enabled_at !== null, client, {
      id: open.id,
      token: input.challengeId,
    });
  });
}

async function acceptableNewPassword(
  ctx: AuthContext,
  user: UserWithPartner,
  newPassword: string,
  field: string,
): Promise<string> {
  const problems = passwordPolicyProblems(newPassword, {
    email: user.email,
    displayName: user.display_name,
    commonPasswords: ctx.commonPasswords,
  });
  if (problems.length) throw invalidInput(problems.map((reason) => ({ field, reason })));
  if (await verifyPassword(user.password_hash, newPassword))
    throw invalidInput([{ field, reason: 'must differ from the current password' }]);
  return hashPassword(newPassword);
}

async function setPassword(
  trx: Tx,
  ctx: AuthContext,
  user: UserWithPartner,
  passwordHash: string,
  options: { actor: Actor; reason: string; keepSession?: string },
): Promise<UserWithPartner> {
  const now = ctx.now();
  const updated = await updateUser(
    trx,
    user.id,
    { password_hash: passwordHash, password_changed_at: now, must_change_password: false },
    now,
  );
  await endUserSessions(trx, user.id, 'password_changed', now, options.keepSession);
  await appendLedgerEntry(
    trx,
    {
      stream: userStream(user.id),
      actor: options.actor,
      action: 'user.password_changed',
      recordType: 'user',
      recordId: user.id,
      before: {
        mustChangePassword: user.must_change_password,
        passwordChangedAt: user.password_changed_at.toISOString(),
      },
      after: { mustChangePassword: false, passwordChangedAt: now.toISOString() },
      reason: options.reason,
    },
    now,
  );
  return { ...user, ...updated };
}

/** A signed-in person changes their password: the current one is required, other sessions end. */
export async function changePassword(
  ctx: AuthContext,
  actor: Extract<Actor, { kind: 'user' }>,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await findUserById(ctx.db, actor.id);
  if (!user) throw new HttpProblem(401, 'Your account no longer exists.');
  if (!(await verifyPassword(user.password_hash, input.currentPassword)))
    return failAndThrow(
      ctx,
      user.id,
      'wrong password',
      invalidInput([{ field: 'body.currentPassword', reason: 'is not your current password' }]),
    );
  const newHash = await acceptableNewPassword(ctx, user, input.newPassword, 'body.newPassword');
  await inTransaction(ctx.db, async (trx) => {
    const fresh = await lockUser(trx, user.id);
    if (!fresh) throw new HttpProblem(401, 'Your account no longer exists.');
    await setPassword(trx, ctx, fresh, newHash, {
      actor,
      reason: 'changed by the user',
      ...(actor.sessionId ? { keepSession: actor.sessionId } : {}),
    });
  });
}

/** Whose second factor is being enrolled: the signed-in user, or the one a sign-in challenge names. */
async function enrolmentSubject(
  ctx: AuthContext,
  db: Db,
  challengeId: string | undefined,
  actor: Actor | null,
): Promise<{ user: UserWithPartner; challenge?: { id: string; token: string } }> {
  if (challengeId) {
    const challenge = await findOpenChallenge(db, challengeId, ctx.now());
    if (challenge?.stage !== 'second_factor_enrolment') throw challengeGone();
    const user = await findUserById(db, challenge.userId);
    if (!user?.active) throw challengeGone();
    return { user, challenge: { id: challenge.id, token: challengeId } };
  }
  if (actor?.kind === 'user') {
    const user = await findUserById(db, actor.id);
    if (user?.active) return { user };
  }
  throw new HttpProblem(401, 'Sign in first, or send the challengeId your sign-in returned.');
}

export type EnrolmentOffer = { secret: string; otpauthUri: string; qrCodeDataUrl: string };

/** Offers a new authenticator secret; it counts only once a code from it is confirmed. */
export async function startEnrolment(
  ctx: AuthContext,
  input: { challengeId?: string | undefined },
  actor: Actor | null,
): Promise<EnrolmentOffer> {
  const { user } = await enrolmentSubject(ctx, ctx.db, input.challengeId, actor);
  if (user.totp_enabled_at)
    throw new HttpProblem(409, 'A second factor is already enrolled for this account.', {
      title: 'Already enrolled',
    });
  const secret = newTotpSecret();
  await updateUser(ctx.db, user.id, { totp_pending_secret: secret }, ctx.now());
  const otpauthUri = totpUri(secret, user.email);
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUri, {
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 256,
  });
  return { secret, otpauthUri, qrCodeDataUrl };
}

export async function confirmEnrolment(
  ctx: AuthContext,
  input: { challengeId?: string | undefined; code: string },
  actor: Actor | null,
  client: ClientInfo,
): Promise<{ recoveryCodes: string[]; result: SignInResult }> {
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const { user, challenge } = await enrolmentSubject(ctx, trx, input.challengeId, actor);
    const fresh = await lockUser(trx, user.id);
    if (!fresh) throw challengeGone();
    if (fresh.totp_enabled_at)
      throw new HttpProblem(409, 'A second factor is already enrolled for this account.', {
        title: 'Already enrolled',
      });
    if (!fresh.totp_pending_secret)
      throw new HttpProblem(409, 'Start the enrolment first (POST /api/auth/second-factor/enrol).', {
        title: 'No enrolment in progress',
      });
    const check = checkTotp({ secret: fresh.totp_pending_secret, code: input.code, now, lastUsedStep: null });
    if (!check.ok)
      throw invalidInput([
        {
          field: 'body.code',
          reason: 'does not match the authenticator: check the device clock and try a new code',
        },
      ]);
    const recoveryCodes = newRecoveryCodes();
    const enrolled = await updateUser(
      trx,
      fresh.id,
      {
        totp_secret: fresh.totp_pending_secret,
        totp_enabled_at: now,
        totp_last_step: check.step,
        totp_pending_secret: null,
      },
      now,
    );
    await replaceRecoveryCodes(trx, fresh.id, recoveryCodes.map(recoveryCodeHash), now);
    await appendLedgerEntry(
      trx,
      {
        stream: userStream(fresh.id),
        actor: userActor(fresh),
        action: 'user.second_factor_enrolled',
        recordType: 'user',
        recordId: fresh.id,
        before: { secondFactorEnabled: false },
        after: { secondFactorEnabled: true, method: 'totp', recoveryCodes: recoveryCodes.length },
      },
      now,
    );
    const current = { ...fresh, ...enrolled };
    const result: SignInResult = challenge
      ? await continueSignIn(ctx, trx, current, true, client, challenge)
      : { status: 'authenticated', user: meOf(current), sessionToken: null };
    return { recoveryCodes, result };
  });
}

export async function signOut(ctx: AuthContext, sessionId: string): Promise<void> {
  await endSession(ctx.db, sessionId, 'logout', ctx.now());
}

export async function signOutEverywhere(ctx: AuthContext, userId: string): Promise<void> {
  await endUserSessions(ctx.db, userId, 'logout_everywhere', ctx.now());
}

export async function currentUser(ctx: AuthContext, userId: string): Promise<Me> {
  const user = await findUserById(ctx.db, userId);
  if (!user?.active) throw new HttpProblem(401, 'Your account is no longer active.');
  return meOf(user);
}
