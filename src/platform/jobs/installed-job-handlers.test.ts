import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CASE_TIMER_JOB } from '../../cases/case-timers.ts';
import { HOLD_EXPIRY_JOB } from '../../scheduling/booking-store.ts';
import { createLogger } from '../logger.ts';
import { DELIVER_OUTBOX_MESSAGE } from '../outbox/outbox-store.ts';
import { installedJobHandlers, loadTestJobHandlers } from './installed-job-handlers.ts';

const TEST_HANDLERS = fileURLToPath(new URL('../../../test/jobs/test-job-handlers.ts', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-handlers-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const jobs = { concurrency: 1, pollMs: 500, leaseMs: 60_000, testHandlersModule: undefined };
const mail = { smtpUrl: undefined, from: 'Cellway <no-reply@cellway.local>' };

describe('installed job handlers', () => {
  test('the product runs outbox delivery; test kinds are added only through CELLWAY_TEST_JOB_HANDLERS', async () => {
    const plain = await installedJobHandlers({ mail, jobs, logger: createLogger('silent') });
    assert.deepEqual(Object.keys(plain.handlers), [DELIVER_OUTBOX_MESSAGE, CASE_TIMER_JOB, HOLD_EXPIRY_JOB]);
    const withTests = await installedJobHandlers({
      mail,
      jobs: { ...jobs, testHandlersModule: TEST_HANDLERS },
      logger: createLogger('silent'),
    });
    assert.deepEqual(Object.keys(withTests.handlers).sort(), [
      CASE_TIMER_JOB,
      DELIVER_OUTBOX_MESSAGE,
      HOLD_EXPIRY_JOB,
      'test.side-effect',
      'test.slow-side-effect',
    ]);
  });

  test('a test module cannot replace a product job kind', async () => {
    const hijack = path.join(dir, 'hijack.mjs');
    fs.writeFileSync(
      hijack,
      `export const testJobHandlers = { '${DELIVER_OUTBOX_MESSAGE}': async () => {} };\n`,
    );
    await assert.rejects(
      loadTestJobHandlers(hijack),
      /job kind "deliver-outbox-message" must start with "test\."/,
    );
  });

  test('a module without testJobHandlers is refused with the setting named', async () => {
    const empty = path.join(dir, 'empty.mjs');
    fs.writeFileSync(empty, 'export const somethingElse = 1;\n');
    await assert.rejects(
      loadTestJobHandlers(empty),
      /CELLWAY_TEST_JOB_HANDLERS: .* exports no testJobHandlers/,
    );
  });
});
