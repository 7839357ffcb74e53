import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type SignedInServer, signedInServer } from '../../../test/jobs/signed-in-server.ts';
import { describeEachDatabase } from '../../../test/support/test-databases.ts';
import type { Database } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { App } from '../http/app-type.ts';
import { createLogger } from '../logger.ts';
import { registerJobRoutes } from './job-routes.ts';
import { startJobRunner } from './job-runner.ts';
import { enqueueJob, findJob } from './job-store.ts';

type JobSummary = {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  runAt: string;
  updatedAt: string;
};

const ADMIN = 'admin@aurora.example';
const CASE_MANAGER = 'case.manager@aurora.example';

describeEachDatabase('job administration API', (target) => {
  let server: SignedInServer;
  let database: Database;
  let app: App;
  let admin: string;
  let listedDeadId: string;
  let queuedId: string;

  /** A job that failed for good: enqueued, then dead-lettered by a real runner. */
  async function deadJob(): Promise<string> {
    const { id } = await inTransaction(database, (trx) =>
      enqueueJob(trx, { kind: 'api.broken', maxAttempts: 1 }),
    );
    const runner = await startJobRunner({
      database,
      logger: createLogger('silent'),
      handlers: {
        'api.broken': async () => {
          throw new Error('the courier API refused the booking');
        },
      },
      concurrency: 1,
      pollMs: 20,
    });
    await runner.drain();
    await runner.stop();
    return id;
  }

  before(async () => {
    server = await signedInServer(target, {
      probe: { method: 'GET', url: '/api/admin/jobs' },
      register: registerJobRoutes,
    });
    ({ app, database } = server);
    admin = await server.cookieFor(ADMIN);
    listedDeadId = await deadJob();
    queuedId = (
      await inTransaction(database, (trx) =>
        enqueueJob(trx, { kind: 'api.timer', runAt: new Date(Date.now() + 3_600_000) }),
      )
    ).id;
  });
  after(() => server.close());

  const list = async (query: string) => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/admin/jobs${query}`,
      headers: { cookie: admin },
    });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { jobs: JobSummary[] }).jobs;
  };
  const retry = (id: string, body: unknown, cookie = admin) =>
    app.inject({
      method: 'POST',
      url: `/api/admin/jobs/${id}/retry`,
      payload: body as object,
      headers: { cookie },
    });

  test('only an administrator may see or retry jobs: 401 without a session, 403 without jobs:manage', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/api/admin/jobs' });
    assert.equal(anonymous.statusCode, 401);
    const caseManager = await server.cookieFor(CASE_MANAGER);
    const forbidden = await app.inject({
      method: 'GET',
      url: '/api/admin/jobs',
      headers: { cookie: caseManager },
    });
    assert.equal(forbidden.statusCode, 403);
    const id = await deadJob();
    assert.equal((await retry(id, { reason: 'not mine to retry' }, caseManager)).statusCode, 403);
    assert.equal((await retry(id, { reason: 'no session' }, '')).statusCode, 401);
    assert.equal((await findJob(database.db, id))?.status, 'dead', 'nothing changed');
  });

  test('dead-lettered jobs are listed with their error; the status filter and limit apply', async () => {
    const dead = await list('?status=dead');
    const listed = dead.find((job) => job.id === listedDeadId);
    assert.deepEqual(listed && { ...listed, runAt: '', updatedAt: '' }, {
      id: listedDeadId,
      kind: 'api.broken',
      status: 'dead',
      attempts: 1,
      maxAttempts: 1,
      lastError: 'the courier API refused the booking',
      runAt: '',
      updatedAt: '',
    });
    assert.ok(!Number.isNaN(Date.parse(listed?.updatedAt ?? '')));
    assert.ok(dead.every((job) => job.status === 'dead'));
    const queued = await list('?status=queued&limit=500');
    assert.ok(queued.some((job) => job.id === queuedId));
    assert.ok(queued.every((job) => job.status === 'queued'));
    assert.equal((await list('?limit=1')).length, 1);
  });

  test('an unknown status or a limit out of range is a 422 naming the field', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/admin/jobs?status=stuck',
      headers: { cookie: admin },
    });
    assert.equal(response.statusCode, 422);
    assert.equal(
      (response.json() as { errors: Array<{ field: string }> }).errors[0]?.field,
      'querystring.status',
    );
    const tooMany = await app.inject({
      method: 'GET',
      url: '/api/admin/jobs?limit=100000',
      headers: { cookie: admin },
    });
    assert.equal(tooMany.statusCode, 422);
  });

  test('retrying needs a reason', async () => {
    const id = await deadJob();
    for (const body of [{}, { reason: '' }, { reason: '   ' }]) {
      const response = await retry(id, body);
      assert.equal(response.statusCode, 422, JSON.stringify(body));
      assert.equal((response.json() as { errors: Array<{ field: string }> }).errors[0]?.field, 'body.reason');
    }
    assert.equal((await findJob(database.db, id))?.status, 'dead', 'nothing changed');
  });

  test('a job that is not dead cannot be retried (409); an unknown job is a 404', async () => {
    const conflict = await retry(queuedId, { reason: 'impatient' });
    assert.equal(conflict.statusCode, 409);
    assert.match(String(conflict.headers['content-type']), /application\/problem\+json/);
    assert.match((conflict.json() as { detail: string }).detail, /this job is queued/);

    const missing = await retry('6f1d2c3b-4a59-4e68-9f70-81a2b3c4d5e6', { reason: 'why not' });
    assert.equal(missing.statusCode, 404);
    const malformed = await retry('not-a-uuid', { reason: 'why not' });
    assert.equal(malformed.statusCode, 422);
  });

  test('retrying a dead job queues it now with fresh attempts; the ledger records the administrator and why', async () => {
    const id = await deadJob();
    const response = await retry(id, { reason: 'the courier API is reachable again' });
    assert.equal(response.statusCode, 200, response.body);
    const { job } = response.json() as { job: JobSummary };
    assert.equal(job.status, 'queued');
    assert.equal(job.attempts, 0);
    assert.ok(Date.parse(job.runAt) <= Date.now() + 1_000);

    const { rows } = await sql<{ action: string; reason: string; actor_type: string; actor_id: string }>`
      select action, reason, actor_type, actor_id from ledger_entries where stream = ${`job:${id}`} order by seq`.execute(
      database.db,
    );
    assert.deepEqual(
      rows.map((r) => r.action),
      ['job.dead_lettered', 'job.retried'],
    );
    assert.equal(rows[0]?.actor_id, 'job-runner');
    const adminUser = await database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', ADMIN)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [rows[1]?.actor_type, rows[1]?.actor_id, rows[1]?.reason],
      ['user', adminUser.id, 'the courier API is reachable again'],
    );

    const again = await retry(id, { reason: 'twice' });
    assert.equal(again.statusCode, 409, 'a retried job is no longer dead');
  });

  test('both routes declare the jobs:manage permission', () => {
    const declared = server.routes.filter((route) => route.url.startsWith('/api/admin/jobs'));
    assert.deepEqual(
      declared.map((route) => [route.method, route.url, route.access]),
      [
        ['GET', '/api/admin/jobs', { permission: 'jobs:manage' }],
        ['HEAD', '/api/admin/jobs', { permission: 'jobs:manage' }],
        ['POST', '/api/admin/jobs/:id/retry', { permission: 'jobs:manage' }],
      ],
    );
  });
});
