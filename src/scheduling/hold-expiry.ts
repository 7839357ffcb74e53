import { systemActor } from '../platform/access/actor.ts';
import type { JobHandlers } from '../platform/jobs/job-handler.ts';
import { expireHold, HOLD_EXPIRY_JOB } from './booking-store.ts';

/**
 * The timer of a hold: enqueued at the hold's expiry instant in the transaction that took it, so its
 * capacity is given back when the hold runs out (within one job poll), not when someone next looks.
 * A hold confirmed or cancelled meanwhile is left alone.
 */
export function schedulingJobHandlers(deps: { now?: () => Date } = {}): JobHandlers {
  const now = deps.now ?? (() => new Date());
  return {
    [HOLD_EXPIRY_JOB]: async (job, { trx }) => {
      const bookingId = String(job.payload.bookingId ?? '');
      if (bookingId) await expireHold(trx, systemActor('scheduling-hold-expiry'), bookingId, now());
    },
  };
}
