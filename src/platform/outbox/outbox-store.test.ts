import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type MigratedDatabase, migratedDatabase } from '../../../test/jobs/migrated-database.ts';
import { describeEachDatabase } from '../../../test/support/test-databases.ts';
import type { Database } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { OutboxMessageError } from './outbox-rules.ts';
import { DELIVER_OUTBOX_MESSAGE, enqueueMessage, findMessage } from './outbox-store.ts';

describeEachDatabase('outbox store', (target) => {
  let handle: MigratedDatabase;
  let database: Database;
  before(async () => {
    handle = await migratedDatabase(target);
    database = handle.database;
  });
  after(() => handle.close());

  const deliveryJobsFor = async (messageId: string) =>
    (
      await sql<{ id: string; status: string }>`
        select id, status from jobs where kind = ${DELIVER_OUTBOX_MESSAGE} and payload ->> 'messageId' = ${messageId}`.execute(
        database.db,
      )
    ).rows;

  const reminder = {
    channel: 'email' as const,
    recipient: 'nurse@centre.example',
    subject: 'Infusion tomorrow at 09:00',
    body: 'Patient CW-0042 is scheduled for infusion tomorrow at 09:00.',
    relatedRecord: { type: 'case', id: 'case-42' },
  };

  test('the message and its delivery job are written in the business transaction', async () => {
    const { id } = await inTransaction(database, async (trx) => {
      await sql`insert into test_job_effects (job_id, note) values (gen_random_uuid(), 'the business change')`.execute(
        trx,
      );
      return enqueueMessage(trx, reminder);
    });
    const message = await findMessage(database.db, id);
    assert.equal(message?.status, 'pending');
    assert.equal(message?.recipient, 'nurse@centre.example');
    assert.equal(message?.related_record_id, 'case-42');
    const jobs = await deliveryJobsFor(id);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.status, 'queued');
  });

  test('a rolled-back business transaction leaves neither the message nor its job', async () => {
    let messageId = '';
    await assert.rejects(
      inTransaction(database, async (trx) => {
        messageId = (await enqueueMessage(trx, { ...reminder, idempotencyKey: 'rollback-1' })).id;
        throw new Error('the booking was refused');
      }),
      /the booking was refused/,
    );
    assert.ok(messageId);
    assert.equal(await findMessage(database.db, messageId), undefined);
    assert.deepEqual(await deliveryJobsFor(messageId), []);
  });

  test('the same idempotency key twice is one message and one delivery', async () => {
    const key = 'case:case-42:infusion-reminder';
    const first = await inTransaction(database, (trx) =>
      enqueueMessage(trx, { ...reminder, idempotencyKey: key }),
    );
    const second = await inTransaction(database, (trx) =>
      enqueueMessage(trx, { ...reminder, idempotencyKey: key }),
    );
    assert.equal(first.created, true);
    assert.deepEqual(second, { id: first.id, created: false });
    assert.equal((await deliveryJobsFor(first.id)).length, 1);
  });

  test('a malformed message is refused, naming the field, and nothing is written', async () => {
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from outbox_messages`.execute(database.db)).rows[0]
        ?.n;
    const before = await count();
    await assert.rejects(
      inTransaction(database, (trx) => enqueueMessage(trx, { ...reminder, recipient: 'not an address' })),
      (error: unknown) => error instanceof OutboxMessageError && error.field === 'recipient',
    );
    await assert.rejects(
      inTransaction(database, (trx) =>
        enqueueMessage(trx, { ...reminder, subject: 'Hi\nBcc: everyone@x.example' }),
      ),
      (error: unknown) => error instanceof OutboxMessageError && error.field === 'subject',
    );
    assert.equal(await count(), before);
  });
});
