import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type MigratedDatabase, migratedDatabase } from '../../../test/jobs/migrated-database.ts';
import { describeEachDatabase } from '../../../test/support/test-databases.ts';
import type { Database } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { JobInputError } from './job-rules.ts';
import { claimJobs, enqueueJob, findJob } from './job-store.ts';

const claimAll = (database: Database, processId: string, kinds: string[], leaseMs = 60_000) =>
  claimJobs(database.db, { processId, limit: 100, leaseMs, kinds, unknownKindGraceMs: 3_600_000 });

describeEachDatabase('job store', (target) => {
  let handle: MigratedDatabase;
  let database: Database;
  before(async () => {
    handle = await migratedDatabase(target);
    database = handle.database;
  });
  after(() => handle.close());

  test('a job enqueued in a business transaction exists only if that transaction commits', async () => {
    let rolledBackId = '';
    await assert.rejects(
      inTransaction(database, async (trx) => {
        rolledBackId = (await enqueueJob(trx, { kind: 'store.rollback', payload: { caseId: 'c-1' } })).id;
        throw new Error('the business change failed');
      }),
      /the business change failed/,
    );
    assert.equal(await findJob(database.db, rolledBackId), undefined);

    const { id } = await inTransaction(database, (trx) =>
      enqueueJob(trx, { kind: 'store.commit', payload: { caseId: 'c-2', steps: [1, 2] } }),
    );
    const job = await findJob(database.db, id);
    assert.equal(job?.status, 'queued');
    assert.deepEqual(job?.payload, { caseId: 'c-2', steps: [1, 2] });
    assert.equal(job?.attempts, 0);
    assert.equal(job?.max_attempts, 8);
  });

  test('the same timer enqueued twice (same dedupe key) is one job', async () => {
    const dedupeKey = 'case:c-7:escalate:step-3';
    const runAt = new Date(Date.now() + 3_600_000);
    const first = await inTransaction(database, (trx) =>
      enqueueJob(trx, { kind: 'store.escalate', payload: { step: 3 }, runAt, dedupeKey }),
    );
    const second = await inTransaction(database, (trx) =>
      enqueueJob(trx, { kind: 'store.escalate', payload: { step: 3 }, runAt, dedupeKey }),
    );
    assert.equal(first.created, true);
    assert.deepEqual(second, { id: first.id, created: false });
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from jobs where dedupe_key = ${dedupeKey}`.execute(database.db);
    assert.equal(rows[0]?.n, 1);
  });

  test('concurrent transactions enqueueing the same timer create it once', async () => {
    const dedupeKey = 'case:c-8:escalate:step-1';
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        inTransaction(database, (trx) => enqueueJob(trx, { kind: 'store.escalate', dedupeKey })),
      ),
    );
    assert.equal(new Set(results.map((r) => r.id)).size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
  });

  test('a malformed job is refused and nothing is written', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from jobs`.execute(database.db);
    await assert.rejects(
      inTransaction(database, (trx) => enqueueJob(trx, { kind: 'Not A Kind' })),
      (error: unknown) => error instanceof JobInputError && error.field === 'kind',
    );
    await assert.rejects(
      inTransaction(database, (trx) => enqueueJob(trx, { kind: 'store.x', payload: { at: Number.NaN } })),
      /not a finite number/,
    );
    const afterwards = await sql<{ n: number }>`select count(*)::int as n from jobs`.execute(database.db);
    assert.equal(afterwards.rows[0]?.n, before.rows[0]?.n);
  });

  test('a due job is claimed once; a future timer is not claimed before its time', async () => {
    const kinds = ['store.claim'];
    const due = await inTransaction(database, (trx) =>
      enqueueJob(trx, { kind: 'store.claim', runAt: new Date(Date.now() - 60_000) }),
    );
    const future = await inTransaction(database, (trx) =>
      enqueueJob(trx, { kind: 'store.claim', runAt: new Date(Date.now() + 3_600_000) }),
    );
    const [first, second] = await Promise.all([
      claimAll(database, 'p1', kinds),
      claimAll(database, 'p2', kinds),
    ]);
    const claimed = [...(first ?? []), ...(second ?? [])];
    assert.deepEqual(
      claimed.map((job) => job.id),
      [due.id],
    );
    assert.equal(claimed[0]?.attempts, 1);
    assert.equal(claimed[0]?.status, 'running');
    assert.equal((await findJob(database.db, future.id))?.status, 'queued');
  });

  test("a running job is taken over only once its process's lease has expired", async () => {
    const kinds = ['store.lease'];
    const { id } = await inTransaction(database, (trx) => enqueueJob(trx, { kind: 'store.lease' }));
    const [claimed] = await claimAll(database, 'crashed-process', kinds, 60_000);
    assert.equal(claimed?.id, id);
    assert.deepEqual(await claimAll(database, 'other-process', kinds), [], 'the lease is still valid');

    // The crashed process's lease runs out (moved into the past rather than waiting a minute).
    await sql`update jobs set locked_until = now() - interval '1 second' where id = ${id}`.execute(
      database.db,
    );
    const [takenOver] = await claimAll(database, 'other-process', kinds);
    assert.equal(takenOver?.id, id);
    assert.equal(takenOver?.locked_by, 'other-process');
    assert.equal(takenOver?.attempts, 2, 'the interrupted attempt counts');
  });

  test('jobs of a kind this process does not know are left to other processes', async () => {
    const { id } = await inTransaction(database, (trx) => enqueueJob(trx, { kind: 'store.foreign' }));
    assert.deepEqual(await claimAll(database, 'p1', ['store.other']), []);
    const claimed = await claimJobs(database.db, {
      processId: 'p1',
      limit: 100,
      leaseMs: 60_000,
      kinds: ['store.other'],
      unknownKindGraceMs: 0,
    });
    assert.ok(
      claimed.some((job) => job.id === id),
      'after the grace period it is claimed (to be dead-lettered)',
    );
  });
});
