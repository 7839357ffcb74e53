import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuild } from '../../src/cli/web-build.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/platform/auth/demo-users.ts';
import { totpCodeForStep, totpStepAt } from '../../src/platform/auth/totp.ts';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import { CustodyHttpKit } from '../custody/custody-http-kit.ts';
import { launchBrowser, watchConsole } from '../support/browser.ts';
import { pgliteTarget } from '../support/test-databases.ts';

const COURIER = 'courier@coldpath.example';
const NURSE = 'nurse@st-elisabeth.example';
const NURSE2 = 'nurse2@st-elisabeth.example';
const TABLET = { width: 768, height: 1024 };
const DESKTOP = { width: 1280, height: 900 };

/** "W999926000001X" → "W9999 26 000001 X", as the screens print it. */
const eyeReadable = (id: string) => id.replace(/^(.{5})(.{2})(.{6})(.)$/, '$1 $2 $3 $4');

/** Nothing wider than the screen: on a tablet a sideways scroll hides buttons. */
async function assertNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const wider = await page.evaluate(() =>
    [document.documentElement, ...document.querySelectorAll('main, main *')]
      .filter(
        (element) =>
          element.scrollLeft > 0 ||
          (element.scrollWidth > element.clientWidth + 1 &&
            getComputedStyle(element).overflowX !== 'visible'),
      )
      .map(
        (element) =>
          `${element.tagName}.${element.className} ${element.scrollWidth}>${element.clientWidth} at ${element.scrollLeft}`,
      ),
  );
  assert.deepEqual(wider, [], `${what} scrolls sideways`);
}

/** A full-page picture from the top (a fixed header would otherwise be drawn where the page was scrolled to). */
async function picture(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-output/${name}.png`, fullPage: true });
}

describe('custody and identity screens against the real API in headless Chromium', () => {
  let server: AccessTestServer;
  let kit: CustodyHttpKit;
  let browser: Browser;

  /** Signs in through the screens with the authenticator code of the server's (test) clock. */
  async function signIn(page: Page, email: string): Promise<void> {
    // A fresh TOTP step for every sign-in and signature: a code is accepted once.
    server.clock.advance(31_000);
    await page.goto(`${server.url}/login`);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    await page
      .getByLabel('6-digit code')
      .fill(totpCodeForStep(DEMO_TOTP_SECRET, totpStepAt(server.clock.now())));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }

  before(async () => {
    await ensureWebBuild(() => {});
    server = await startAccessTestServer(pgliteTarget);
    kit = (await new CustodyHttpKit(server).init()) as CustodyHttpKit;
    browser = await launchBrowser();
    fs.mkdirSync('test-output', { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the demo case’s custody timeline shows its chain of identity and both hand-offs, on a desktop and a tablet', async () => {
    const demo = await server.database.db
      .selectFrom('chains_of_identity')
      .select(['case_id', 'chain_of_identity'])
      .executeTakeFirstOrThrow();
    const page = await browser.newPage({ viewport: DESKTOP });
    const problems = watchConsole(page);
    await signIn(page, 'case.manager@aurora.example');
    await page.goto(`${server.url}/custody`);
    await page.getByRole('heading', { level: 1, name: 'Custody & identity' }).waitFor();
    await page
      .getByRole('link', { name: /^Custody of / })
      .first()
      .waitFor();
    await picture(page, 'custody-list-desktop');

    await page.goto(`${server.url}/custody/cases/${demo.case_id}`);
    const coi = page.getByTestId('chain-of-identity');
    await coi.waitFor();
    assert.equal(await coi.textContent(), eyeReadable(demo.chain_of_identity));
    await page.getByRole('button', { name: 'Copy chain of identity' }).waitFor();
    const handoffs = page.getByRole('article', { name: /^Hand-off from / });
    assert.equal(await handoffs.count(), 2, 'pick-up by the courier and delivery to the plant');
    assert.match((await handoffs.nth(0).textContent()) ?? '', /St\. Elisabeth.*→.*ColdPath/s);
    assert.match((await handoffs.nth(1).textContent()) ?? '', /ColdPath.*→.*Aurora/s);
    assert.equal(
      await page.locator('[data-scan-result="matched"]').count(),
      2,
      'one matched scan per hand-off',
    );
    await page.getByRole('link', { name: 'Dossier (PDF)' }).waitFor();
    await page.getByText('cellway ledger verify --file <file>').waitFor();
    for (const [name, type] of [
      ['Dossier (PDF)', 'application/pdf'],
      ['Machine-readable file (NDJSON)', 'application/x-ndjson'],
    ] as const) {
      const href = await page.getByRole('link', { name }).getAttribute('href');
      const download = await page.request.get(`${server.url}${href}`);
      assert.equal(download.status(), 200, name);
      assert.match(download.headers()['content-type'] ?? '', new RegExp(`^${type}`));
      assert.match(download.headers()['content-disposition'] ?? '', /^attachment/);
    }
    await picture(page, 'custody-timeline-desktop');
    await page.setViewportSize(TABLET);
    await page.waitForTimeout(400);
    await assertNoSidewaysScroll(page, 'the custody timeline at 768 px');
    await picture(page, 'custody-timeline-tablet');
    assert.deepEqual(problems, []);
    await page.close();
  });

  let received: { caseId: string; unitCode: string; coi: string };

  test('a receipt hand-off on a tablet: scan, condition, sign through the dialog with the password, complete', async () => {
    const c = await kit.caseAtReceipt(1);
    // The plant hands the released bag to the courier (through the API), who then delivers it.
    const shipped = await kit.openHandoff('manufacturing@aurora-leiden.example', {
      caseId: c.caseId,
      itemIds: c.bagIds,
      toPartnerId: kit.partner('COLDPATH'),
      shipperCode: 'SHP-000101',
      sealIntact: true,
    });
    await kit.scan(COURIER, shipped.id, c.unitCodes[0] as string);
    await kit.condition(COURIER, shipped.id, { readings: kit.readings(-182) });
    await kit.complete(COURIER, shipped.id);
    const handoff = await kit.openHandoff(COURIER, {
      caseId: c.caseId,
      step: 'receipt_storage',
      itemIds: c.bagIds,
      toPartnerId: kit.partner('ST-ELISABETH'),
      toUserId: kit.user(NURSE),
      sealIntact: true,
    });
    const unitCode = c.unitCodes[0] as string;
    received = { caseId: c.caseId, unitCode, coi: c.coi };

    const page = await browser.newPage({ viewport: TABLET, hasTouch: true });
    const problems = watchConsole(page);
    await signIn(page, NURSE);
    await page.goto(`${server.url}/custody/handoffs/${handoff.id}`);
    await page.getByRole('heading', { level: 1, name: /^Hand-off: / }).waitFor();
    const complete = page.getByRole('button', { name: 'Complete hand-off' });
    assert.equal(await complete.isDisabled(), true);
    await page.getByTestId('blockers').getByText(`not scanned: ${unitCode}`).waitFor();

    // The scan field has the focus: a keyboard-wedge scanner types the code and presses Enter.
    const scanField = page.getByLabel('Scan a unit');
    await scanField.waitFor();
    assert.equal(await scanField.evaluate((element) => element === document.activeElement), true);
    await page.keyboard.type(`]C0${unitCode}\n`);
    await page.locator('[data-testid="last-scan"][data-result="matched"]').waitFor();
    assert.equal(await scanField.inputValue(), '', 'the field empties for the next scan');

    await page.getByLabel('Temperature of reading 1 in °C').fill('-176');
    await page.getByRole('button', { name: 'Save condition' }).click();
    await page.getByText('In range').first().waitFor();
    await page
      .getByTestId('blockers')
      .getByText(/2 of 2 signature\(s\) missing/)
      .waitFor();

    server.clock.advance(31_000);
    await page.getByRole('button', { name: /^Sign “Receipt of the product”/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
    await dialog.getByText('You are signing').waitFor();
    // A mistyped password is refused in the dialog, which empties the field for the next try.
    await dialog.getByLabel('Your password').fill('not my password');
    await dialog
      .getByLabel('One-time code')
      .fill(totpCodeForStep(DEMO_TOTP_SECRET, totpStepAt(server.clock.now())));
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await dialog.getByRole('alert').waitFor();
    assert.equal(await dialog.getByLabel('Your password').inputValue(), '');
    server.clock.advance(31_000);
    await dialog.getByLabel('Your password').fill(DEMO_PASSWORD);
    await dialog
      .getByLabel('One-time code')
      .fill(totpCodeForStep(DEMO_TOTP_SECRET, totpStepAt(server.clock.now())));
    await page.screenshot({ path: 'test-output/custody-signature-dialog-tablet.png' });
    await dialog.getByRole('button', { name: 'Sign' }).click();
    const signed = page.getByRole('dialog', { name: 'Signed' });
    await signed.getByText('Your signature is recorded').waitFor();
    await signed.getByText('Lukas Becker', { exact: true }).waitFor();
    await signed.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('list', { name: 'Signatures' }).getByText('Lukas Becker').waitFor();
    await page
      .getByTestId('blockers')
      .getByText(/1 of 2 signature\(s\) missing/)
      .waitFor();
    assert.equal(await complete.isDisabled(), true, 'one signature is still missing');
    await assertNoSidewaysScroll(page, 'the hand-off screen at 768 px');
    await picture(page, 'custody-handoff-tablet');

    // The second nurse signs on her own device; the screen shows it once reloaded.
    server.clock.advance(31_000);
    await kit.sign(NURSE2, handoff.id);
    await page.reload();
    await page.getByRole('list', { name: 'Signatures' }).getByText('Sophie Wagner').waitFor();
    await page.getByText('Everything is in order.').waitFor();
    await complete.click();
    await page.getByText('Hand-off completed').waitFor();
    const stored = await kit.handoff(handoff.id);
    assert.equal(stored.status, 'completed');
    assert.equal(stored.signatures.filter((s: { valid: boolean }) => s.valid).length, 2);
    await page.setViewportSize(DESKTOP);
    // The layout animates its side padding when the navigation changes size: let it settle for the picture.
    await page.waitForTimeout(400);
    await assertNoSidewaysScroll(page, 'the hand-off screen at 1280 px');
    await picture(page, 'custody-handoff-desktop');

    // Labels: the first print opens the PDF; a reprint asks why.
    await page.goto(`${server.url}/custody/cases/${c.caseId}`);
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: `Print the label of ${unitCode}` }).click();
    await (await popup).close();
    await page.getByRole('link', { name: 'Open label PDF (print 1)' }).waitFor();
    await page.getByRole('button', { name: `Reprint the label of ${unitCode}` }).click();
    const reprint = page.getByRole('dialog', { name: `Reprint the label of ${unitCode}` });
    await reprint.getByRole('button', { name: 'Reprint label' }).click();
    await reprint.getByText('Say why you are making this change.').waitFor();
    await reprint.getByLabel('Reason').fill('label smudged by condensation');
    const second = page.waitForEvent('popup');
    await reprint.getByRole('button', { name: 'Reprint label' }).click();
    await (await second).close();
    await page.getByRole('link', { name: 'Open label PDF (print 2)' }).waitFor();
    await page.getByText('Label printed 2 times').waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('bedside: a red STOP naming the failed check for another patient’s bag, a green PASS for the right one', async () => {
    const theirs = await kit.caseAtReceipt(1);
    const { rows } = await sql<{ mrn: string; birth_date: string }>`
      select mrn, birth_date::text as birth_date from patients where mrn = 'STE-100234'`.execute(
      server.database.db,
    );
    const patient = rows[0];
    assert.ok(patient);
    const page = await browser.newPage({ viewport: TABLET, hasTouch: true });
    const problems = watchConsole(page);
    await signIn(page, NURSE);
    await page.goto(`${server.url}/custody/bedside/${received.caseId}`);
    await page.getByRole('heading', { level: 1, name: 'Bedside verification' }).waitFor();
    const wedge = async (values: string[]) => {
      await page.getByLabel('Chain of identity').first().waitFor();
      for (const value of values) await page.keyboard.type(`${value}\n`);
    };
    const wristband = [received.coi, patient.mrn, patient.birth_date];
    await page.getByLabel('Chain of identity').first().waitFor();
    await picture(page, 'custody-bedside-form-tablet');

    await wedge([...wristband, theirs.unitCodes[0] as string, theirs.coi, patient.mrn, patient.birth_date]);
    const stop = page.getByRole('alert', { name: /stop, do not infuse/i });
    await stop.waitFor();
    await stop.getByText('Do not infuse.').waitFor();
    await stop.getByText(/Bag identified/).waitFor();
    await stop.getByText(/Chain of identity/).waitFor();
    await stop
      .getByText(/QA and the case manager have been alerted, and a deviation has been recorded/)
      .waitFor();
    await assertNoSidewaysScroll(page, 'the bedside screen at 768 px');
    await picture(page, 'custody-bedside-stop-tablet');

    await stop.getByRole('button', { name: 'Scan again' }).click();
    await wedge([
      ...wristband,
      received.unitCode,
      received.coi,
      patient.mrn,
      patient.birth_date.replaceAll('-', ''),
    ]);
    const pass = page.getByRole('status', { name: 'Bedside verification passed' });
    await pass.waitFor();
    await pass.getByText('Patient and product match. You may infuse.').waitFor();
    assert.equal(await pass.getByRole('listitem').count(), 6, 'every check is listed');
    await picture(page, 'custody-bedside-pass-tablet');
    await page.setViewportSize(DESKTOP);
    // The layout animates its side padding when the navigation changes size: let it settle for the picture.
    await page.waitForTimeout(400);
    await picture(page, 'custody-bedside-pass-desktop');

    const timeline = await kit.custody(received.caseId, NURSE);
    assert.deepEqual(
      timeline.bedsideVerifications.map((v: { result: string }) => v.result),
      ['stop', 'pass'],
    );
    assert.equal(timeline.deviations.length, 1);
    assert.deepEqual(problems, []);
    await page.close();
  });
  test('a wrong bag scanned at receipt turns red at once and blocks completion; a data logger file with an excursion is read and flagged', async () => {
    const c = await kit.caseAtReceipt(1);
    const other = await kit.caseAtReceipt(1);
    const handoff = await kit.openHandoff('manufacturing@aurora-leiden.example', {
      caseId: c.caseId,
      step: 'receipt_storage',
      itemIds: c.bagIds,
      toPartnerId: kit.partner('ST-ELISABETH'),
      shipperCode: 'SHP-000101',
      sealIntact: true,
    });
    const page = await browser.newPage({ viewport: TABLET, hasTouch: true });
    const problems = watchConsole(page);
    await signIn(page, NURSE);
    await page.goto(`${server.url}/custody/handoffs/${handoff.id}`);
    await page.getByLabel('Scan a unit').waitFor();
    await page.keyboard.type(`${other.unitCodes[0]}\n`);
    const last = page.getByTestId('last-scan');
    await last.getByText('✗ Mismatch').waitFor();
    assert.equal(await last.getAttribute('data-result'), 'mismatch');
    await page.locator('[data-scan-result="mismatch"]').waitFor();
    await page.keyboard.type(`${c.unitCodes[0]}\n`);
    await page.locator('[data-testid="last-scan"][data-result="matched"]').waitFor();

    const csv = [
      'timestamp,celsius',
      ...kit.readings(-181, 4, { 2: -141.5 }).map((r) => `${r.at},${r.celsius}`),
    ].join('\n');
    await page.getByText('Data logger file', { exact: true }).click();
    await page.locator('input[type=file]').setInputFiles({
      name: 'logger-0815.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Save condition' }).click();
    await page.getByText(/4 readings from data logger file logger-0815\.csv/).waitFor();
    // One reading warmer than −150 °C: the excursion is flagged in red before anyone completes.
    await page.getByText('Temperature excursion').first().waitFor();
    await page.getByText(/1 reading outside the range, first -141\.5 °C/).waitFor();
    const blockers = page.getByTestId('blockers');
    await blockers.getByText(/not in this hand-off/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Complete hand-off' }).isDisabled(), true);
    await picture(page, 'custody-handoff-mismatch-tablet');
    const stored = await kit.handoff(handoff.id);
    assert.deepEqual(stored.scans.map((scan: { result: string }) => scan.result).sort(), [
      'matched',
      'mismatch',
    ]);
    assert.equal(stored.condition.source, 'data_logger');
    assert.deepEqual(problems, []);
    await page.close();
  });
  test('collection staff record the apheresis bag (a wrong DIN is refused next to its field), then start the pick-up', async () => {
    const caseId = await kit.openCarT();
    await kit.runUntil(caseId, 'apheresis');
    const page = await browser.newPage({ viewport: TABLET, hasTouch: true });
    const problems = watchConsole(page);
    await signIn(page, 'apheresis@st-elisabeth.example');
    await page.goto(`${server.url}/custody/cases/${caseId}`);
    await page.getByText(/Not assigned yet/).waitFor();
    await page.getByText('No units recorded yet.', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Record a unit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record a unit' });
    const din = kit.nextDin();
    // One character changed: the check character no longer agrees.
    const wrong = `${din.slice(0, 8)}${din[8] === '9' ? '8' : '9'}${din.slice(9)}`;
    await dialog.getByLabel('Donation identification number (DIN)').fill(wrong);
    await dialog.getByRole('button', { name: 'Record unit' }).click();
    await dialog.locator('.mantine-TextInput-error').first().waitFor();
    await page.screenshot({ path: 'test-output/custody-record-unit-refused-tablet.png' });
    await dialog.getByLabel('Donation identification number (DIN)').fill(`=${din}`);
    await dialog.getByRole('button', { name: 'Record unit' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const coi = page.getByTestId('chain-of-identity');
    await coi.waitFor();
    const timeline = await kit.custody(caseId);
    assert.equal(await coi.textContent(), eyeReadable(timeline.chainOfIdentity));
    assert.equal(timeline.items[0].din, din);
    await page.getByRole('list', { name: 'Units' }).getByText('Apheresis bag').waitFor();

    await page.getByRole('button', { name: 'Start a hand-off' }).click();
    const start = page.getByRole('dialog', { name: 'Start a hand-off' });
    await start.getByRole('checkbox').first().check();
    await start.getByLabel('Receiving organisation').click();
    await page.getByRole('option', { name: /ColdPath/ }).click();
    await start.getByRole('button', { name: 'Start hand-off' }).click();
    await page.waitForURL(/\/custody\/handoffs\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: /St\. Elisabeth.*→.*ColdPath/ }).waitFor();
    await picture(page, 'custody-handoff-opened-tablet');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
