import { sql } from 'kysely';
import type { JobHandlers } from '../../src/platform/jobs/job-handler.ts';

/**
 * Job kinds for the cross-process tests, loaded by a real server through
 * CELLWAY_TEST_JOB_HANDLERS=<absolute path of this file>. Each writes one row per run into
 * `test_job_effects` (created by the test, no unique constraint), so a duplicated effect shows.
 */
export const testJobHandlers: JobHandlers = {
  /** Writes its effect, announces it is mid-job, then sleeps `sleepMs` (default 3 s) before committing. */
  'test.slow-side-effect': async (job, { trx, logger }) => {
    await sql`insert into test_job_effects (job_id, worker, note) values (${job.id}, ${String(process.pid)}, 'slow')`.execute(
      trx,
    );
    logger.info({ jobId: job.id, attempt: job.attempts }, 'test job is mid-way');
    await new Promise((resolve) => setTimeout(resolve, Number(job.payload.sleepMs ?? 3_000)));
  },

  'test.side-effect': async (job, { trx }) => {
    await sql`insert into test_job_effects (job_id, worker, note) values (${job.id}, ${String(process.pid)}, 'bulk')`.execute(
      trx,
    );
    const pause = Number(job.payload.sleepMs ?? 0);
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
  },
};
