import { pathToFileURL } from 'node:url';
import { caseJobHandlers } from '../../cases/case-timers.ts';
import { schedulingJobHandlers } from '../../scheduling/hold-expiry.ts';
import type { JobSettings, MailSettings } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createSmtpMailer, senderDomain } from '../mail/smtp-mailer.ts';
import { outboxJobHandlers } from '../outbox/outbox-delivery.ts';
import type { JobHandlers } from './job-handler.ts';

export const TEST_KIND_PREFIX = 'test.';

/**
 * Every job kind this installation runs, composed in one place: a capability that needs background
 * work or timers adds its handlers here (`...caseJobHandlers(deps)`), and each kind has exactly
 * one owner.
 */
export async function installedJobHandlers(deps: {
  mail: MailSettings;
  jobs: JobSettings;
  logger: Logger;
}): Promise<{ handlers: JobHandlers; close(): void }> {
  const mailer = deps.mail.smtpUrl
    ? createSmtpMailer({ smtpUrl: deps.mail.smtpUrl, from: deps.mail.from })
    : undefined;
  if (!mailer) deps.logger.warn('SMTP_URL is not set: email stays held in the outbox, readable in the app');
  const handlers: JobHandlers = {
    ...outboxJobHandlers({ mailer, mailDomain: senderDomain(deps.mail.from) }),
    ...caseJobHandlers(),
    ...schedulingJobHandlers(),
  };
  if (deps.jobs.testHandlersModule) {
    const extra = await loadTestJobHandlers(deps.jobs.testHandlersModule);
    deps.logger.warn(
      { module: deps.jobs.testHandlersModule, kinds: Object.keys(extra) },
      'test job handlers loaded',
    );
    Object.assign(handlers, extra);
  }
  return { handlers, close: () => mailer?.close() };
}

/**
 * Tests that run real server processes (kill -9 mid-job, several processes sharing the queue) need
 * job kinds of their own. CELLWAY_TEST_JOB_HANDLERS names a module exporting `testJobHandlers`; its
 * kinds must start with "test.", so it can add kinds but never replace one the product runs.
 */
export async function loadTestJobHandlers(modulePath: string): Promise<JobHandlers> {
  const loaded = (await import(pathToFileURL(modulePath).href)) as { testJobHandlers?: unknown };
  const handlers = loaded.testJobHandlers;
  if (!handlers || typeof handlers !== 'object')
    throw new Error(`CELLWAY_TEST_JOB_HANDLERS: ${modulePath} exports no testJobHandlers object`);
  for (const kind of Object.keys(handlers))
    if (!kind.startsWith(TEST_KIND_PREFIX))
      throw new Error(`CELLWAY_TEST_JOB_HANDLERS: job kind "${kind}" must start with "${TEST_KIND_PREFIX}"`);
  return handlers as JobHandlers;
}
