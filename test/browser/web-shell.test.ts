import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../src/cli/web-build.ts';
import { launchBrowser, signIn, watchConsole } from '../support/browser.ts';
import { pgliteTarget } from '../support/test-databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe('web app shell in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    await ensureWebBuild(() => {});
    server = await startTestServer(pgliteTarget, { demo: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the shell renders the navigation and the demo network without console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchConsole(page);

    const response = await page.goto(server.url);
    assert.equal(response?.status(), 200);
    await page.getByTestId('app-shell').waitFor();
    // Signed out, the shell shows the sign-in screen; a coordinator signs in with the second factor.
    await signIn(page, 'coordinator@aurora.example');
    await page.getByText('Aurora Cell Therapeutics').first().waitFor();
    await page.getByText('Database ready').first().waitFor();
    for (const label of ['Cases', 'Scheduling', 'Provider portal', 'Patient portal'])
      assert.ok(
        await page.getByRole('link', { name: label }).first().isVisible(),
        `${label} link is visible`,
      );

    fs.mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/web-shell.png', fullPage: true });

    await page.getByRole('link', { name: 'Cases' }).first().click();
    await page.waitForURL(/\/cases$/);
    // The page loads on demand: wait for its own heading rather than whichever h1 is there first.
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    assert.deepEqual(problems, []);
  });

  test('a deep link is served by the app, and an unknown page says so', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/patient-portal`);
    assert.equal(response?.status(), 200);
    await page.getByTestId('app-shell').waitFor();
    await page.goto(`${server.url}/no-such-page`);
    await page
      .getByText(/not found/i)
      .first()
      .waitFor();
  });
});
