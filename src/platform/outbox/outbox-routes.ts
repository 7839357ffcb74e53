import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { App } from '../http/app-type.ts';
import { listMessages, type OutboxMessageRow } from './outbox-store.ts';
import { OUTBOX_CHANNELS, OUTBOX_STATUSES } from './outbox-tables.ts';

const messageSummary = z.object({
  id: z.string().uuid(),
  channel: z.enum(OUTBOX_CHANNELS),
  recipient: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  heldReason: z.string().nullable().describe('Why a held message was not sent'),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601 UTC'),
  sentAt: z.string().nullable().describe('ISO 8601 UTC'),
});

function summaryOf(message: OutboxMessageRow): z.infer<typeof messageSummary> {
  return {
    id: message.id,
    channel: message.channel,
    recipient: message.recipient,
    subject: message.subject,
    body: message.body,
    status: message.status,
    heldReason: message.held_reason,
    attempts: message.attempts,
    lastError: message.last_error,
    createdAt: message.created_at.toISOString(),
    sentAt: message.sent_at?.toISOString() ?? null,
  };
}

export function registerOutboxRoutes(app: App, database: Database): void {
  app.get(
    '/api/outbox/messages',
    {
      config: { access: { permission: 'outbox:read' } },
      schema: {
        summary: 'Messages in the outbox, newest first: pending, held (not sendable here), sent or failed',
        tags: ['outbox'],
        querystring: z.object({
          status: z.enum(OUTBOX_STATUSES).optional().describe('Only messages in this status'),
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(500)
            .default(50)
            .describe('At most this many messages (1–500)'),
        }),
        response: { 200: z.object({ messages: z.array(messageSummary) }) },
      },
    },
    async (request) => {
      const messages = await listMessages(database.db, {
        status: request.query.status,
        limit: request.query.limit,
      });
      return { messages: messages.map(summaryOf) };
    },
  );
}
