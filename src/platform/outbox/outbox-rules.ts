import type { OutboxChannel, OutboxStatus } from './outbox-tables.ts';

/** The decisions of the outbox as pure functions: what a valid message is, and how to deliver it. */

export const WEBHOOK_HELD_REASON = 'webhook delivery arrives with the interoperability capability';
export const NO_SMTP_HELD_REASON =
  'no mail relay is configured (SMTP_URL); the message is kept here and can be read in the app';

export class OutboxMessageError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`outbox message ${field} ${problem}`);
    this.name = 'OutboxMessageError';
  }
}

export type MessageFacts = {
  channel: OutboxChannel;
  recipient: string;
  subject: string | null | undefined;
  body: string;
  idempotencyKey: string | undefined;
};

// One address, no display name: the recipient is a routing fact, not free text.
const EMAIL_ADDRESS = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/;
// A line break in a header would let a value add headers of its own (header injection).
const LINE_BREAK = /[\r\n]/;

/** Refuses a malformed message before anything is written, naming the field and the reason. */
export function checkMessage(message: MessageFacts): void {
  if (message.recipient.length < 1 || message.recipient.length > 500)
    throw new OutboxMessageError('recipient', 'must be 1 to 500 characters');
  if (message.channel === 'email') {
    if (!EMAIL_ADDRESS.test(message.recipient) || message.recipient.length > 254)
      throw new OutboxMessageError('recipient', 'must be one email address such as name@example.org');
    if (!message.subject?.trim()) throw new OutboxMessageError('subject', 'is required for email');
  }
  if (message.subject != null) {
    if (LINE_BREAK.test(message.subject)) throw new OutboxMessageError('subject', 'must be one line');
    if (message.subject.length > 300)
      throw new OutboxMessageError('subject', 'must be at most 300 characters');
  }
  if (LINE_BREAK.test(message.recipient)) throw new OutboxMessageError('recipient', 'must be one line');
  if (message.body.length > 100_000)
    throw new OutboxMessageError('body', 'must be at most 100000 characters');
  if (
    message.idempotencyKey !== undefined &&
    (message.idempotencyKey.length < 1 || message.idempotencyKey.length > 300)
  )
    throw new OutboxMessageError('idempotencyKey', 'must be 1 to 300 characters');
}

export type DeliveryStep =
  | { action: 'nothing'; why: string }
  | { action: 'hold'; reason: string }
  | { action: 'send-email' }
  | { action: 'deliver-in-app' };

/** What the delivery job does with a message, given what this installation can deliver. */
export function deliveryStep(
  message: { channel: OutboxChannel; status: OutboxStatus },
  capabilities: { email: boolean },
): DeliveryStep {
  if (message.status === 'sent') return { action: 'nothing', why: 'already sent' };
  if (message.status === 'held') return { action: 'nothing', why: 'held' };
  switch (message.channel) {
    case 'in_app':
      // An in-app message is delivered by being stored where the app shows it.
      return { action: 'deliver-in-app' };
    case 'webhook':
      return { action: 'hold', reason: WEBHOOK_HELD_REASON };
    case 'email':
      return capabilities.email ? { action: 'send-email' } : { action: 'hold', reason: NO_SMTP_HELD_REASON };
  }
}

/**
 * The Message-ID of an outbox email, derived from the outbox id alone: every attempt to send the
 * same message carries the same id, so a resend after a crash is recognisable as a duplicate.
 */
export function emailMessageId(outboxId: string, domain: string): string {
  return `<outbox.${outboxId}@${domain}>`;
}
