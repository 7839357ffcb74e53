import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../test/support/test-databases.ts';
import { startTestServer } from '../../test/support/test-server.ts';

describeEachDatabase('graceful shutdown', (target) => {
  test('a request in flight at stop still gets its answer; then the ledger is sealed and the database closed', async () => {
    let entered!: () => void;
    const inFlight = new Promise<void>((resolve) => {
      entered = resolve;
    });
    // A route that is still working when the stop comes (a slow report, a long upload).
    const server = await startTestServer(target, {
      demo: true,
      beforeListen: (app) =>
        app.get('/api/test/slow', { config: { access: { public: true, why: 'test' } } }, async () => {
          entered();
          await new Promise((resolve) => setTimeout(resolve, 500));
          return { finished: true };
        }),
    });
    const answer = fetch(`${server.url}/api/test/slow`);
    await inFlight;
    const stopped = server.stop('test');
    const response = await answer;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { finished: true });
    await stopped;

    await assert.rejects(sql`select 1`.execute(server.database.db), 'the database is closed after stop');
    await assert.rejects(fetch(`${server.url}/health`), 'nothing listens any more');
    await server.fresh.drop();
  });
});
