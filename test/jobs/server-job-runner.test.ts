import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { enqueueMessage, findMessage } from '../../src/platform/outbox/outbox-store.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { startTestServer } from '../support/test-server.ts';
import { waitUntil } from './wait-until.ts';

describeEachDatabase('the job runner inside a running server', (target) => {
  test('starts with the server, delivers what a transaction committed, and stops with it', async () => {
    const server = await startTestServer(target, { env: { JOBS_POLL_MS: '20' } });
    try {
      const { id } = await inTransaction(server.database, (trx) =>
        enqueueMessage(trx, {
          channel: 'email',
          recipient: 'ops@centre.example',
          subject: 'Hello',
          body: 'Hi.',
        }),
      );
      const held = await waitUntil('the message to be processed', async () => {
        const message = await findMessage(server.database.db, id);
        return message?.status === 'held' ? message : undefined;
      });
      assert.match(held.held_reason ?? '', /SMTP_URL/);
      const response = await fetch(`${server.url}/ready`);
      assert.equal(response.status, 200);
    } finally {
      await server.close();
    }
  });
});
