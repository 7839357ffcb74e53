/**
 * When a session ends, as a pure rule: after `idle` without use (sliding: each use restarts the
 * idle clock) or at its absolute expiry, whichever comes first.
 */
export type SessionTimes = {
  lastSeenAt: Date;
  idleTimeoutSeconds: number;
  absoluteExpiresAt: Date;
  endedAt: Date | null;
};

export type SessionStatus = 'active' | 'idle_expired' | 'absolute_expired' | 'ended';

export function sessionStatus(session: SessionTimes, now: Date): SessionStatus {
  if (session.endedAt) return 'ended';
  if (now.getTime() >= session.absoluteExpiresAt.getTime()) return 'absolute_expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= session.idleTimeoutSeconds * 1000)
    return 'idle_expired';
  return 'active';
}

/**
 * Recording every request's time would write a row per request; recording it when it is at least
 * this old keeps the idle clock exact to within a few seconds of a 15-minute timeout.
 */
export const TOUCH_AFTER_SECONDS = 15;

export function shouldTouch(session: Pick<SessionTimes, 'lastSeenAt'>, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= TOUCH_AFTER_SECONDS * 1000;
}

export type SessionPolicy = { idleMinutes: number; absoluteHours: number };

export function newSessionTimes(now: Date, policy: SessionPolicy) {
  return {
    createdAt: now,
    lastSeenAt: now,
    idleTimeoutSeconds: policy.idleMinutes * 60,
    absoluteExpiresAt: new Date(now.getTime() + policy.absoluteHours * 3_600_000),
  };
}
