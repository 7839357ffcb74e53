import type { ColumnType, Generated } from 'kysely';
import type { JsonObject } from '../jobs/job-tables.ts';

export const OUTBOX_CHANNELS = ['email', 'webhook', 'in_app'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export const OUTBOX_STATUSES = ['pending', 'held', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export type OutboxTables = {
  outbox_messages: {
    id: string;
    channel: OutboxChannel;
    recipient: string;
    subject: string | null;
    body: string;
    payload: ColumnType<JsonObject, JsonObject, never>;
    idempotency_key: string;
    status: Generated<OutboxStatus>;
    held_reason: string | null;
    attempts: Generated<number>;
    last_error: string | null;
    created_at: Generated<Date>;
    sent_at: Date | null;
    related_record_type: string | null;
    related_record_id: string | null;
  };
};
