import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import type { Json } from '../cases/case-http-kit.ts';
import { runCli } from '../support/cli-process.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { CustodyHttpKit } from './custody-http-kit.ts';

const PLANT = 'manufacturing@aurora-leiden.example';
const NURSE = 'nurse@st-elisabeth.example';
const NURSE2 = 'nurse2@st-elisabeth.example';
const MANAGER = 'case.manager@aurora.example';
// The rendered pages are kept here so a person can look at them (test-output/ is not committed).
const OUTPUT = path.resolve('test-output', 'custody-dossier');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-dossier-'));
// The dossier signs with the installation key; the tests use their own.
process.env.CELLWAY_LEDGER_KEY_FILE ??= path.join(scratch, 'ledger-signing-key.pem');

describeEachDatabase(
  'the inspection dossier of a case: PDF and an offline-verifiable ledger file',
  (target) => {
    let server: AccessTestServer;
    let kit: CustodyHttpKit;
    before(async () => {
      server = await startAccessTestServer(target);
      kit = (await new CustodyHttpKit(server).init()) as CustodyHttpKit;
    });
    after(() => server.close());

    const download = async (email: string, url: string) => {
      const get = async () => fetch(`${server.url}${url}`, { headers: { cookie: await kit.cookie(email) } });
      const response = await get();
      if (response.status !== 401) return response;
      // The test moved the clock past the session's idle timeout: sign in again.
      kit.cookies.delete(email);
      return get();
    };

    test('hand-offs, signatures with their manifestation, condition data and deviations, in time order; one changed byte fails verification', async () => {
      const c = await kit.caseAtReceipt(1);
      const label = await download(PLANT, `/api/custody/items/${c.bagIds[0]}/label.pdf`);
      assert.equal(label.status, 200);
      const h = await kit.openHandoff(PLANT, {
        caseId: c.caseId,
        step: 'receipt_storage',
        itemIds: c.bagIds,
        toPartnerId: kit.partner('ST-ELISABETH'),
        toUserId: kit.user(NURSE),
        shipperCode: 'SHP-000101',
        sealIntact: true,
      });
      const minutes = (n: number) => server.clock.advance(n * 60_000);
      minutes(7);
      await kit.scan(NURSE, h.id, c.unitCodes[0] as string);
      const csv = kit
        .readings(-182, 10, { 6: -145 })
        .map((r) => `${r.at},${r.celsius}`)
        .join('\n');
      await kit.condition(NURSE, h.id, { dataLogger: { fileName: 'LOG-0042.csv', text: csv } });
      minutes(3);
      await kit.sign(NURSE, h.id);
      minutes(2);
      await kit.sign(NURSE2, h.id);
      minutes(1);
      assert.equal((await kit.complete(NURSE, h.id)).outcome.status, 'completed_with_excursion');
      const patient = await server.database.db
        .selectFrom('patients')
        .select(['mrn'])
        .select((eb) => eb.cast<string>('birth_date', 'text').as('birth_date'))
        .where('mrn', '=', 'STE-100234')
        .executeTakeFirstOrThrow();
      minutes(9);
      await kit.ok(
        NURSE,
        'POST',
        `/api/cases/${c.caseId}/bedside-verifications`,
        {
          wristband: { chainOfIdentity: c.coi, mrn: patient.mrn, birthDate: patient.birth_date },
          bag: {
            unitCode: c.unitCodes[0],
            chainOfIdentity: c.coi,
            mrn: 'STE-999999',
            birthDate: patient.birth_date,
          },
        },
        201,
      );

      // Who may download: dossier:read and a party to the case.
      assert.equal(
        (await download('courier@coldpath.example', `/api/cases/${c.caseId}/dossier.pdf`)).status,
        403,
      );
      assert.equal(
        (await download(MANAGER, `/api/cases/00000000-0000-0000-0000-000000000000/dossier.pdf`)).status,
        404,
      );

      const pdf = await download(MANAGER, `/api/cases/${c.caseId}/dossier.pdf`);
      assert.equal(pdf.status, 200, await pdf.clone().text());
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      const pdfBytes = Buffer.from(await pdf.arrayBuffer());
      assert.equal(pdfBytes.subarray(0, 5).toString(), '%PDF-');
      fs.mkdirSync(OUTPUT, { recursive: true });
      const pdfFile = path.join(OUTPUT, `dossier-${target.kind}.pdf`);
      fs.writeFileSync(pdfFile, pdfBytes);
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '60',
        '-f',
        '1',
        '-l',
        '2',
        pdfFile,
        path.join(OUTPUT, `page-${target.kind}`),
      ]);
      const pages = fs
        .readdirSync(OUTPUT)
        .filter((f) => f.startsWith(`page-${target.kind}`) && f.endsWith('.png'));
      assert.equal(pages.length, 2, `two pages rendered: ${pages.join(', ')}`);
      const text = execFileSync('pdftotext', [pdfFile, '-']).toString();
      for (const expected of [
        // The case steps' signatures too: the collection and the QA release.
        'Collected by',
        'Release of the batch for infusion',
        'Receipt of the product',
        'Lukas Becker',
        'Sophie Wagner',
        'LOG-0042.csv',
        'SHP-000101',
        'temperature excursion',
        'bedside mismatch',
        c.caseId.slice(0, 8),
      ])
        assert.ok(text.toLowerCase().includes(expected.toLowerCase()), `the PDF shows ${expected}`);

      const ndjson = await download(MANAGER, `/api/cases/${c.caseId}/dossier.ndjson`);
      assert.equal(ndjson.status, 200);
      const file = path.join(scratch, `dossier-${target.kind}.ndjson`);
      const bytes = Buffer.from(await ndjson.arrayBuffer());
      fs.writeFileSync(file, bytes);
      const lines = bytes.toString('utf8').trim().split('\n');
      const entries = lines
        .map((l) => JSON.parse(l) as Json)
        .filter((l) => l.stream !== undefined || l.entry);
      assert.ok(entries.length > 10, 'the case and custody streams are in the file');
      const good = runCli(['ledger', 'verify', '--file', file], {});
      const goodExit = await good.exited;
      assert.equal(goodExit.code, 0, good.stdout() + good.stderr());

      // One byte changed in the middle of an entry: the offline verification fails.
      const tampered = Buffer.from(bytes);
      const at = bytes.indexOf(Buffer.from('custody.handoff_completed_with_excursion'));
      assert.ok(at > 0);
      tampered[at + 8] = 'X'.charCodeAt(0);
      const bad = path.join(scratch, `dossier-${target.kind}-tampered.ndjson`);
      fs.writeFileSync(bad, tampered);
      const refused = runCli(['ledger', 'verify', '--file', bad], {});
      assert.notEqual((await refused.exited).code, 0, refused.stdout() + refused.stderr());
    });
  },
);
