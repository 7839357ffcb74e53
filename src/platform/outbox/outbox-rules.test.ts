import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkMessage,
  deliveryStep,
  emailMessageId,
  NO_SMTP_HELD_REASON,
  OutboxMessageError,
  WEBHOOK_HELD_REASON,
} from './outbox-rules.ts';

describe('outbox message input', () => {
  const email = {
    channel: 'email' as const,
    recipient: 'coordinator@hospital.example',
    subject: 'Apheresis slot confirmed',
    body: 'The slot is confirmed.',
    idempotencyKey: undefined,
  };

  test('a well-formed email, in-app and webhook message pass', () => {
    checkMessage(email);
    checkMessage({ ...email, channel: 'in_app', recipient: 'user-123', subject: null });
    checkMessage({ ...email, channel: 'webhook', recipient: 'partner-courier', subject: undefined });
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['an email without an address', { recipient: 'coordinator' }, 'recipient'],
    ['two addresses in one', { recipient: 'a@x.org, b@y.org' }, 'recipient'],
    ['a display name', { recipient: 'Ann <ann@x.org>' }, 'recipient'],
    ['an email without a subject', { subject: '  ' }, 'subject'],
    ['a subject with a line break (header injection)', { subject: 'Hi\r\nBcc: all@x.org' }, 'subject'],
    ['a recipient with a line break', { channel: 'in_app', recipient: 'u\nBcc: x' }, 'recipient'],
    ['an empty recipient', { channel: 'in_app', recipient: '' }, 'recipient'],
    ['an empty idempotency key', { idempotencyKey: '' }, 'idempotencyKey'],
  ];
  for (const [what, change, field] of bad)
    test(`${what} is refused, naming ${field}`, () => {
      assert.throws(
        () => checkMessage({ ...email, ...change } as typeof email),
        (error: unknown) => error instanceof OutboxMessageError && error.field === field,
      );
    });
});

describe('outbox delivery decisions', () => {
  test('email is sent when a relay is configured, held with the reason when not', () => {
    assert.deepEqual(deliveryStep({ channel: 'email', status: 'pending' }, { email: true }), {
      action: 'send-email',
    });
    assert.deepEqual(deliveryStep({ channel: 'email', status: 'pending' }, { email: false }), {
      action: 'hold',
      reason: NO_SMTP_HELD_REASON,
    });
  });

  test('webhooks are held, honestly: the channel is not available yet', () => {
    assert.deepEqual(deliveryStep({ channel: 'webhook', status: 'pending' }, { email: true }), {
      action: 'hold',
      reason: WEBHOOK_HELD_REASON,
    });
  });

  test('in-app messages are delivered by being stored', () => {
    assert.deepEqual(deliveryStep({ channel: 'in_app', status: 'pending' }, { email: false }), {
      action: 'deliver-in-app',
    });
  });

  test('a sent message is never sent again; a failed one (retried by an administrator) is', () => {
    assert.equal(deliveryStep({ channel: 'email', status: 'sent' }, { email: true }).action, 'nothing');
    assert.equal(deliveryStep({ channel: 'email', status: 'failed' }, { email: true }).action, 'send-email');
  });

  test('the Message-ID is derived from the outbox id alone, so every resend carries the same one', () => {
    const id = '5f0c6a8e-2f4b-4c1e-9d7a-0b1c2d3e4f50';
    assert.equal(emailMessageId(id, 'cellway.example'), `<outbox.${id}@cellway.example>`);
    assert.equal(emailMessageId(id, 'cellway.example'), emailMessageId(id, 'cellway.example'));
  });
});
