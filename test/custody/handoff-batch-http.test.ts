import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import type { Json } from '../cases/case-http-kit.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { CustodyHttpKit } from './custody-http-kit.ts';

const PLANT = 'manufacturing@aurora-leiden.example';
const NURSE = 'nurse@st-elisabeth.example';
const NURSE2 = 'nurse2@st-elisabeth.example';

describeEachDatabase(
  'compact hand-offs through the HTTP API: open with scans and condition, sign and complete in one request',
  (target) => {
    let server: AccessTestServer;
    let kit: CustodyHttpKit;
    before(async () => {
      server = await startAccessTestServer(target);
      kit = (await new CustodyHttpKit(server).init()) as CustodyHttpKit;
    });
    after(() => server.close());

    /** The body opening a receipt hand-off (plant → centre) of one bag. */
    const receipt = (c: { caseId: string }, bagId: string, extra: Record<string, unknown> = {}) => ({
      caseId: c.caseId,
      step: 'receipt_storage',
      itemIds: [bagId],
      toPartnerId: kit.partner('ST-ELISABETH'),
      toUserId: kit.user(NURSE),
      shipperCode: 'SHP-000101',
      sealIntact: true,
      ...extra,
    });

    const ledgerOf = (handoffId: string) =>
      server.database.db
        .selectFrom('ledger_entries')
        .select(['action', 'after'])
        .where('record_id', '=', handoffId)
        .orderBy('position')
        .execute();

    const handoffCount = async () =>
      Number(
        (
          await server.database.db
            .selectFrom('custody_handoffs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('one request opens the hand-off with its scans and condition, each recorded as its own endpoint would', async () => {
      const c = await kit.caseAtReceipt(1);
      const opened = await kit.openHandoff(
        PLANT,
        receipt(c, c.bagIds[0] as string, {
          // As the scanner types it: the AIM prefix and the line end are not part of the identifier.
          scans: [`]C0${c.unitCodes[0]}\r\n`, c.coi],
          condition: { readings: kit.readings(-180, 12) },
        }),
      );
      assert.deepEqual(
        opened.scans.map((s: Json) => [s.scanned, s.result]).sort(),
        [
          [c.coi, 'chain_of_identity'],
          [c.unitCodes[0], 'matched'],
        ].sort(),
      );
      assert.equal(opened.condition.count, 12);
      assert.equal(opened.condition.excursion, false);
      assert.deepEqual(opened.shipper, { code: 'SHP-000101', qualification: 'qualified' });
      // Opened (v1), two scans, the condition: four versions, as four requests would have made.
      assert.equal(opened.version, 4);
      assert.deepEqual(
        opened.blockers.map((b: Json) => b.what),
        ['signatures'],
      );
      // The answer is what anyone reading the hand-off afterwards sees.
      assert.deepEqual(await kit.handoff(opened.id, NURSE), opened);

      const ledger = await ledgerOf(opened.id);
      assert.deepEqual(
        ledger.map((e) => e.action),
        [
          'custody.handoff_opened',
          'custody.scan_matched',
          'custody.scan_matched',
          'custody.condition_recorded',
        ],
      );
      // Each entry names the version it made; the last one is the hand-off as it stands.
      const hashes = ledger.map((e) => JSON.parse(e.after as string).recordHash);
      assert.equal(new Set(hashes).size, 4);
      assert.equal(hashes[3], opened.recordHash);
    });

    test('a bad scan or condition refuses the whole request (422 naming it) and creates nothing', async () => {
      const c = await kit.caseAtReceipt(1);
      const counts = await kit.custodyCounts();
      const handoffs = await handoffCount();

      // Empty once the scanner's symbology prefix and line end are removed.
      const prefixOnly = await kit.as(
        PLANT,
        'POST',
        '/api/custody/handoffs',
        receipt(c, c.bagIds[0] as string, {
          scans: [c.unitCodes[0], ']C0\r\n'],
          condition: { readings: kit.readings(-180) },
        }),
      );
      assert.equal(prefixOnly.status, 422, JSON.stringify(prefixOnly.body));
      assert.deepEqual(
        prefixOnly.body.errors.map((e: Json) => e.field),
        ['body.scans.1'],
      );

      // Empty text: refused by the same rule as the scans endpoint's.
      const empty = await kit.as(
        PLANT,
        'POST',
        '/api/custody/handoffs',
        receipt(c, c.bagIds[0] as string, { scans: [c.unitCodes[0], ''] }),
      );
      assert.equal(empty.status, 422, JSON.stringify(empty.body));
      assert.deepEqual(
        empty.body.errors.map((e: Json) => e.field),
        ['body.scans.1'],
      );

      // A data-logger file that does not parse, named by its place in the request.
      const logger = await kit.as(
        PLANT,
        'POST',
        '/api/custody/handoffs',
        receipt(c, c.bagIds[0] as string, {
          scans: [c.unitCodes[0]],
          condition: { dataLogger: { fileName: 'logger.csv', text: 'timestamp,celsius\nyesterday,-180' } },
        }),
      );
      assert.equal(logger.status, 422, JSON.stringify(logger.body));
      assert.deepEqual(
        logger.body.errors.map((e: Json) => e.field),
        ['body.condition.dataLogger'],
      );

      assert.deepEqual(await kit.custodyCounts(), counts);
      assert.equal(await handoffCount(), handoffs);
    });

    test('the last signature with complete: true completes the hand-off in the same request', async () => {
      const c = await kit.caseAtReceipt(1);
      const opened = await kit.openHandoff(
        PLANT,
        receipt(c, c.bagIds[0] as string, {
          scans: [c.unitCodes[0]],
          condition: { readings: kit.readings(-180) },
        }),
      );
      const first = await kit.ok(
        NURSE,
        'POST',
        `/api/custody/handoffs/${opened.id}/signatures`,
        kit.signBody(opened.recordHash),
        201,
      );
      assert.equal(first.completion, undefined, 'no completion asked for, none reported');
      const last = await kit.ok(
        NURSE2,
        'POST',
        `/api/custody/handoffs/${opened.id}/signatures`,
        { ...kit.signBody(first.handoff.recordHash), complete: true },
        201,
      );
      assert.equal(last.signature.signerName.length > 0, true);
      assert.equal(last.completion.outcome.status, 'completed');
      assert.equal(last.completion.outcome.custodyConfirmedOnStep, 'receipt_storage');
      assert.deepEqual(last.completion.missing, []);
      assert.equal(last.handoff.status, 'completed');
      assert.equal(last.handoff.signaturesGiven, 2);

      const stored = await kit.handoff(opened.id);
      assert.equal(stored.status, 'completed');
      assert.deepEqual(stored.blockers, [{ what: 'status', detail: 'the hand-off is already completed' }]);
      const timeline = await kit.custody(c.caseId);
      const bag = timeline.items.find((i: Json) => i.id === c.bagIds[0]);
      assert.equal(bag.custodian.partnerName, 'St. Elisabeth University Hospital');
      assert.deepEqual((await ledgerOf(opened.id)).map((e) => e.action).slice(-1), [
        'custody.handoff_completed',
      ]);
    });

    test('complete: true while something else is missing is refused before the password is checked; while only signatures are missing the signature is recorded', async () => {
      const c = await kit.caseAtReceipt(2);
      // Not scanned: completion would be blocked by more than signatures.
      const unscanned = await kit.openHandoff(
        PLANT,
        receipt(c, c.bagIds[0] as string, { condition: { readings: kit.readings(-180) } }),
      );
      const counts = await kit.custodyCounts();
      const refused = await kit.as(NURSE, 'POST', `/api/custody/handoffs/${unscanned.id}/signatures`, {
        ...kit.signBody(unscanned.recordHash, 'not-the-password'),
        complete: true,
      });
      // 409, not 401: the password was never checked, so no failed signing was counted either.
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.deepEqual(
        refused.body.missing.map((m: Json) => m.what),
        ['scan'],
      );
      assert.match(refused.body.detail, /not scanned/);
      assert.deepEqual(await kit.custodyCounts(), counts);
      const failures = await server.database.db
        .selectFrom('ledger_entries')
        .select('id')
        .where('action', 'like', 'signature.fail%')
        .where('actor_id', '=', kit.user(NURSE))
        .execute();
      assert.equal(failures.length, 0);
      assert.equal((await kit.handoff(unscanned.id)).signaturesGiven, 0);

      // Ready but for signatures: the first signer's complete: true records the signature and names the rest.
      const ready = await kit.openHandoff(
        PLANT,
        receipt(c, c.bagIds[1] as string, {
          scans: [c.unitCodes[1]],
          condition: { readings: kit.readings(-180) },
        }),
      );
      const early = await kit.ok(
        NURSE,
        'POST',
        `/api/custody/handoffs/${ready.id}/signatures`,
        { ...kit.signBody(ready.recordHash), complete: true },
        201,
      );
      assert.equal(early.completion.outcome, null);
      assert.deepEqual(
        early.completion.missing.map((m: Json) => m.what),
        ['signatures'],
      );
      assert.match(early.completion.missing[0].detail, /1 of 2 signature\(s\) missing/);
      assert.equal(early.handoff.status, 'draft');
      assert.equal(early.handoff.signaturesGiven, 1);
      // The second signature completes it.
      const done = await kit.ok(
        NURSE2,
        'POST',
        `/api/custody/handoffs/${ready.id}/signatures`,
        { ...kit.signBody(early.handoff.recordHash), complete: true },
        201,
      );
      assert.equal(done.completion.outcome.status, 'completed');
      assert.equal((await kit.handoff(ready.id)).status, 'completed');
    });
  },
);
