import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../src/cli/web-build.ts';
import { launchBrowser, signIn, watchConsole } from '../support/browser.ts';
import { pgliteTarget } from '../support/test-databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe('sign-in, administration and audit screens in headless Chromium', () => {
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

  test('a signed-out visitor gets the sign-in screen inside the shell, and a wrong password says so', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/cases`);
    await page.waitForURL(/\/login\?next=%2Fcases$/);
    await page.getByTestId('app-shell').waitFor();
    await page.getByText('Database ready').first().waitFor();
    await page.locator('input[name=email]').fill('admin@aurora.example');
    await page.locator('input[name=password]').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong email or password').waitFor();
    assert.deepEqual(problems, []);
  });

  test('an administrator signs in with a second factor and lands on the page they asked for', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchConsole(page);
    await page.goto(`${server.url}/admin`);
    await signIn(page, 'admin@aurora.example');
    await page.waitForURL(/\/admin\/partners$/);
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await page.getByText('St. Elisabeth University Hospital').first().waitFor();
    for (const tab of ['Partners', 'Users', 'API clients', 'Failed jobs', 'Outbox'])
      assert.ok(await page.getByRole('tab', { name: tab }).isVisible(), `${tab} tab is visible`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Administration' }).count(), 1);
    assert.equal(
      await nav.getByRole('link', { name: 'Audit trail' }).count(),
      0,
      'an admin is not an auditor',
    );

    await page.getByRole('tab', { name: 'Users' }).click();
    await page.waitForURL(/\/admin\/users$/);
    await page.getByText('nurse@st-elisabeth.example').waitFor();
    await page.screenshot({ path: 'test-output/auth-admin-users.png', fullPage: true });

    await page.getByRole('button', { name: /^Account: Hannah Kim/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/login/);
    await page.getByText('You have signed out of Cellway.').waitFor();
    assert.deepEqual(problems, []);
  });

  test('a nurse is told plainly that administration is not for them, and sees no link to it', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/admin`);
    await signIn(page, 'nurse@st-elisabeth.example');
    await page.getByText("You don't have access to this page").waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Administration' }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'Audit trail' }).count(), 0);
    assert.deepEqual(problems, []);
  });

  test('an inspector reads the audit trail, opens an entry and asks for its proof', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchConsole(page);
    await page.goto(`${server.url}/audit`);
    await signIn(page, 'inspector@aurora.example');
    await page.waitForURL(/\/audit$/);
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    await page
      .getByRole('button', { name: /^Show details of / })
      .first()
      .click();
    await page.getByRole('button', { name: 'Proof' }).first().click();
    // Either the proof, or the honest "not in a checkpoint yet" when the entry is newer than the last one.
    await page
      .getByText(/Inclusion proof \(JSON\)|Not in a checkpoint yet/)
      .first()
      .waitFor();
    await page.screenshot({ path: 'test-output/auth-audit.png' });
    assert.deepEqual(problems, []);
  });
});
