import { externalJobHandler, type JobHandlers } from '../jobs/job-handler.ts';
import type { Mailer } from '../mail/smtp-mailer.ts';
import { deliveryStep, emailMessageId } from './outbox-rules.ts';
import {
  DELIVER_OUTBOX_MESSAGE,
  findMessage,
  markAttemptFailed,
  markHeld,
  markSent,
} from './outbox-store.ts';

type Delivered = { outcome: 'sent' } | { outcome: 'held'; reason: string } | { outcome: 'unchanged' };

function messageIdOf(payload: Record<string, unknown>): string {
  const id = payload.messageId;
  if (typeof id !== 'string') throw new Error('the job payload names no outbox message (messageId)');
  return id;
}

/**
 * Delivers one outbox message after the transaction that wrote it committed. Email goes to the
 * relay when one is configured (at-least-once, with a Message-ID derived from the outbox id);
 * without a relay, and for webhooks (not available yet), the message is held in the outbox.
 */
export function outboxJobHandlers(deps: { mailer: Mailer | undefined; mailDomain: string }): JobHandlers {
  return {
    [DELIVER_OUTBOX_MESSAGE]: externalJobHandler<Delivered>({
      async perform(job, { db }) {
        const id = messageIdOf(job.payload);
        const message = await findMessage(db, id);
        if (!message) throw new Error(`outbox message ${id} does not exist`);
        const step = deliveryStep(message, { email: deps.mailer !== undefined });
        switch (step.action) {
          case 'nothing':
            return { outcome: 'unchanged' };
          case 'hold':
            return { outcome: 'held', reason: step.reason };
          case 'deliver-in-app':
            return { outcome: 'sent' };
          case 'send-email':
            await deps.mailer?.send({
              to: message.recipient,
              subject: message.subject ?? '',
              text: message.body,
              messageId: emailMessageId(message.id, deps.mailDomain),
              headers: { 'X-Cellway-Outbox-Id': message.id },
            });
            return { outcome: 'sent' };
        }
      },
      async record(job, { trx }, delivered) {
        const id = messageIdOf(job.payload);
        if (delivered.outcome === 'sent') await markSent(trx, id, job.attempts);
        else if (delivered.outcome === 'held') await markHeld(trx, id, delivered.reason, job.attempts);
      },
      async onFailure(job, { trx }, failure) {
        const id = job.payload.messageId;
        if (typeof id === 'string') await markAttemptFailed(trx, id, { ...failure, attempts: job.attempts });
      },
    }),
  };
}
