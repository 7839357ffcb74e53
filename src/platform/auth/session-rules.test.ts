import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { newSessionTimes, sessionStatus, shouldTouch } from './session-rules.ts';

const t0 = new Date('2026-03-01T09:00:00.000Z');
const plusMinutes = (minutes: number, from = t0) => new Date(from.getTime() + minutes * 60_000);
const policy = { idleMinutes: 15, absoluteHours: 12 };

describe('session expiry rule', () => {
  test('a new session is active, idle after 15 minutes unused, over after 12 hours however busy', () => {
    const times = { ...newSessionTimes(t0, policy), endedAt: null };
    assert.equal(sessionStatus(times, plusMinutes(14.9)), 'active');
    assert.equal(sessionStatus(times, plusMinutes(15)), 'idle_expired');
    // Used every 10 minutes: the idle clock slides, the absolute limit does not.
    let session = times;
    for (let minute = 10; minute < 12 * 60; minute += 10) {
      assert.equal(sessionStatus(session, plusMinutes(minute)), 'active', `minute ${minute}`);
      session = { ...session, lastSeenAt: plusMinutes(minute) };
    }
    assert.equal(sessionStatus(session, plusMinutes(12 * 60)), 'absolute_expired');
  });

  test('an ended session stays ended', () => {
    const times = { ...newSessionTimes(t0, policy), endedAt: plusMinutes(1) };
    assert.equal(sessionStatus(times, plusMinutes(2)), 'ended');
  });

  test('the last-seen time is written at most every 15 seconds', () => {
    assert.equal(shouldTouch({ lastSeenAt: t0 }, new Date(t0.getTime() + 14_999)), false);
    assert.equal(shouldTouch({ lastSeenAt: t0 }, new Date(t0.getTime() + 15_000)), true);
  });

  test('property: active exactly when within both the idle and the absolute limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 48 }),
        fc.integer({ min: 0, max: 60 * 60 * 60 }),
        fc.integer({ min: 0, max: 60 * 60 * 60 }),
        (idleMinutes, absoluteHours, lastSeenAfter, nowAfterLastSeen) => {
          const times = { ...newSessionTimes(t0, { idleMinutes, absoluteHours }), endedAt: null };
          const lastSeenAt = new Date(t0.getTime() + lastSeenAfter * 1000);
          const now = new Date(lastSeenAt.getTime() + nowAfterLastSeen * 1000);
          const expected =
            nowAfterLastSeen < idleMinutes * 60 && now.getTime() < t0.getTime() + absoluteHours * 3_600_000;
          return (sessionStatus({ ...times, lastSeenAt }, now) === 'active') === expected;
        },
      ),
    );
  });
});
