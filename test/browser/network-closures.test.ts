import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../src/cli/web-build.ts';
import { launchBrowser, signIn, watchConsole } from '../support/browser.ts';
import { pgliteTarget } from '../support/test-databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const NETWORK_ADMIN = 'coordinator@aurora.example';
const CENTRE = 'centre.coordinator@st-elisabeth.example';

const dayAfter = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('closures panel on the capacity page, in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let siteId = '';
  before(async () => {
    await ensureWebBuild(() => {});
    server = await startTestServer(pgliteTarget, { demo: true });
    browser = await launchBrowser();
    siteId = (
      await server.database.db
        .selectFrom('sites')
        .select('id')
        .where('code', '=', 'NBA-MAIN')
        .executeTakeFirstOrThrow()
    ).id;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a network administrator closes a site with a reason and lifts the closure again', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems = watchConsole(page);
    await page.goto(`${server.url}/scheduling/capacity?siteId=${siteId}`);
    await signIn(page, NETWORK_ADMIN);
    const panel = page.getByRole('region', { name: 'Closures' });
    await panel.getByText('No closures.').waitFor();
    const form = panel.getByRole('form', { name: 'Add a closure' });
    await form.getByRole('button', { name: 'Add closure' }).click();
    await form.getByText('Say why the site is closed').waitFor();
    const from = dayAfter(20);
    const to = dayAfter(22);
    await form.getByLabel('First closed day').fill(from);
    await form.getByLabel('Last closed day').fill(to);
    await form.getByLabel('Reason').fill('Annual maintenance');
    await form.getByRole('button', { name: 'Add closure' }).click();
    await panel.getByText(`${from} to ${to}: Annual maintenance`).waitFor();
    await page.screenshot({ path: '/tmp/network-closures.png', fullPage: true });
    const stored = await server.database.db
      .selectFrom('scheduling_sites')
      .select('closures')
      .where('site_id', '=', siteId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      (stored.closures as { from: string; to: string; reason: string }[]).map((c) => [
        c.from,
        c.to,
        c.reason,
      ]),
      [[from, to, 'Annual maintenance']],
    );

    await panel.getByLabel('Reason for lifting a closure').fill('Maintenance postponed');
    await panel.getByRole('button', { name: 'Lift' }).click();
    await panel.getByText('No closures.').waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a centre coordinator sees the capacity calendar without the closures panel', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${server.url}/scheduling/capacity?siteId=${siteId}`);
    await signIn(page, CENTRE);
    await page.getByRole('combobox', { name: 'Site' }).waitFor();
    await page.locator('table.capacity-grid').first().waitFor();
    assert.equal(await page.getByRole('region', { name: 'Closures' }).count(), 0);
    await page.close();
  });
});
