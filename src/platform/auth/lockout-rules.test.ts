import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { afterFailedSignIn, isLocked, LOCKOUT_POLICY, type LockoutState } from './lockout-rules.ts';

const t0 = new Date('2026-03-01T09:00:00.000Z');
const plus = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const fresh: LockoutState = { failedLoginCount: 0, lockedUntil: null };

describe('lockout rule', () => {
  test('four failures in a row count; the fifth locks for 15 minutes', () => {
    let state = fresh;
    for (let i = 1; i <= 4; i++) {
      const outcome = afterFailedSignIn(state, t0);
      assert.equal(outcome.lockedNow, false);
      assert.equal(outcome.failedLoginCount, i);
      state = outcome;
    }
    const fifth = afterFailedSignIn(state, t0);
    assert.equal(fifth.lockedNow, true);
    assert.deepEqual(fifth.lockedUntil, plus(15));
    assert.equal(isLocked(fifth, plus(14.99)), true);
    assert.equal(isLocked(fifth, plus(15)), false);
  });

  test('failures while locked change nothing: nobody can keep an account locked forever', () => {
    const locked: LockoutState = { failedLoginCount: 0, lockedUntil: plus(15) };
    assert.deepEqual(afterFailedSignIn(locked, plus(1)), { ...locked, lockedNow: false });
  });

  test('after a lock runs out the count starts again', () => {
    const expired: LockoutState = { failedLoginCount: 0, lockedUntil: plus(15) };
    const outcome = afterFailedSignIn(expired, plus(20));
    assert.deepEqual(outcome, { failedLoginCount: 1, lockedUntil: null, lockedNow: false });
  });

  test('property: n consecutive failures lock exactly when n reaches the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (n) => {
        let state: LockoutState = fresh;
        let lockedAt = -1;
        for (let i = 1; i <= n; i++) {
          const outcome = afterFailedSignIn(state, t0);
          if (outcome.lockedNow) lockedAt = i;
          state = outcome;
        }
        return n >= LOCKOUT_POLICY.maxConsecutiveFailures
          ? lockedAt === LOCKOUT_POLICY.maxConsecutiveFailures && isLocked(state, t0)
          : lockedAt === -1 && !isLocked(state, t0);
      }),
    );
  });
});
