import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type MigratedDatabase, migratedDatabase } from '../../../test/jobs/migrated-database.ts';
import { type SmtpSink, startSmtpSink } from '../../../test/jobs/smtp-sink.ts';
import { waitUntil } from '../../../test/jobs/wait-until.ts';
import { describeEachDatabase } from '../../../test/support/test-databases.ts';
import type { Database } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { type JobRunner, startJobRunner } from '../jobs/job-runner.ts';
import { createLogger } from '../logger.ts';
import { createSmtpMailer, type Mailer } from '../mail/smtp-mailer.ts';
import { outboxJobHandlers } from './outbox-delivery.ts';
import { NO_SMTP_HELD_REASON, WEBHOOK_HELD_REASON } from './outbox-rules.ts';
import { enqueueMessage, findMessage, type NewOutboxMessage } from './outbox-store.ts';

const logger = createLogger('silent');
const FROM = 'Cellway <no-reply@cellway.example>';

describeEachDatabase('outbox delivery', (target) => {
  let handle: MigratedDatabase;
  let database: Database;
  let sink: SmtpSink;
  before(async () => {
    handle = await migratedDatabase(target);
    database = handle.database;
    sink = await startSmtpSink();
  });
  after(async () => {
    await sink.close();
    await handle.close();
  });

  const enqueue = (message: NewOutboxMessage) =>
    inTransaction(database, (trx) => enqueueMessage(trx, message));
  const runner = (mailer: Mailer | undefined): Promise<JobRunner> =>
    startJobRunner({
      database,
      logger,
      handlers: outboxJobHandlers({ mailer, mailDomain: 'cellway.example' }),
      concurrency: 2,
      pollMs: 20,
      retryDelay: () => 20,
    });
  const deliveryJobOf = (messageId: string) =>
    database.db
      .selectFrom('jobs')
      .selectAll()
      .where('dedupe_key', '=', `outbox:${messageId}`)
      .executeTakeFirst();

  test('with a mail relay, the email arrives once, with its subject, recipient and a stable Message-ID', async () => {
    const mailer = createSmtpMailer({ smtpUrl: sink.url, from: FROM });
    const { id } = await enqueue({
      channel: 'email',
      recipient: 'coordinator@centre.example',
      subject: 'Collection slot confirmed for 12 March',
      body: 'The apheresis slot on 12 March at 08:00 is confirmed.',
    });
    const jobs = await runner(mailer);
    await jobs.drain();
    await jobs.stop();
    mailer.close();

    const delivered = sink.received.filter((email) => email.messageId === `<outbox.${id}@cellway.example>`);
    assert.equal(delivered.length, 1, 'exactly one email');
    assert.deepEqual(delivered[0]?.to, ['coordinator@centre.example']);
    assert.equal(delivered[0]?.from, 'no-reply@cellway.example');
    assert.equal(delivered[0]?.subject, 'Collection slot confirmed for 12 March');
    assert.match(delivered[0]?.raw ?? '', /The apheresis slot on 12 March at 08:00 is confirmed\./);
    assert.match(delivered[0]?.raw ?? '', new RegExp(`X-Cellway-Outbox-Id: ${id}`, 'i'));

    const message = await findMessage(database.db, id);
    assert.equal(message?.status, 'sent');
    assert.ok(message?.sent_at);
    assert.equal(message?.attempts, 1);
  });

  test('a crash after the relay accepted the email resends it with the same Message-ID (at-least-once)', async () => {
    const real = createSmtpMailer({ smtpUrl: sink.url, from: FROM });
    let crashes = 1;
    // Accepted by the relay, then the attempt dies before the outbox records it as sent.
    const crashingAfterAccept: Mailer = {
      async send(email) {
        const accepted = await real.send(email);
        if (crashes-- > 0) throw new Error('process died after the relay accepted the message');
        return accepted;
      },
      close: () => real.close(),
    };
    const { id } = await enqueue({
      channel: 'email',
      recipient: 'pharmacy@centre.example',
      subject: 'Shipment ETA',
      body: 'The shipment arrives at 14:00.',
    });
    const jobs = await runner(crashingAfterAccept);
    await waitUntil(
      'the message to be sent',
      async () => (await findMessage(database.db, id))?.status === 'sent',
    );
    await jobs.stop();
    real.close();

    const copies = sink.received.filter((email) => email.subject === 'Shipment ETA');
    assert.equal(copies.length, 2, 'sent twice: SMTP is at-least-once');
    assert.equal(copies[0]?.messageId, `<outbox.${id}@cellway.example>`);
    assert.equal(
      copies[1]?.messageId,
      copies[0]?.messageId,
      'the resend is recognisable as the same message',
    );
    assert.equal((await findMessage(database.db, id))?.attempts, 2);
  });

  test('a recipient the relay refuses: retried, then the message is failed and its job dead-lettered', async () => {
    const mailer = createSmtpMailer({ smtpUrl: sink.url, from: FROM });
    const { id } = await inTransaction(database, async (trx) => {
      const created = await enqueueMessage(trx, {
        channel: 'email',
        recipient: 'nobody@refuse.example',
        subject: 'Never arrives',
        body: '…',
      });
      // Fewer attempts than the default, to keep the test short.
      await trx
        .updateTable('jobs')
        .set({ max_attempts: 2 })
        .where('dedupe_key', '=', `outbox:${created.id}`)
        .execute();
      return created;
    });
    const jobs = await runner(mailer);
    await waitUntil(
      'the message to fail',
      async () => (await findMessage(database.db, id))?.status === 'failed',
    );
    await jobs.stop();
    mailer.close();

    const message = await findMessage(database.db, id);
    assert.equal(message?.attempts, 2);
    assert.match(message?.last_error ?? '', /550|mailbox unavailable|refused/i);
    assert.equal((await deliveryJobOf(id))?.status, 'dead');
    assert.equal(sink.received.filter((email) => email.subject === 'Never arrives').length, 0);
  });

  test('without a mail relay, email is held in the outbox with the reason; nothing is sent', async () => {
    const before = sink.received.length;
    const { id } = await enqueue({
      channel: 'email',
      recipient: 'qa@plant.example',
      subject: 'Batch record ready for review',
      body: 'Batch B-17 is ready for QA review.',
    });
    const jobs = await runner(undefined);
    await jobs.drain();
    await jobs.stop();
    const message = await findMessage(database.db, id);
    assert.equal(message?.status, 'held');
    assert.equal(message?.held_reason, NO_SMTP_HELD_REASON);
    assert.equal(
      (await deliveryJobOf(id))?.status,
      'done',
      'holding is a finished delivery job, not a failure',
    );
    assert.equal(sink.received.length, before);
  });

  test('webhooks are held, saying the channel is not available yet; in-app messages are delivered', async () => {
    const webhook = await enqueue({
      channel: 'webhook',
      recipient: 'courier-coldpath',
      body: '{"event":"pickup.scheduled"}',
      payload: { event: 'pickup.scheduled', caseId: 'case-9' },
    });
    const inApp = await enqueue({
      channel: 'in_app',
      recipient: 'user-17',
      subject: 'New task',
      body: 'Review slot.',
    });
    const jobs = await runner(undefined);
    await jobs.drain();
    await jobs.stop();
    const held = await findMessage(database.db, webhook.id);
    assert.equal(held?.status, 'held');
    assert.equal(held?.held_reason, WEBHOOK_HELD_REASON);
    const delivered = await findMessage(database.db, inApp.id);
    assert.equal(delivered?.status, 'sent');
  });
});
