import nodemailer from 'nodemailer';

export type OutgoingEmail = {
  to: string;
  subject: string;
  text: string;
  /** RFC 5322 Message-ID, `<…@…>`. Stable per message so a resend is recognisable as the same message. */
  messageId: string;
  headers?: Record<string, string>;
};

export type Mailer = {
  /** Resolves when the relay accepted the message; rejects with the relay's reason otherwise. */
  send(email: OutgoingEmail): Promise<{ response: string }>;
  close(): void;
};

export class MailRejectedError extends Error {
  override name = 'MailRejectedError';
}

// Well under the default job lease (60 s) so a hung relay fails the attempt instead of outliving it.
const TIMEOUTS = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 20_000,
  dnsTimeout: 5_000,
};

/**
 * Email through an SMTP relay (SMTP_URL, smtp:// or smtps://; credentials in the URL). SMTP is
 * at-least-once: if the process dies after the relay accepted a message and before the outbox
 * recorded it as sent, it is sent again with the same Message-ID, which mail systems and people
 * can recognise as a duplicate.
 */
export function createSmtpMailer(settings: { smtpUrl: string; from: string }): Mailer {
  const transport = nodemailer.createTransport({
    url: settings.smtpUrl,
    ...TIMEOUTS,
    // Message content never names local files or URLs to fetch; refuse them outright.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(email) {
      const info = await transport.sendMail({
        from: settings.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: email.messageId,
        headers: email.headers ?? {},
      });
      if (info.rejected.length > 0 || info.accepted.length === 0)
        throw new MailRejectedError(`the mail relay refused the recipient: ${info.response}`);
      return { response: info.response };
    },
    close() {
      transport.close();
    },
  };
}

/** The domain of the sender address, for Message-IDs: `Cellway <no-reply@example.org>` → `example.org`. */
export function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = address.slice(address.lastIndexOf('@') + 1).trim();
  return domain || 'cellway.local';
}
