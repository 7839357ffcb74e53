/**
 * Signing lockout as a pure rule, separate from the sign-in lockout: three failed signing attempts
 * (wrong password or one-time code) within fifteen minutes lock signing for that person for fifteen
 * minutes. Sign-in stays open, so a locked signer can still read and work, just not sign. Failures
 * while locked are not counted (nobody can keep a signer locked forever), and a success clears them.
 */
export const SIGNING_LOCKOUT_POLICY = { maxFailures: 3, windowMinutes: 15, lockMinutes: 15 } as const;

export type SigningLockoutPolicy = { maxFailures: number; windowMinutes: number; lockMinutes: number };

export type SigningLockState = {
  failedCount: number;
  windowStartedAt: Date | null;
  lockedUntil: Date | null;
};

export const UNLOCKED: SigningLockState = { failedCount: 0, windowStartedAt: null, lockedUntil: null };

export function signingLocked(state: SigningLockState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

export type SigningFailureOutcome = SigningLockState & { lockedNow: boolean; counted: boolean };

export function afterFailedSigning(
  state: SigningLockState,
  now: Date,
  policy: SigningLockoutPolicy = SIGNING_LOCKOUT_POLICY,
): SigningFailureOutcome {
  if (signingLocked(state, now)) return { ...state, lockedNow: false, counted: false };
  const windowOpen =
    state.windowStartedAt !== null &&
    state.lockedUntil === null &&
    now.getTime() - state.windowStartedAt.getTime() < policy.windowMinutes * 60_000;
  const failedCount = (windowOpen ? state.failedCount : 0) + 1;
  const windowStartedAt = windowOpen ? state.windowStartedAt : now;
  if (failedCount >= policy.maxFailures)
    return {
      failedCount: 0,
      windowStartedAt: null,
      lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000),
      lockedNow: true,
      counted: true,
    };
  return { failedCount, windowStartedAt, lockedUntil: null, lockedNow: false, counted: true };
}
