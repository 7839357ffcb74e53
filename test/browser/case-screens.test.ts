import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../src/cli/web-build.ts';
import { launchBrowser, signIn, watchConsole } from '../support/browser.ts';
import { pgliteTarget } from '../support/test-databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe('therapy, case and work screens against the real API in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    await ensureWebBuild(() => {});
    server = await startTestServer(pgliteTarget, { demo: true });
    browser = await launchBrowser();
    fs.mkdirSync('test-output', { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a coordinator finds the demo cases, opens one and sees where it is stuck; the CAR-T flow is drawn', async () => {
    const page = await browser.newPage({ viewport: { width: 1180, height: 820 } });
    const problems = watchConsole(page);
    await page.goto(`${server.url}/cases`);
    await signIn(page, 'coordinator@aurora.example');
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 4, 'the four demo cases are listed');
    await page.screenshot({ path: 'test-output/cases.png', fullPage: true });

    await rows.first().getByRole('link').first().click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await page
      .getByText(/Where is it now/i)
      .first()
      .waitFor();
    await page.screenshot({ path: 'test-output/case-page.png', fullPage: true });

    await page.goto(`${server.url}/therapy`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.getByRole('link', { name: /CAR-T/i }).first().click();
    await page.getByText('Apheresis').first().waitFor();
    await page.screenshot({ path: 'test-output/therapy-flow.png', fullPage: false });

    await page.goto(`${server.url}/my-work`);
    await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
    assert.deepEqual(problems, []);
  });
});
