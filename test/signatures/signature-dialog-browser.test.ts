import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { carT, validFields } from '../../src/cases/case-test-kit.ts';
import { ensureWebBuild } from '../../src/cli/web-build.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/platform/auth/demo-users.ts';
import { totpCodeForStep, totpStepAt } from '../../src/platform/auth/totp.ts';
import {
  type AccessTestServer,
  sessionCookieFor,
  startAccessTestServer,
} from '../access/access-test-server.ts';
import { CaseHttpKit, userFor } from '../cases/case-http-kit.ts';
import { launchBrowser, watchConsole } from '../support/browser.ts';
import { pgliteTarget } from '../support/test-databases.ts';

const COORDINATOR = 'coordinator@aurora.example';

describe('the signature dialog in headless Chromium: signing a case step and publishing a template', () => {
  let server: AccessTestServer;
  let browser: Browser;
  let caseId: string;
  before(async () => {
    await ensureWebBuild(() => {});
    server = await startAccessTestServer(pgliteTarget);
    const kit = await new CaseHttpKit(server).init();
    const v1 = await kit.as(COORDINATOR, 'GET', '/api/therapy/templates/car-t-autologous/versions/1');
    const draft = await kit.as(COORDINATOR, 'POST', '/api/therapy/templates', {
      document: { ...v1.body.template.document, version: 2, title: 'Autologous CAR-T cell therapy (v2)' },
    });
    assert.equal(draft.status, 201);
    caseId = await kit.openCarT();
    await kit.runUntil(caseId, 'qa_release');
    for (const task of kit.openStep(await kit.detail(caseId), 'qa_release').waitingFor.tasks)
      await kit.command(caseId, userFor(task.role), {
        type: 'complete_task',
        step: 'qa_release',
        task: task.key,
        fields: validFields(carT, 'qa_release', task.key),
      });
    browser = await launchBrowser();
    fs.mkdirSync('test-output', { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  // The server runs on a test clock, so sessions are made there rather than through the sign-in screens.
  async function pageAs(email: string) {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const cookie = await sessionCookieFor(server, email);
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    return { context, page: await context.newPage() };
  }
  const code = () => totpCodeForStep(DEMO_TOTP_SECRET, totpStepAt(server.clock.now()));

  test('a wrong password is refused in the dialog (still signed in); password and code sign and show the manifestation', async () => {
    const { context, page } = await pageAs('qa@aurora-leiden.example');
    const problems = watchConsole(page);
    await page.goto(`${server.url}/cases/${caseId}`);
    await page.getByRole('button', { name: 'Sign “QA release of the batch”' }).click();

    const dialog = page.getByRole('dialog');
    await dialog.getByText('“Release of the batch for infusion”').waitFor();
    await dialog
      .getByText('QA release of the batch: every value recorded on this step', { exact: false })
      .waitFor();
    await dialog.getByLabel('One-time code').waitFor();
    await dialog.getByLabel('Your password').fill('not my password');
    await dialog
      .getByLabel('One-time code')
      .fill(totpCodeForStep(DEMO_TOTP_SECRET, totpStepAt(server.clock.now())));
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await dialog.getByText(/password is not correct/).waitFor();
    await page.screenshot({ path: 'test-output/signature-dialog-refused.png' });
    // Still on the case, still signed in: the refusal was about the signature, not the session.
    assert.match(page.url(), new RegExp(`/cases/${caseId}$`));

    await dialog.getByLabel('Your password').fill(DEMO_PASSWORD);
    await dialog
      .getByLabel('One-time code')
      .fill(totpCodeForStep(DEMO_TOTP_SECRET, totpStepAt(server.clock.now())));
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await dialog.getByText('Your signature is recorded').waitFor();
    const manifestation = dialog.getByLabel('Signature manifestation');
    await manifestation.getByText('Pieter de Vries').waitFor();
    await manifestation.getByText(/UTC · \d{4}-\d\d-\d\d \d\d:\d\d CET \(Europe\/Amsterdam\)/).waitFor();
    await page.screenshot({ path: 'test-output/signature-dialog-signed.png' });
    await dialog.getByRole('button', { name: 'Done' }).click();

    // The step now shows one of two signatures given, with its manifestation.
    await page.getByText('1 of 2 given', { exact: false }).waitFor();
    await page.getByLabel('Signatures given').getByText('Pieter de Vries').waitFor();
    // The same person cannot give the second signature of a two-person release: no Sign button for them.
    assert.equal(await page.getByRole('button', { name: 'Sign “QA release of the batch”' }).count(), 0);
    await page.screenshot({ path: 'test-output/case-step-signed.png', fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a coordinator publishes a draft template version with their signature; the version then shows it', async () => {
    const { context, page } = await pageAs(COORDINATOR);
    const problems = watchConsole(page);
    await page.goto(`${server.url}/therapy/car-t-autologous/versions/2`);
    await page.getByRole('button', { name: 'Publish v2…' }).click();
    const reason = page.getByRole('dialog');
    await reason.getByLabel('Reason').fill('Clearer title for sites');
    await reason.getByRole('button', { name: 'Continue to signature' }).click();
    const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
    await dialog.getByText('“Approved for use”').waitFor();
    await dialog.getByText('Reason: Clearer title for sites').waitFor();
    await dialog.getByLabel('Your password').fill(DEMO_PASSWORD);
    await dialog.getByLabel('One-time code').fill(code());
    await dialog.getByRole('button', { name: 'Sign' }).click();
    const signed = page.getByRole('dialog', { name: 'Signed' });
    await signed.getByLabel('Signature manifestation').getByText('Priya Raman').waitFor();
    await page.screenshot({ path: 'test-output/template-publish-signed.png' });
    await signed.getByRole('button', { name: 'Done' }).click();
    const publication = page.getByLabel('Publication signature');
    await publication.getByText('Priya Raman').waitFor();
    await publication.getByText(/EST \(America\/New_York\)/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Publish v2…' }).count(), 0);
    await page.screenshot({ path: 'test-output/template-published.png', fullPage: false });
    assert.deepEqual(problems, []);
    await context.close();
  });
});
