import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { effectsOf, type MigratedDatabase, migratedDatabase } from '../../../test/jobs/migrated-database.ts';
import { waitUntil } from '../../../test/jobs/wait-until.ts';
import { describeEachDatabase } from '../../../test/support/test-databases.ts';
import type { Database } from '../db/database.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { createLogger } from '../logger.ts';
import { externalJobHandler, type JobHandlers } from './job-handler.ts';
import { type JobRunner, type JobRunnerOptions, startJobRunner } from './job-runner.ts';
import { enqueueJob, findJob, type NewJob, retryDeadJob } from './job-store.ts';

const logger = createLogger('silent');
const admin = {
  kind: 'user' as const,
  id: 'admin-1',
  displayName: 'Ada Admin',
  partnerId: 'sponsor-1',
  partnerType: 'sponsor' as const,
  roles: ['admin' as const],
  permissions: new Set(['jobs:manage' as const]),
};

const effect = (trx: Tx, jobId: string, note: string) =>
  sql`insert into test_job_effects (job_id, note) values (${jobId}, ${note})`.execute(trx);

describeEachDatabase('job runner', (target) => {
  let handle: MigratedDatabase;
  let database: Database;
  const runners: JobRunner[] = [];
  before(async () => {
    handle = await migratedDatabase(target);
    database = handle.database;
  });
  after(async () => {
    for (const runner of runners) await runner.stop();
    await handle.close();
  });

  const enqueue = (job: NewJob) => inTransaction(database, (trx) => enqueueJob(trx, job));
  const run = async (handlers: JobHandlers, options: Partial<JobRunnerOptions> = {}) => {
    const runner = await startJobRunner({
      database,
      logger,
      handlers,
      concurrency: 2,
      pollMs: 20,
      retryDelay: () => 30,
      ...options,
    });
    runners.push(runner);
    return runner;
  };
  const ledgerOf = async (jobId: string) =>
    (
      await sql<{ action: string; actor_id: string; reason: string | null; after: string | null }>`
        select action, actor_id, reason, after from ledger_entries where stream = ${`job:${jobId}`} order by seq`.execute(
        database.db,
      )
    ).rows;

  test('a failing job is retried with backoff, dead-lettered after its last attempt, and re-run after an admin retry', async () => {
    let healthy = false;
    const calls: number[] = [];
    const runner = await run({
      'runner.flaky': async (job, { trx }) => {
        calls.push(job.attempts);
        await effect(trx, job.id, `attempt ${job.attempts}`);
        if (!healthy) throw new Error(`the lab system did not answer (attempt ${job.attempts})`);
      },
    });
    const { id } = await enqueue({ kind: 'runner.flaky', maxAttempts: 3 });
    const dead = await waitUntil('the job to be dead-lettered', async () => {
      const job = await findJob(database.db, id);
      return job?.status === 'dead' ? job : undefined;
    });
    assert.deepEqual(calls, [1, 2, 3]);
    assert.equal(dead.attempts, 3);
    assert.equal(dead.last_error, 'the lab system did not answer (attempt 3)');
    assert.equal(await effectsOf(database, id), 0, 'a failed attempt leaves no effect behind');
    const [deadLettered] = await ledgerOf(id);
    assert.equal(deadLettered?.action, 'job.dead_lettered');
    assert.equal(deadLettered?.actor_id, 'job-runner');

    healthy = true;
    await inTransaction(database, (trx) => retryDeadJob(trx, id, admin, 'the lab system is back'));
    await runner.drain();
    const done = await findJob(database.db, id);
    assert.equal(done?.status, 'done');
    assert.ok(done?.done_at);
    assert.equal(await effectsOf(database, id), 1, 'the successful attempt took effect once');
    const entries = await ledgerOf(id);
    assert.deepEqual(
      entries.map((e) => e.action),
      ['job.dead_lettered', 'job.retried'],
    );
    assert.equal(entries[1]?.actor_id, 'admin-1');
    assert.equal(entries[1]?.reason, 'the lab system is back');
    await runner.stop();
  });

  test('the default backoff moves a failed job about 2^attempts seconds into the future', async () => {
    const runner = await run(
      {
        'runner.fails-once': async () => {
          throw new Error('not yet');
        },
      },
      { retryDelay: undefined },
    );
    const { id } = await enqueue({ kind: 'runner.fails-once' });
    const requeued = await waitUntil('the failed attempt to be recorded', async () => {
      const job = await findJob(database.db, id);
      return job?.status === 'queued' && job.attempts === 1 ? job : undefined;
    });
    const { rows } = await sql<{ delay_ms: number }>`
      select (extract(epoch from run_at - updated_at) * 1000)::int as delay_ms from jobs where id = ${id}`.execute(
      database.db,
    );
    const delay = rows[0]?.delay_ms ?? 0;
    assert.ok(
      delay >= 1_000 && delay <= 2_000,
      `first retry after 1–2 s (2^1 s with jitter), got ${delay} ms`,
    );
    assert.equal(requeued.last_error, 'not yet');
    await runner.stop();
  });

  test('a job of a kind no process knows is dead-lettered with a clear error', async () => {
    const runner = await run({ 'runner.known': async () => {} }, { unknownKindGraceMs: 0 });
    const { id } = await enqueue({ kind: 'runner.nobody-knows-me' });
    const dead = await waitUntil('the unknown job to be dead-lettered', async () => {
      const job = await findJob(database.db, id);
      return job?.status === 'dead' ? job : undefined;
    });
    assert.match(dead.last_error ?? '', /no handler for job kind "runner\.nobody-knows-me"/);
    assert.match(dead.last_error ?? '', /knows: runner\.known/);
    assert.equal((await ledgerOf(id))[0]?.action, 'job.dead_lettered');
    await runner.stop();
  });

  test('a timer that fell due while no process ran runs at start; a future timer does not run early', async () => {
    const ran = new Map<string, Date>();
    const handlers: JobHandlers = {
      'runner.timer': async (job) => {
        ran.set(job.id, new Date());
      },
    };
    const missed = await enqueue({ kind: 'runner.timer', runAt: new Date(Date.now() - 3_600_000) });
    const dueAt = new Date(Date.now() + 1_500);
    const upcoming = await enqueue({ kind: 'runner.timer', runAt: dueAt });

    const runner = await run(handlers);
    await runner.drain();
    assert.ok(ran.has(missed.id), 'the overdue timer ran as soon as the runner started');
    assert.equal(ran.has(upcoming.id), false, 'the future timer has not run');
    assert.equal((await findJob(database.db, upcoming.id))?.status, 'queued');

    await waitUntil('the upcoming timer to run', async () => ran.get(upcoming.id));
    assert.ok((ran.get(upcoming.id)?.getTime() ?? 0) >= dueAt.getTime() - 5, 'not before its time');
    await runner.stop();
  });

  test('work outside the database runs before the transaction; its outcome is recorded with the job', async () => {
    const order: string[] = [];
    const runner = await run({
      'runner.external': externalJobHandler<{ receipt: string }>({
        async perform(job) {
          order.push('perform');
          return { receipt: `r-${job.attempts}` };
        },
        async record(job, { trx }, result) {
          order.push('record');
          await effect(trx, job.id, result.receipt);
        },
      }),
    });
    const { id } = await enqueue({ kind: 'runner.external' });
    await runner.drain();
    assert.deepEqual(order, ['perform', 'record']);
    assert.equal((await findJob(database.db, id))?.status, 'done');
    const { rows } = await sql<{
      note: string;
    }>`select note from test_job_effects where job_id = ${id}`.execute(database.db);
    assert.deepEqual(
      rows.map((r) => r.note),
      ['r-1'],
    );
    await runner.stop();
  });

  test('stop waits for the job in flight to finish before resolving', async () => {
    let release!: () => void;
    const started = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runner = await run({
      'runner.slow': async (job, { trx }) => {
        release();
        await new Promise((resolve) => setTimeout(resolve, 300));
        await effect(trx, job.id, 'slow');
      },
    });
    const { id } = await enqueue({ kind: 'runner.slow' });
    await started;
    await runner.stop();
    assert.equal((await findJob(database.db, id))?.status, 'done');
    assert.equal(await effectsOf(database, id), 1);
  });

  test('many jobs on several runners in one process: each runs exactly once', async () => {
    const handlers: JobHandlers = {
      'runner.bulk': async (job, { trx }) => {
        await effect(trx, job.id, 'bulk');
      },
    };
    const ids = await inTransaction(database, async (trx) => {
      const created: string[] = [];
      for (let i = 0; i < 60; i++)
        created.push((await enqueueJob(trx, { kind: 'runner.bulk', payload: { i } })).id);
      return created;
    });
    const a = await run(handlers, { concurrency: 4, processId: 'runner-a' });
    const b = await run(handlers, { concurrency: 4, processId: 'runner-b' });
    await waitUntil('every bulk job to be done', async () => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from jobs where kind = 'runner.bulk' and status = 'done'`.execute(
        database.db,
      );
      return rows[0]?.n === ids.length;
    });
    await Promise.all([a.stop(), b.stop()]);
    const { rows } = await sql<{ n: number; distinct_jobs: number }>`
      select count(*)::int as n, count(distinct job_id)::int as distinct_jobs from test_job_effects where note = 'bulk'`.execute(
      database.db,
    );
    assert.deepEqual(rows[0], { n: ids.length, distinct_jobs: ids.length });
  });
});
