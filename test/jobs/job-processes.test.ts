import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrations.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { enqueueJob, findJob } from '../../src/platform/jobs/job-store.ts';
import { type CliProcess, runCli } from '../support/cli-process.ts';
import { type FreshDatabase, serverTarget } from '../support/test-databases.ts';
import { createEffectsTable, effectsOf } from './migrated-database.ts';
import { waitUntil } from './wait-until.ts';

const HANDLERS = fileURLToPath(new URL('./test-job-handlers.ts', import.meta.url));
const LEASE_MS = 2_000;

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A real `cellway start` process on the given database, running the test job kinds. */
function startServer(url: string, env: Record<string, string> = {}): CliProcess {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-jobs-'));
  tempDirs.push(keyDir);
  return runCli(['start', '--no-web-build'], {
    PORT: '0',
    DATABASE_URL: url,
    CELLWAY_LEDGER_KEY_FILE: path.join(keyDir, 'ledger.pem'),
    CELLWAY_TEST_JOB_HANDLERS: HANDLERS,
    JOBS_LEASE_MS: String(LEASE_MS),
    JOBS_POLL_MS: '50',
    ...env,
  });
}

async function stopServer(server: CliProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const { code } = await server.exited;
  assert.equal(code, 0, `clean shutdown; stderr:\n${server.stderr()}`);
}

describe('jobs across restarts of a server on the embedded database', () => {
  test('SIGKILL in the middle of a job: the next start runs it again at once, and its effect happens once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-jobs-embedded-'));
    tempDirs.push(dir);
    const dataDir = path.join(dir, 'data');
    const settings = { kind: 'pglite' as const, dataDir };
    // One process owns the embedded database: the test writes the job before the server starts.
    let database = await openDatabase(settings);
    await migrate(database);
    await createEffectsTable(database);
    const { id } = await inTransaction(database, (trx) =>
      enqueueJob(trx, { kind: 'test.slow-side-effect', payload: { sleepMs: 3_000 } }),
    );
    await database.close();

    const env = {
      CELLWAY_DATA_DIR: dataDir,
      DATABASE_URL: '',
      CELLWAY_LEDGER_KEY_FILE: path.join(dir, 'ledger.pem'),
      JOBS_LEASE_MS: '600000',
    };
    const first = startServer('', env);
    await first.waitForOutput(/"msg":"test job is mid-way"/);
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    // The lease is ten minutes, yet the restarted process does not wait for it: it is the only one.
    const second = startServer('', env);
    await second.waitForOutput(/"msg":"jobs interrupted by the previous stop are due again"/);
    await second.waitForOutput(/"msg":"test job is mid-way"/);
    await stopServer(second);

    database = await openDatabase(settings);
    try {
      const job = await findJob(database.db, id);
      assert.equal(job?.status, 'done');
      assert.equal(job?.attempts, 2);
      assert.equal(await effectsOf(database, id), 1, 'exactly one effect');
    } finally {
      await database.close();
    }
  });
});

describe('[postgres] jobs across real server processes', {
  skip: serverTarget ? false : 'DATABASE_URL is not set',
}, () => {
  async function withDatabase(work: (database: Database, url: string) => Promise<void>): Promise<void> {
    const fresh: FreshDatabase = await (serverTarget as NonNullable<typeof serverTarget>).create();
    const database = await fresh.open();
    try {
      await work(database, (fresh.settings as { url: string }).url);
    } finally {
      await database.close();
      await fresh.drop();
    }
  }

  test('SIGKILL in the middle of a job: its effect is rolled back, and after the lease another process completes it exactly once', async () => {
    await withDatabase(async (database, url) => {
      const first = startServer(url);
      const processes = [first];
      try {
        await first.waitForOutput(/Cellway is running at/);
        await createEffectsTable(database);
        const { id } = await inTransaction(database, (trx) =>
          enqueueJob(trx, { kind: 'test.slow-side-effect', payload: { sleepMs: 3_000 } }),
        );

        await first.waitForOutput(/"msg":"test job is mid-way"/);
        first.child.kill('SIGKILL');
        assert.equal((await first.exited).signal, 'SIGKILL');

        const orphaned = await findJob(database.db, id);
        assert.equal(orphaned?.status, 'running', 'the killed process still holds the lease');
        assert.equal(orphaned?.attempts, 1);
        assert.equal(await effectsOf(database, id), 0, "the killed attempt's effect was rolled back");
        const leaseEnd = orphaned?.locked_until as Date;

        const second = startServer(url);
        processes.push(second);
        await second.waitForOutput(/Cellway is running at/);
        const done = await waitUntil(
          'the job to be completed by the second process',
          async () => {
            const job = await findJob(database.db, id);
            return job?.status === 'done' ? job : undefined;
          },
          60_000,
        );
        assert.equal(done.attempts, 2, 'one interrupted attempt, one that completed');
        assert.notEqual(done.locked_by, orphaned?.locked_by, 'completed by the other process');
        const { rows } = await sql<{ claimed_after_lease: boolean }>`
          select ${leaseEnd}::timestamptz <= done_at - ${3_000}::int * interval '1 millisecond' as claimed_after_lease
          from jobs where id = ${id}`.execute(database.db);
        assert.equal(rows[0]?.claimed_after_lease, true, 'taken over only after the lease had expired');
        assert.equal(await effectsOf(database, id), 1, 'exactly one effect');
      } finally {
        for (const server of processes) await stopServer(server);
      }
    });
  });

  test('two processes work off 1,000 jobs: every job done once, exactly 1,000 effects, both did some', async () => {
    await withDatabase(async (database, url) => {
      const servers = [startServer(url), startServer(url)];
      try {
        await Promise.all(servers.map((server) => server.waitForOutput(/Cellway is running at/)));
        await createEffectsTable(database);
        await inTransaction(database, async (trx) => {
          for (let i = 0; i < 1_000; i++)
            await enqueueJob(trx, { kind: 'test.side-effect', payload: { n: i, sleepMs: 2 } });
        });

        await waitUntil(
          'all 1,000 jobs to be done',
          async () => {
            const { rows } = await sql<{ n: number }>`
              select count(*)::int as n from jobs where kind = 'test.side-effect' and status = 'done'`.execute(
              database.db,
            );
            return rows[0]?.n === 1_000;
          },
          120_000,
          200,
        );
        const effects = await sql<{ total: number; jobs: number }>`
          select count(*)::int as total, count(distinct job_id)::int as jobs from test_job_effects`.execute(
          database.db,
        );
        assert.deepEqual(effects.rows[0], { total: 1_000, jobs: 1_000 }, 'no job lost, none duplicated');
        const workers = await sql<{ locked_by: string; n: number }>`
          select locked_by, count(*)::int as n from jobs where kind = 'test.side-effect' group by locked_by`.execute(
          database.db,
        );
        assert.equal(
          workers.rows.length,
          2,
          `both processes did some of the work: ${JSON.stringify(workers.rows)}`,
        );
        const attempts = await sql<{ max: number }>`
          select max(attempts)::int as max from jobs where kind = 'test.side-effect'`.execute(database.db);
        assert.equal(attempts.rows[0]?.max, 1, 'no job was claimed twice');
      } finally {
        for (const server of servers) await stopServer(server);
      }
    });
  });
});
