/**
 * Account lockout as a pure rule: after five consecutive failed sign-ins (wrong password or wrong
 * second factor) the account is locked for fifteen minutes. Failures while locked are not counted
 * (an attacker cannot keep a user locked out forever), and a success clears the count.
 */
export const LOCKOUT_POLICY = { maxConsecutiveFailures: 5, lockMinutes: 15 } as const;

export type LockoutState = { failedLoginCount: number; lockedUntil: Date | null };

export function isLocked(state: LockoutState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

export type FailureOutcome = LockoutState & { lockedNow: boolean };

export function afterFailedSignIn(state: LockoutState, now: Date, policy = LOCKOUT_POLICY): FailureOutcome {
  if (isLocked(state, now)) return { ...state, lockedNow: false };
  // A lock that has run out starts a fresh count.
  const failures = (state.lockedUntil ? 0 : state.failedLoginCount) + 1;
  if (failures >= policy.maxConsecutiveFailures)
    return {
      failedLoginCount: 0,
      lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000),
      lockedNow: true,
    };
  return { failedLoginCount: failures, lockedUntil: null, lockedNow: false };
}
