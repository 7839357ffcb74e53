import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuild } from '../../src/cli/web-build.ts';
import { call, sessionCookieFor } from '../access/access-test-server.ts';
import { launchBrowser, signIn, watchConsole } from '../support/browser.ts';
import { pgliteTarget } from '../support/test-databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const COORDINATOR = 'centre.coordinator@st-elisabeth.example';
const SPONSOR_COORDINATOR = 'coordinator@aurora.example';

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The next Monday–Friday at least `days` after `day` (the demo centre is closed at weekends). */
function weekdayAfter(day: string, days: number): string {
  let next = addDays(day, days);
  while ([0, 6].includes(new Date(`${next}T00:00:00Z`).getUTCDay())) next = addDays(next, 1);
  return next;
}

/** Where and when one step of a shown chain takes place, read from its timeline. */
async function stepOf(page: Page, list: string, stepKey: string) {
  const item = page.getByRole('list', { name: list }).locator(`li[data-step="${stepKey}"]`);
  return {
    siteId: (await item.getAttribute('data-site-id')) ?? '',
    day: (await item.getAttribute('data-day')) ?? '',
  };
}

type DirectorySite = { id: string; code: string; name: string; kind: string; timeZone: string };

/** "06:00" and "CET"/"EST": a step's start on the site's own clock, as the timeline should show it. */
function siteClock(iso: string, timeZone: string): { time: string; zones: string[] } {
  const date = new Date(iso);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(
    date,
  );
  const zones = ['en-US', 'en-GB'].map(
    (locale) =>
      new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
        .formatToParts(date)
        .find((part) => part.type === 'timeZoneName')?.value ?? '',
  );
  return { time, zones };
}

/** Every step of a shown chain as "step@site@day", to tell two chains apart. */
async function chainSignature(page: Page, list: string): Promise<string> {
  const items = page.getByRole('list', { name: list }).locator('li[data-step]');
  const parts: string[] = [];
  for (let i = 0; i < (await items.count()); i++) {
    const item = items.nth(i);
    const values = await Promise.all(
      ['data-step', 'data-site-id', 'data-day'].map((name) => item.getAttribute(name)),
    );
    parts.push(values.join('@'));
  }
  return parts.join(' ');
}

describe('scheduling screens against the real API in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    await ensureWebBuild(() => {});
    server = await startTestServer(pgliteTarget, { demo: true });
    browser = await launchBrowser();
  });
  /** A session for calls the test makes as other people, straight from the store. */
  const apiSession = (email: string) =>
    sessionCookieFor({ database: server.database, clock: { now: () => new Date() } } as never, email);

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a centre coordinator finds chains for a demo case, holds and books one, sees it in the capacity calendar and previews a reschedule', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const problems = watchConsole(page);
    await page.goto(`${server.url}/cases`);
    await signIn(page, COORDINATOR);
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    await page.getByRole('link', { name: 'Jonas Weber' }).click();
    await page.getByRole('link', { name: 'Find slots' }).click();
    await page.waitForURL(/\/scheduling\?caseId=/);

    // Arriving from the case searches at once; the options stand side by side, each with its timeline.
    await page.getByRole('heading', { name: 'Option 1' }).waitFor();
    const options = page.getByRole('article');
    assert.ok((await options.count()) >= 2, 'more than one option is offered');
    const [first, second] = await options.evaluateAll((cards) =>
      cards.slice(0, 2).map((card) => card.getBoundingClientRect().toJSON() as DOMRect),
    );
    assert.ok(first && second);
    assert.equal(Math.round(first.top), Math.round(second.top), 'the options are in one row');
    assert.ok(second.left >= first.right, 'option 2 stands right of option 1');
    const steps = page.getByRole('list', { name: 'Steps of option 1' }).locator('li[data-step]');
    assert.equal(await steps.count(), 5, 'apheresis, manufacturing, QC release, conditioning, infusion');
    await page
      .getByText(/after apheresis/)
      .first()
      .waitFor();
    const plant = await stepOf(page, 'Steps of option 1', 'manufacturing');
    assert.match(plant.siteId, /^[0-9a-f-]{36}$/);
    // The plant is named as the network's directory names it, and its time is the plant's own.
    const directory = await call(server, 'GET', '/api/scheduling/sites', {
      cookie: await apiSession(COORDINATOR),
    });
    assert.equal(directory.status, 200);
    const plantSite = (directory.body.sites as DirectorySite[]).find((site) => site.id === plant.siteId);
    assert.ok(plantSite, 'the plant is in the site directory');
    const plantLabel = `${plantSite.name} (${plantSite.code})`;
    const plantItem = page
      .getByRole('list', { name: 'Steps of option 1' })
      .locator('li[data-step="manufacturing"]');
    await plantItem.getByText(plantLabel, { exact: true }).waitFor();
    const startsAt = (await plantItem.locator('time').getAttribute('datetime')) ?? '';
    const clock = siteClock(startsAt, plantSite.timeZone);
    const shownTime = (await plantItem.innerText()).replace(/\s+/g, ' ');
    assert.ok(
      shownTime.includes(clock.time) && clock.zones.some((zone) => shownTime.includes(zone)),
      `"${shownTime}" shows ${clock.time} ${clock.zones.join(' or ')} (${plantSite.timeZone})`,
    );
    assert.ok(shownTime.includes(`${startsAt.slice(11, 16)}–`), 'and the UTC time beside it');
    await page.screenshot({ path: '/tmp/scheduling-finder.png', fullPage: true });

    // "Why no slot?" lists the exclusions the search made.
    await page.getByRole('button', { name: 'Why no slot?' }).click();
    await page.getByRole('heading', { name: 'Why no slot?' }).waitFor();

    // Hold option 1: the countdown runs; confirming books it.
    await page.getByRole('button', { name: 'Hold option 1' }).click();
    await page.getByText('Slots held for you').waitFor();
    await page.getByText(/\d+:\d\d left/).waitFor();
    await page.screenshot({ path: '/tmp/scheduling-hold.png', fullPage: false });
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.getByText(/the chain is booked/).waitFor();
    await page.getByRole('link', { name: 'Open the booking' }).first().click();
    await page.waitForURL(/\/scheduling\/bookings\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: /^Booking CW-/ }).waitFor();
    await page.getByText('Booked', { exact: true }).first().waitFor();
    const bookingUrl = page.url();

    // The plant's capacity calendar counts the booked unit on the manufacturing day.
    await page.getByRole('link', { name: plantLabel }).click();
    await page.waitForURL(/\/scheduling\/capacity\?siteId=/);
    const booked = page.locator('td[data-day][aria-label*=" 1 booked"]');
    await booked.first().waitFor();
    assert.equal(await booked.count(), 1, 'exactly one day has the booked manufacturing start');
    assert.equal(await booked.getAttribute('data-day'), plant.day);
    assert.match((await booked.getAttribute('aria-label')) ?? '', /capacity 3, 1 booked, 0 held, 2 free/);
    assert.equal(await page.getByRole('combobox', { name: 'Site' }).inputValue(), plantLabel);
    await page.screenshot({ path: '/tmp/scheduling-capacity.png', fullPage: true });

    // Another site is found by typing part of its name; its work types are offered.
    const centreSite = (directory.body.sites as DirectorySite[]).find((site) => site.code === 'STE-HAEM');
    assert.ok(centreSite);
    await page.getByRole('combobox', { name: 'Site' }).fill(centreSite.name.slice(0, 12));
    await page.getByRole('option', { name: `${centreSite.name} (${centreSite.code})` }).click();
    await page.waitForURL(new RegExp(`siteId=${centreSite.id}`));
    await page.getByRole('combobox', { name: 'Work type' }).click();
    await page.getByRole('option', { name: 'Infusion', exact: true }).click();
    await page.waitForURL(/workType=infusion/);
    await page
      .locator('table.capacity-grid caption', {
        hasText: `Infusion capacity of ${centreSite.name} (${centreSite.code}) per day`,
      })
      .waitFor({ state: 'attached' });
    assert.ok((await page.locator('td[data-day][aria-label*="capacity 2,"]').count()) > 0, 'infusion slots');

    // Reschedule the apheresis a day later: the later steps follow, shown before/after side by side.
    await page.goto(bookingUrl);
    await page.getByRole('heading', { name: 'Reschedule a step' }).waitFor();
    const apheresis = await stepOf(page, 'Steps of the booked chain', 'apheresis');
    const newDay = weekdayAfter(apheresis.day, 1);
    const reschedule = page.getByRole('form', { name: 'Reschedule a step' });
    await reschedule.getByLabel('Step').click();
    await page.getByRole('option', { name: /^Apheresis/ }).click();
    await reschedule.getByLabel('New day').fill(newDay);
    await reschedule.getByLabel('Reason').fill('The patient’s blood counts need one more day');
    await page.getByRole('button', { name: 'Preview the cascade' }).click();
    await page.getByRole('list', { name: 'The chain before the re-plan' }).waitFor();
    await page.screenshot({ path: '/tmp/scheduling-reschedule.png', fullPage: true });
    await page.getByRole('list', { name: 'The chain after the re-plan' }).waitFor();
    await page.getByText('Moved as you asked').first().waitFor();
    assert.equal((await stepOf(page, 'The chain before the re-plan', 'apheresis')).day, apheresis.day);
    assert.equal((await stepOf(page, 'The chain after the re-plan', 'apheresis')).day, newDay);
    const manufacturingAfter = await stepOf(page, 'The chain after the re-plan', 'manufacturing');
    assert.ok(manufacturingAfter.day > plant.day, 'manufacturing follows the later apheresis');
    await page.getByRole('button', { name: 'Accept the re-plan' }).click();
    await page.getByText(/The chain is re-planned/).waitFor();
    assert.equal((await stepOf(page, 'Steps of the booked chain', 'apheresis')).day, newDay);
    assert.equal(
      (await stepOf(page, 'Steps of the booked chain', 'manufacturing')).day,
      manufacturingAfter.day,
    );

    // The plant reports a delay, and the patient has another appointment on the infusion day: the
    // coordinator sees the plant's proposal and the conflict with ways to resolve it.
    const bookingId = bookingUrl.split('/').pop() as string;
    const coordinator = await apiSession(COORDINATOR);
    const plantStaff = await apiSession('manufacturing@aurora-leiden.example');
    const { body } = await call(server, 'GET', `/api/scheduling/bookings/${bookingId}`, {
      cookie: coordinator,
    });
    const infusion = body.booking.steps.find((step: { stepKey: string }) => step.stepKey === 'infusion');
    const appointment = await call(
      server,
      'POST',
      `/api/scheduling/cases/${body.booking.caseId}/appointments`,
      {
        cookie: coordinator,
        body: { label: 'Cardiology check-up', startsAt: infusion.startsAt, endsAt: infusion.endsAt },
      },
    );
    assert.equal(appointment.status, 201, JSON.stringify(appointment.body));
    const delay = await call(server, 'POST', `/api/scheduling/bookings/${bookingId}/delays`, {
      cookie: plantStaff,
      body: { stepKey: 'qa_release', delayHours: 24, reason: 'Sterility test repeated' },
    });
    assert.equal(delay.status, 201, JSON.stringify(delay.body));
    await page.reload();
    await page.getByRole('heading', { name: 'Delays reported by the plant' }).waitFor();
    await page.getByText(/Sterility test repeated/).waitFor();
    await page
      .getByText(/overlaps/)
      .first()
      .waitFor();
    await page.getByText('Ways to resolve it:').first().waitFor();
    await page.screenshot({ path: '/tmp/scheduling-booking.png', fullPage: true });
    if (delay.body.proposal.feasible) {
      await page.getByRole('button', { name: 'Accept the proposal' }).click();
      await page.getByText(/The plant's delay is accepted/).waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Delays reported by the plant' }).count(), 0);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('when someone takes a unit of the chosen chain first, the coordinator is told and picks one of the alternatives', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await page.goto(`${server.url}/cases`);
    // The sponsor's coordinator books everywhere; another account than the first test's, whose
    // one-time code of this 30-second step is already used.
    await signIn(page, SPONSOR_COORDINATOR);
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    await page.getByRole('link', { name: 'Miriam Schulz' }).click();
    await page.getByRole('link', { name: 'Find slots' }).click();
    await page.getByRole('heading', { name: 'Option 1' }).waitFor();
    const shown = await chainSignature(page, 'Steps of option 1');
    const steps = await page
      .getByRole('list', { name: 'Steps of option 1' })
      .locator('li[data-step]')
      .evaluateAll((items) =>
        items.map((item) => ({
          stepKey: item.getAttribute('data-step'),
          siteId: item.getAttribute('data-site-id'),
          day: item.getAttribute('data-day'),
        })),
      );
    const centre = steps.at(-1)?.siteId;

    // Meanwhile other patients' chains are held on the same slots, until one of them is full.
    const cookie = await apiSession(COORDINATOR);
    let status = 201;
    for (let n = 1; n <= 6 && status === 201; n++) {
      const held = await call(server, 'POST', '/api/scheduling/holds', {
        cookie,
        body: { therapyCode: 'car-t-autologous', treatmentCentreId: centre, caseRef: `OTHER-${n}`, steps },
      });
      status = held.status;
      assert.ok(status === 201 || status === 409, JSON.stringify(held.body));
    }
    assert.equal(status, 409, 'the chain filled up');

    await page.getByRole('button', { name: 'Hold option 1' }).click();
    await page.getByText('Someone just took this slot').waitFor();
    await page.getByRole('heading', { name: 'Options still free' }).waitFor();
    await page.screenshot({ path: '/tmp/scheduling-taken.png', fullPage: true });
    assert.notEqual(
      await chainSignature(page, 'Steps of option 1'),
      shown,
      'the alternative is another chain',
    );
    await page.getByRole('button', { name: 'Hold option 1' }).click();
    await page.getByText('Slots held for you').waitFor();
    // No chain before a too-early latest infusion date: the reasons show without asking.
    const finder = page.getByRole('form', { name: 'Find slot chains' });
    const tomorrow = await finder.getByLabel('Earliest date').inputValue();
    await finder.getByLabel('Latest infusion date').fill(addDays(tomorrow, 3));
    await finder.getByRole('button', { name: 'Find slot chains' }).click();
    await page.getByRole('heading', { name: 'No chain fits' }).waitFor();
    await page.getByRole('heading', { name: 'Why no slot?' }).waitFor();
    assert.ok((await page.getByRole('row').count()) > 1, 'the exclusions are listed');

    // A day in the past is refused by the server, and the refusal is shown at the field.
    await finder.getByLabel('Latest infusion date').fill('');
    await finder.getByLabel('Earliest date').fill(addDays(tomorrow, -2));
    await finder.getByRole('button', { name: 'Find slot chains' }).click();
    await page.locator('input[aria-invalid="true"][type="date"]').first().waitFor();
    assert.equal(await finder.getByLabel('Earliest date').getAttribute('aria-invalid'), 'true');

    // On a narrow screen the options stack, one under the other.
    await finder.getByLabel('Earliest date').fill(tomorrow);
    await finder.getByRole('button', { name: 'Find slot chains' }).click();
    await page.getByRole('heading', { name: 'Option 2' }).waitFor();
    await page.setViewportSize({ width: 760, height: 1000 });
    // Measured in one go in the page, once the new layout is drawn.
    await page.waitForFunction(() => {
      const [first, second] = [...document.querySelectorAll('article')].map((e) => e.getBoundingClientRect());
      return first !== undefined && second !== undefined && second.top >= first.bottom;
    });
    await page.screenshot({ path: '/tmp/scheduling-narrow.png', fullPage: false });

    // A therapy at a centre, without a case: the centre is chosen by its name.
    await page.setViewportSize({ width: 1280, height: 900 });
    await finder.getByText('A therapy at a centre', { exact: true }).click();
    await finder.getByRole('combobox', { name: /^Therapy/ }).click();
    await page.getByRole('option', { name: /\(car-t-autologous\)$/ }).click();
    await finder.getByRole('combobox', { name: /^Treatment centre/ }).fill('Blood and Marrow');
    await page.getByRole('option', { name: 'Blood and Marrow Transplant Program (LCC-BMT)' }).click();
    await finder.getByRole('button', { name: 'Find slot chains' }).click();
    const chain = page.getByRole('list', { name: 'Steps of option 1' });
    await chain
      .locator('li[data-step="manufacturing"]')
      .getByText('Morris Plains cell processing facility (ANJ-PLANT)')
      .waitFor();
    // The Chicago centre's infusion is on Chicago's clock.
    const infusion = chain.locator('li[data-step="infusion"]');
    await infusion.getByText('Blood and Marrow Transplant Program (LCC-BMT)').waitFor();
    assert.match(await infusion.innerText(), /\b(CST|CDT)\b/);
    await page.screenshot({ path: '/tmp/scheduling-therapy-at-centre.png', fullPage: false });
    assert.deepEqual(problems, []);
    await page.close();
  });
  test('the plant sees the bookings that use its sites and reports a delay for the treatment centre to accept', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await page.goto(`${server.url}/scheduling`);
    await signIn(page, 'manufacturing@aurora-leiden.example');
    await page.getByRole('heading', { name: 'Finding and booking slots is for coordinators' }).waitFor();
    await page.getByRole('link', { name: 'Bookings', exact: true }).click();
    await page.getByRole('heading', { name: 'Requests for your unpublished slots' }).waitFor();
    const booked = page.getByRole('row').filter({ hasText: 'Booked' });
    await booked.first().waitFor();
    await booked.first().getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Report a delay' }).waitFor();
    assert.equal(
      await page.getByRole('heading', { name: 'Reschedule a step' }).count(),
      0,
      'only the centre re-plans',
    );
    const form = page.getByRole('form', { name: 'Report a delay' });
    await form.getByLabel('Delay in hours').fill('48');
    await form.getByLabel('Reason').fill('Cell expansion is slower than expected');
    await form.getByRole('button', { name: 'Report the delay' }).click();
    await page.getByText(/The delay is reported/).waitFor();
    await page.getByText(/Cell expansion is slower than expected/).waitFor();
    await page.screenshot({ path: '/tmp/scheduling-plant.png', fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
