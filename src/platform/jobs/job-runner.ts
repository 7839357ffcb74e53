import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Database } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Logger } from '../logger.ts';
import type { ClaimedJob, ExternalJobHandler, JobHandler, JobHandlers } from './job-handler.ts';
import {
  describeFailure,
  type FailureOutcome,
  isExhaustedOnClaim,
  outcomeOfFailure,
  retryDelayMs,
} from './job-rules.ts';
import {
  claimJobs,
  completeAttempt,
  extendLease,
  type JobRow,
  recordFailedAttempt,
  requeueInterruptedJobs,
  stampCompletion,
} from './job-store.ts';

export type JobRunnerOptions = {
  database: Database;
  logger: Logger;
  handlers: JobHandlers;
  /** Jobs run at once by this process. */
  concurrency: number;
  /** How often to look for due jobs and timers. */
  pollMs: number;
  /** Names this process in `jobs.locked_by`; unique per process. */
  processId?: string;
  /** How long a claimed job stays this process's without a heartbeat; after that another process may take it. */
  leaseMs?: number;
  /** Backoff after the n-th failed attempt (default: about 2^n seconds with jitter, capped at 1 h). */
  retryDelay?: (attempts: number) => number;
  /** How long a job of a kind no handler here knows is left for other processes before it is dead-lettered. */
  unknownKindGraceMs?: number;
};

export type JobRunner = {
  processId: string;
  /** Stops claiming; resolves when the jobs in flight have finished (committed or rolled back). */
  stop(): Promise<void>;
  /** Resolves when no due job is left and none is running here (tests, scripts). */
  drain(): Promise<void>;
};

export const DEFAULT_LEASE_MS = 60_000;
export const DEFAULT_UNKNOWN_KIND_GRACE_MS = 5 * 60_000;

export function newProcessId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

class LeaseLostError extends Error {}

const isExternal = (handler: JobHandler): handler is ExternalJobHandler<unknown> =>
  typeof handler !== 'function';

function toClaimed(row: JobRow): ClaimedJob {
  return {
    id: row.id,
    kind: row.kind,
    payload: row.payload,
    runAt: row.run_at,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    dedupeKey: row.dedupe_key,
  };
}

/**
 * Runs due jobs and timers from the `jobs` table until stopped. Any number of processes may run
 * one against the same PostgreSQL server: claims never overlap, and a job whose process died is
 * taken over once its lease has expired. Due work is found by polling every `pollMs`, and at once
 * whenever a slot frees up after a full claim.
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const { database, handlers } = options;
  const processId = options.processId ?? newProcessId();
  const logger = options.logger.child({ component: 'job-runner', processId });
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const retryDelay = options.retryDelay ?? ((attempts: number) => retryDelayMs(attempts, Math.random()));
  const unknownKindGraceMs = options.unknownKindGraceMs ?? DEFAULT_UNKNOWN_KIND_GRACE_MS;
  const kinds = Object.keys(handlers).sort();
  const concurrency = Math.max(0, Math.floor(options.concurrency));

  if (database.kind === 'pglite') {
    const requeued = await requeueInterruptedJobs(database.db);
    if (requeued > 0) logger.warn({ requeued }, 'jobs interrupted by the previous stop are due again');
  }

  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let wakeRequested = false;
  let endNap: (() => void) | undefined;
  const wake = () => {
    if (endNap) endNap();
    else wakeRequested = true;
  };
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      if (wakeRequested || stopping) {
        wakeRequested = false;
        resolve();
        return;
      }
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        endNap = undefined;
        resolve();
      }
      endNap = finish;
    });

  // drain(): resolved by the first empty claim that started after it was asked, with nothing in
  // flight before or after that claim (so no handler could have enqueued more work meanwhile).
  let drainGeneration = 0;
  const drainWaiters: Array<{ generation: number; resolve: () => void }> = [];
  const settleDrains = (claimGeneration: number) => {
    for (const waiter of [...drainWaiters])
      if (waiter.generation <= claimGeneration) {
        drainWaiters.splice(drainWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
  };

  async function fail(
    job: ClaimedJob,
    handler: JobHandler | undefined,
    outcome: FailureOutcome,
    error: string,
  ) {
    const record = (withHook: boolean) =>
      inTransaction(database, async (trx) => {
        const recorded = await recordFailedAttempt(trx, job, processId, outcome, error);
        if (withHook && recorded && handler && isExternal(handler) && handler.onFailure)
          await handler.onFailure(job, { trx, logger }, { error, dead: recorded === 'dead' });
        return recorded;
      });
    let status: Awaited<ReturnType<typeof record>>;
    try {
      status = await record(true);
    } catch (hookError) {
      // A failing onFailure hook must not leave the job unrecorded (and retried for ever).
      logger.error(
        { jobId: job.id, err: hookError },
        'the failure hook of a job failed; recording the failure alone',
      );
      status = await record(false);
    }
    if (status === 'dead') logger.error({ jobId: job.id, kind: job.kind, error }, 'job dead-lettered');
    else if (status === 'queued')
      logger.warn(
        { jobId: job.id, kind: job.kind, attempt: job.attempts, error },
        'job attempt failed; will retry',
      );
    else
      logger.warn(
        { jobId: job.id, kind: job.kind },
        'job was taken over by another process; outcome not recorded',
      );
  }

  async function run(job: ClaimedJob): Promise<void> {
    const handler = handlers[job.kind];
    if (!handler) {
      const known = kinds.length ? kinds.join(', ') : 'none';
      await fail(
        job,
        undefined,
        { status: 'dead' },
        `no handler for job kind "${job.kind}": no process took it within ${Math.round(unknownKindGraceMs / 1000)} s (this one knows: ${known})`,
      );
      return;
    }
    if (isExhaustedOnClaim(job)) {
      await fail(
        job,
        handler,
        { status: 'dead' },
        `gave up after ${job.maxAttempts} attempts: the last attempt did not finish (the process stopped or lost its lease)`,
      );
      return;
    }
    const attempt = { id: job.id, attempts: job.attempts };
    try {
      let performed: unknown;
      if (isExternal(handler)) {
        const heartbeat = setInterval(
          () => {
            extendLease(database.db, attempt, processId, leaseMs).catch((error) =>
              logger.warn({ jobId: job.id, err: error }, 'could not extend the lease'),
            );
          },
          Math.max(Math.floor(leaseMs / 3), 100),
        );
        try {
          performed = await handler.perform(job, { db: database.db, logger });
        } finally {
          clearInterval(heartbeat);
        }
      }
      await inTransaction(database, async (trx) => {
        if (!(await completeAttempt(trx, attempt, processId))) throw new LeaseLostError();
        if (isExternal(handler)) await handler.record(job, { trx, logger }, performed);
        else await handler(job, { trx, logger });
        await stampCompletion(trx, job.id);
      });
      logger.debug({ jobId: job.id, kind: job.kind, attempt: job.attempts }, 'job done');
    } catch (error) {
      if (error instanceof LeaseLostError) {
        logger.warn(
          { jobId: job.id, kind: job.kind },
          'job was taken over by another process; this attempt did nothing',
        );
        return;
      }
      logger.debug({ jobId: job.id, err: error }, 'job attempt failed');
      await fail(job, handler, outcomeOfFailure(job, retryDelay), describeFailure(error));
    }
  }

  function track(job: ClaimedJob) {
    const running: Promise<void> = run(job)
      .catch((error) => {
        // The database itself failed (e.g. it went away): the lease expires and the job is retried.
        logger.error({ jobId: job.id, err: error }, 'could not record the outcome of a job');
      })
      .finally(() => {
        inFlight.delete(running);
        wake();
      });
    inFlight.add(running);
  }

  async function loop() {
    while (!stopping) {
      const free = concurrency - inFlight.size;
      let filled = false;
      if (free > 0) {
        const generation = drainGeneration;
        const idleBefore = inFlight.size === 0;
        try {
          const rows = await claimJobs(database.db, {
            processId,
            limit: free,
            leaseMs,
            kinds,
            unknownKindGraceMs,
          });
          for (const row of rows) track(toClaimed(row));
          filled = rows.length === free;
          if (rows.length === 0 && idleBefore && inFlight.size === 0) settleDrains(generation);
        } catch (error) {
          if (!stopping) logger.error({ err: error }, 'could not claim jobs; will try again');
        }
      }
      // After a full claim there may be more due work: claim again as soon as a slot frees up.
      if (!filled || concurrency - inFlight.size <= 0) await nap(options.pollMs);
    }
  }

  const looping = concurrency > 0 ? loop() : Promise.resolve();
  logger.info({ concurrency, pollMs: options.pollMs, leaseMs, kinds }, 'job runner started');

  let stopped: Promise<void> | undefined;
  return {
    processId,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        wake();
        await looping;
        if (inFlight.size > 0)
          logger.info({ jobs: inFlight.size }, 'waiting for the jobs in flight to finish');
        await Promise.allSettled([...inFlight]);
        settleDrains(Number.POSITIVE_INFINITY);
        logger.info('job runner stopped');
      })();
      return stopped;
    },
    drain() {
      if (concurrency === 0 || stopping) return Promise.resolve();
      drainGeneration += 1;
      const generation = drainGeneration;
      return new Promise<void>((resolve) => {
        drainWaiters.push({ generation, resolve });
        wake();
      });
    },
  };
}
