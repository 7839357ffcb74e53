import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Tx } from '../db/transaction.ts';
import { enqueueJob } from '../jobs/job-store.ts';
import type { JsonObject } from '../jobs/job-tables.ts';
import { jsonbValue } from '../jobs/jsonb-value.ts';
import { checkMessage } from './outbox-rules.ts';
import type { OutboxChannel, OutboxStatus, OutboxTables } from './outbox-tables.ts';

export type OutboxMessageRow = Selectable<OutboxTables['outbox_messages']>;

export const DELIVER_OUTBOX_MESSAGE = 'deliver-outbox-message';

export type NewOutboxMessage = {
  channel: OutboxChannel;
  /** An email address for email; a user id for in-app; an endpoint name for webhooks. */
  recipient: string;
  /** Required for email. */
  subject?: string | null;
  body: string;
  /** Structured data for the channel (e.g. the record a webhook is about); ids, not documents. */
  payload?: JsonObject;
  /**
   * The caller's name for this message, e.g. `case:<id>:reminder:<step>`: enqueueing it again writes
   * nothing and returns the first message. Default: a fresh key (every call is a new message).
   */
  idempotencyKey?: string;
  relatedRecord?: { type: string; id: string };
};

/**
 * Writes a message and the job that delivers it inside the caller's business transaction: both
 * exist exactly when the business change commits, and delivery starts only after that commit.
 */
export async function enqueueMessage(
  trx: Tx,
  message: NewOutboxMessage,
): Promise<{ id: string; created: boolean }> {
  checkMessage({
    channel: message.channel,
    recipient: message.recipient,
    subject: message.subject,
    body: message.body,
    idempotencyKey: message.idempotencyKey,
  });
  const id = randomUUID();
  const idempotencyKey = message.idempotencyKey ?? `outbox:${id}`;
  const inserted = await trx
    .insertInto('outbox_messages')
    .values({
      id,
      channel: message.channel,
      recipient: message.recipient,
      subject: message.subject ?? null,
      body: message.body,
      payload: jsonbValue(message.payload ?? {}).value,
      idempotency_key: idempotencyKey,
      related_record_type: message.relatedRecord?.type ?? null,
      related_record_id: message.relatedRecord?.id ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await trx
      .selectFrom('outbox_messages')
      .select('id')
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirstOrThrow();
    return { id: existing.id, created: false };
  }
  await enqueueJob(trx, {
    kind: DELIVER_OUTBOX_MESSAGE,
    payload: { messageId: id },
    dedupeKey: `outbox:${id}`,
  });
  return { id, created: true };
}

export async function findMessage(db: Kysely<Schema>, id: string): Promise<OutboxMessageRow | undefined> {
  return db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listMessages(
  db: Kysely<Schema>,
  filter: { status?: OutboxStatus | undefined; limit: number },
): Promise<OutboxMessageRow[]> {
  let query = db.selectFrom('outbox_messages').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.orderBy('created_at', 'desc').orderBy('id').limit(filter.limit).execute();
}

export async function markSent(trx: Tx, id: string, attempts: number): Promise<void> {
  await trx
    .updateTable('outbox_messages')
    .set({ status: 'sent', sent_at: sql<Date>`now()`, held_reason: null, last_error: null, attempts })
    .where('id', '=', id)
    .execute();
}

export async function markHeld(trx: Tx, id: string, reason: string, attempts: number): Promise<void> {
  await trx
    .updateTable('outbox_messages')
    .set({ status: 'held', held_reason: reason, attempts })
    .where('id', '=', id)
    .where('status', '<>', 'sent')
    .execute();
}

/** A failed delivery attempt: still pending while the job retries, failed once it is dead-lettered. */
export async function markAttemptFailed(
  trx: Tx,
  id: string,
  failure: { error: string; dead: boolean; attempts: number },
): Promise<void> {
  await trx
    .updateTable('outbox_messages')
    .set({
      status: failure.dead ? 'failed' : 'pending',
      held_reason: null,
      last_error: failure.error,
      attempts: failure.attempts,
    })
    .where('id', '=', id)
    .where('status', '<>', 'sent')
    .execute();
}
