import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuild } from '../../src/cli/web-build.ts';
import { launchBrowser, signIn, watchConsole } from '../support/browser.ts';
import { pgliteTarget } from '../support/test-databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const ADMIN = 'admin@aurora.example';
// The administrator signs in with a one-time code that cannot be used twice, so the second test is the
// programme coordinator's, who also administers the network.
const NETWORK_COORDINATOR = 'coordinator@aurora.example';
const CENTRE = 'centre.coordinator@st-elisabeth.example';

interface Network {
  calendars: { siteId: string; code: string; name: string; kind: string; openingHours: unknown[] }[];
  routes: { fromSiteId: string; toSiteId: string; leg: string; transportHours: number }[];
  preferredSiteSets: {
    treatmentCentreId: string;
    therapyCode: string;
    rank: number;
    collectionSiteIds: string[];
    plantIds: string[];
  }[];
}

/** The label the screens give a site: its name and code. */
function siteNameOf(network: Network, siteId: string): string {
  const site = network.calendars.find((c) => c.siteId === siteId);
  return site ? `${site.name} (${site.code})` : siteId;
}

async function networkAsSeenBy(page: Page, url: string): Promise<Network> {
  const response = await page.request.get(`${url}/api/scheduling/network`);
  assert.equal(response.status(), 200);
  return (await response.json()) as Network;
}

/** Picks `label` in the Mantine select called `name` inside `scope`. */
async function choose(page: Page, scope: ReturnType<Page['locator']>, name: string, label: string) {
  await scope.getByRole('combobox', { name }).click();
  await page.getByRole('option', { name: label, exact: true }).click();
}

describe('network screen, in headless Chromium', () => {
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

  test('an administrator changes opening hours, is shown a bad time, and adds a route', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems = watchConsole(page);
    await page.goto(`${server.url}/scheduling/network?siteId=${siteId}`);
    await signIn(page, ADMIN);
    await page
      .getByRole('navigation', { name: 'Scheduling' })
      .getByRole('link', { name: 'Network' })
      .waitFor();
    const hours = page.getByRole('region', { name: 'Opening hours' });
    await hours.getByLabel('Monday opens').waitFor();

    // Closing before opening is refused by the server and shown on that weekday's field.
    const monday = hours.getByRole('switch', { name: 'Monday open' });
    if (!(await monday.isChecked())) await monday.check({ force: true });
    await hours.getByLabel('Monday opens').fill('08:00');
    await hours.getByLabel('Monday closes').fill('07:00');
    await hours.getByLabel('Reason').fill('Shorter Monday');
    await hours.getByRole('button', { name: 'Save opening hours' }).click();
    await hours.getByText(/Must be after opens/).waitFor();
    await hours.screenshot({ path: '/tmp/scheduling-network-error.png' });
    assert.equal(await hours.getByRole('status').count(), 0);

    // A good change is saved and is what the API now reports.
    await hours.getByLabel('Monday closes').fill('15:30');
    const saturday = hours.getByRole('switch', { name: 'Saturday open' });
    if (!(await saturday.isChecked())) await saturday.check({ force: true });
    await hours.getByLabel('Saturday opens').fill('09:00');
    await hours.getByLabel('Saturday closes').fill('12:00');
    await hours.getByRole('button', { name: 'Save opening hours' }).click();
    await hours.getByRole('status').getByText('Opening hours saved.').waitFor();
    const calendar = (await networkAsSeenBy(page, server.url)).calendars.find((c) => c.siteId === siteId);
    assert.deepEqual(
      calendar?.openingHours.filter((h) => [1, 6].includes((h as { weekday: number }).weekday)),
      [
        { weekday: 1, opens: '08:00', closes: '15:30' },
        { weekday: 6, opens: '09:00', closes: '12:00' },
      ],
    );

    // A new route: a collection site and a plant not yet joined.
    const network = await networkAsSeenBy(page, server.url);
    const routed = new Set(network.routes.map((r) => `${r.fromSiteId}:${r.toSiteId}`));
    const collection = network.calendars.filter((c) =>
      ['collection_centre', 'treatment_centre'].includes(c.kind),
    );
    const plants = network.calendars.filter((c) => c.kind === 'manufacturing_site');
    const pair = collection
      .flatMap((from) => plants.map((to) => ({ from, to })))
      .find(({ from, to }) => !routed.has(`${from.siteId}:${to.siteId}`));
    assert.ok(pair, 'the demo network has a collection site and a plant without a route');
    const routes = page.getByRole('region', { name: 'Routes' });
    const form = routes.getByRole('form', { name: 'Add a route' });
    await choose(page, form, 'From', `${pair.from.name} (${pair.from.code})`);
    await choose(page, form, 'To', `${pair.to.name} (${pair.to.code})`);
    await form.getByLabel('Transport hours').fill('7.5');
    await form.getByLabel('Reason').fill('New courier lane');
    await form.getByRole('button', { name: 'Add route' }).click();
    const row = routes
      .getByRole('table', { name: 'Routes' })
      .getByRole('row')
      .filter({ hasText: `${pair.from.name} (${pair.from.code})` })
      .filter({ hasText: `${pair.to.name} (${pair.to.code})` });
    await row.getByText('7.5 h').waitFor();
    assert.ok(
      (await networkAsSeenBy(page, server.url)).routes.some(
        (r) => r.fromSiteId === pair.from.siteId && r.toSiteId === pair.to.siteId && r.transportHours === 7.5,
      ),
    );

    // A route a preferred site set depends on cannot be removed: the server's reason is shown.
    const used = network.preferredSiteSets[0];
    if (used) {
      const from = network.calendars.find((c) => c.siteId === used.collectionSiteIds[0]);
      const to = network.calendars.find((c) => c.siteId === used.plantIds[0]);
      assert.ok(from && to);
      await routes
        .getByRole('button', { name: `Remove ${from.name} (${from.code}) → ${to.name} (${to.code})` })
        .click();
      const removal = routes.getByRole('form', { name: /^Remove the route/ });
      await removal.getByLabel('Reason').fill('Lane closed');
      await removal.getByRole('button', { name: 'Remove route' }).click();
      const alert = removal.getByRole('alert');
      await alert.waitFor();
      assert.match((await alert.textContent()) ?? '', /HTTP 409/);
    }
    await page.screenshot({ path: '/tmp/scheduling-network-admin.png', fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a programme coordinator reorders a centre’s preferred site sets with a reason', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems = watchConsole(page);
    await page.goto(`${server.url}/scheduling/network`);
    await signIn(page, NETWORK_COORDINATOR);
    const sets = page.getByRole('region', { name: 'Preferred site sets' });
    await sets.getByRole('article', { name: 'Rank 1' }).waitFor();
    const before = await networkAsSeenBy(page, server.url);
    const ranked = (list: Network['preferredSiteSets'], centreId: string, therapyCode: string) =>
      list
        .filter((set) => set.treatmentCentreId === centreId && set.therapyCode === therapyCode)
        .sort((a, b) => a.rank - b.rank)
        .map((set) => set.plantIds);
    const chosen = before.preferredSiteSets.find((set) => set.rank === 2);
    assert.ok(chosen, 'the demo network has a centre and therapy with two ranked sets');
    const { treatmentCentreId, therapyCode } = chosen;
    const original = ranked(before.preferredSiteSets, treatmentCentreId, therapyCode);
    await choose(page, sets, 'Treatment centre', siteNameOf(before, treatmentCentreId));
    await sets
      .getByRole('group', { name: 'Therapies with preferred sets at this centre' })
      .getByRole('button', { name: therapyCode, exact: true })
      .click();
    await sets.getByRole('article', { name: 'Rank 2' }).waitFor();

    await sets.getByRole('button', { name: 'Move rank 2 up' }).click();
    await sets.getByRole('button', { name: 'Save preferred sets' }).click();
    await sets.getByText('Say why the preferred sets change').waitFor();
    await sets.getByLabel('Reason').fill('Leiden is full this quarter');
    await sets.getByRole('button', { name: 'Save preferred sets' }).click();
    await sets.getByRole('status').getByText('Preferred sets saved.').waitFor();
    await sets.screenshot({ path: '/tmp/scheduling-network-sets.png' });
    const after = ranked(
      (await networkAsSeenBy(page, server.url)).preferredSiteSets,
      treatmentCentreId,
      therapyCode,
    );
    assert.deepEqual(after, [original[1], original[0], ...original.slice(2)]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a centre coordinator sees the network read-only', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems = watchConsole(page);
    await page.goto(`${server.url}/scheduling`);
    await signIn(page, CENTRE);
    await page.getByRole('navigation', { name: 'Scheduling' }).getByRole('link', { name: 'Network' }).click();
    await page.getByText('Read only').waitFor();
    const hours = page.getByRole('region', { name: 'Opening hours' });
    await hours.getByRole('row', { name: /^Monday/ }).waitFor();
    assert.equal(await hours.locator('input').count(), 0);
    assert.equal(await page.getByRole('region', { name: 'Routes' }).locator('input').count(), 0);
    assert.equal(
      await hours
        .getByRole('row', { name: /^Monday/ })
        .getByText('Open', { exact: true })
        .count(),
      1,
    );
    assert.equal(await page.getByRole('button', { name: /^Save/ }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^(Edit|Remove|Add)/ }).count(), 0);
    assert.ok((await page.getByRole('table', { name: 'Routes' }).getByRole('row').count()) > 1);
    await page.screenshot({ path: '/tmp/scheduling-network-readonly.png', fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
