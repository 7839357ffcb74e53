import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type SignedInServer, signedInServer } from '../../../test/jobs/signed-in-server.ts';
import { describeEachDatabase } from '../../../test/support/test-databases.ts';
import type { Database } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { App } from '../http/app-type.ts';
import { startJobRunner } from '../jobs/job-runner.ts';
import { createLogger } from '../logger.ts';
import { outboxJobHandlers } from './outbox-delivery.ts';
import { registerOutboxRoutes } from './outbox-routes.ts';
import { NO_SMTP_HELD_REASON } from './outbox-rules.ts';
import { enqueueMessage } from './outbox-store.ts';

type MessageSummary = {
  id: string;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  status: string;
  heldReason: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
};

describeEachDatabase('outbox API', (target) => {
  let server: SignedInServer;
  let database: Database;
  let app: App;
  let caseManager: string;
  let heldId: string;
  let sentId: string;
  before(async () => {
    server = await signedInServer(target, {
      probe: { method: 'GET', url: '/api/outbox/messages' },
      register: registerOutboxRoutes,
    });
    ({ app, database } = server);
    caseManager = await server.cookieFor('case.manager@aurora.example');

    heldId = (
      await inTransaction(database, (trx) =>
        enqueueMessage(trx, {
          channel: 'email',
          recipient: 'coordinator@centre.example',
          subject: 'Infusion scheduled',
          body: 'Infusion is scheduled for 3 April.',
        }),
      )
    ).id;
    sentId = (
      await inTransaction(database, (trx) =>
        enqueueMessage(trx, {
          channel: 'in_app',
          recipient: 'user-5',
          subject: 'Task',
          body: 'Review the slot.',
        }),
      )
    ).id;
    // No SMTP_URL: the runner holds the email and delivers the in-app message.
    const runner = await startJobRunner({
      database,
      logger: createLogger('silent'),
      handlers: outboxJobHandlers({ mailer: undefined, mailDomain: 'cellway.example' }),
      concurrency: 2,
      pollMs: 20,
    });
    await runner.drain();
    await runner.stop();
  });
  after(() => server.close());

  const list = async (query: string) => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/outbox/messages${query}`,
      headers: { cookie: caseManager },
    });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { messages: MessageSummary[] }).messages;
  };

  test('an email held for want of a mail relay is listed, readable, with the reason', async () => {
    const held = await list('?status=held');
    const message = held.find((m) => m.id === heldId);
    assert.ok(message, 'listed among the held messages');
    assert.equal(message.channel, 'email');
    assert.equal(message.recipient, 'coordinator@centre.example');
    assert.equal(message.subject, 'Infusion scheduled');
    assert.equal(message.body, 'Infusion is scheduled for 3 April.');
    assert.equal(message.heldReason, NO_SMTP_HELD_REASON);
    assert.equal(message.sentAt, null);
    assert.ok(!Number.isNaN(Date.parse(message.createdAt)));
  });

  test('the status filter and the limit apply; newest first', async () => {
    const sent = await list('?status=sent');
    assert.ok(sent.some((m) => m.id === sentId && m.sentAt !== null));
    assert.ok(sent.every((m) => m.status === 'sent'));
    const ids = (await list('?limit=500')).map((m) => m.id);
    assert.ok(ids.indexOf(sentId) < ids.indexOf(heldId), 'the later message comes first');
    assert.equal((await list('?limit=1')).length, 1);
  });

  test('reading the outbox needs a session with outbox:read', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/api/outbox/messages' });
    assert.equal(anonymous.statusCode, 401);
    const msl = await server.cookieFor('msl@aurora.example');
    const forbidden = await app.inject({
      method: 'GET',
      url: '/api/outbox/messages',
      headers: { cookie: msl },
    });
    assert.equal(forbidden.statusCode, 403);
  });

  test('an unknown status is a 422 naming the field', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/outbox/messages?status=lost',
      headers: { cookie: caseManager },
    });
    assert.equal(response.statusCode, 422);
    assert.equal(
      (response.json() as { errors: Array<{ field: string }> }).errors[0]?.field,
      'querystring.status',
    );
  });

  test('the route declares the outbox:read permission', () => {
    const declared = server.routes.filter(
      (route) => route.url === '/api/outbox/messages' && route.method === 'GET',
    );
    assert.deepEqual(
      declared.map((route) => route.access),
      [{ permission: 'outbox:read' }],
    );
  });
});
