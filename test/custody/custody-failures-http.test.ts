import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import type { Json } from '../cases/case-http-kit.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { CustodyHttpKit } from './custody-http-kit.ts';

const COURIER = 'courier@coldpath.example';
const PLANT = 'manufacturing@aurora-leiden.example';
const NURSE = 'nurse@st-elisabeth.example';
const NURSE2 = 'nurse2@st-elisabeth.example';
const QA = 'qa@aurora-leiden.example';

describeEachDatabase(
  'custody failure paths, through the HTTP API only: each refusal changes nothing',
  (target) => {
    let server: AccessTestServer;
    let kit: CustodyHttpKit;
    before(async () => {
      server = await startAccessTestServer(target);
      kit = (await new CustodyHttpKit(server).init()) as CustodyHttpKit;
    });
    after(() => server.close());

    /** A receipt hand-off (plant → centre) of one bag, scanned and with its condition recorded. */
    async function receiptOf(c: { caseId: string }, bagId: string, unitCode: string, celsius = -180) {
      const handoff = await kit.openHandoff(PLANT, {
        caseId: c.caseId,
        step: 'receipt_storage',
        itemIds: [bagId],
        toPartnerId: kit.partner('ST-ELISABETH'),
        toUserId: kit.user(NURSE),
        shipperCode: 'SHP-000101',
        sealIntact: true,
      });
      await kit.scan(NURSE, handoff.id, unitCode);
      await kit.condition(NURSE, handoff.id, { readings: kit.readings(celsius) });
      return handoff.id as string;
    }

    test('missing signature, wrong password, a signer without the role, a replayed signature, an edit after signing', async () => {
      const c = await kit.caseAtReceipt(2);
      const a = await receiptOf(c, c.bagIds[0] as string, c.unitCodes[0] as string);
      const b = await receiptOf(c, c.bagIds[1] as string, c.unitCodes[1] as string);

      // Missing signature: 409 naming what is missing; nothing moves.
      let before = await kit.custodyCounts();
      const missing = await kit.complete(NURSE, a, 409);
      assert.deepEqual(
        missing.missing.map((m: Json) => m.what),
        ['signatures'],
      );
      assert.match(missing.detail, /2 of 2 signature\(s\) missing/);
      assert.deepEqual(await kit.custodyCounts(), before);

      // Wrong password: 401, nothing signed.
      before = await kit.custodyCounts();
      await kit.sign(NURSE, a, 401, 'not-the-password');
      const afterWrong = await kit.custodyCounts();
      assert.equal(afterWrong.signatures, before.signatures);
      assert.equal((await kit.handoff(a)).signaturesGiven, 0);
      assert.deepEqual({ ...afterWrong, ledger: 0, messages: 0 }, { ...before, ledger: 0, messages: 0 });

      // A signer without the role (QA, the courier): 403 before any password is checked.
      before = await kit.custodyCounts();
      for (const who of [QA, COURIER]) {
        const refused = await kit.as(
          who,
          'POST',
          `/api/custody/handoffs/${a}/signatures`,
          kit.signBody((await kit.handoff(a)).recordHash),
        );
        assert.equal(refused.status, who === QA ? 403 : 403, JSON.stringify(refused.body));
      }
      assert.deepEqual(await kit.custodyCounts(), before);
      // A nurse of another hospital does not even see the hand-off.
      const stranger = await kit.as(
        'centre.coordinator@lakeside.example',
        'GET',
        `/api/custody/handoffs/${a}`,
      );
      assert.equal(stranger.status, 404);

      // A signature replayed onto another record: the hash of hand-off A presented on B is refused.
      const signedA = await kit.sign(NURSE, a);
      before = await kit.custodyCounts();
      const replay = await kit.as(
        NURSE2,
        'POST',
        `/api/custody/handoffs/${b}/signatures`,
        kit.signBody(signedA.body.signature.recordHash),
      );
      assert.equal(replay.status, 409, JSON.stringify(replay.body));
      assert.deepEqual(await kit.custodyCounts(), before);
      assert.equal((await kit.handoff(b)).signaturesGiven, 0);

      // An edit after signing (another scan) voids the signature: the hash changed.
      const signedVersion = (await kit.handoff(a)).recordHash;
      await kit.scan(NURSE, a, c.coi);
      const edited = await kit.handoff(a);
      assert.notEqual(edited.recordHash, signedVersion);
      assert.equal(edited.signaturesGiven, 0);
      assert.deepEqual(
        edited.signatures.map((s: Json) => s.valid),
        [false],
      );
      // The stale hash cannot be signed any more either.
      const stale = await kit.as(
        NURSE2,
        'POST',
        `/api/custody/handoffs/${a}/signatures`,
        kit.signBody(signedVersion),
      );
      assert.equal(stale.status, 409);

      // A scan of a unit that is not in the hand-off blocks completion, naming it.
      await kit.scan(NURSE, b, c.unitCodes[0] as string);
      await kit.sign(NURSE, b);
      await kit.sign(NURSE2, b);
      before = await kit.custodyCounts();
      const mismatch = await kit.complete(NURSE, b, 409);
      assert.deepEqual(
        mismatch.missing.map((m: Json) => m.what),
        ['mismatch'],
      );
      assert.deepEqual(await kit.custodyCounts(), before);

      // Signed again by both nurses on the current version, A completes and confirms custody on the step.
      await kit.sign(NURSE, a);
      await kit.sign(NURSE2, a);
      const done = await kit.complete(NURSE, a);
      assert.equal(done.outcome.status, 'completed');
      assert.equal(done.outcome.custodyConfirmedOnStep, 'receipt_storage');
    });

    test('two hand-offs of the same unit: once one completes, the other cannot (the unit has moved)', async () => {
      const c = await kit.caseAtReceipt(1);
      const first = await receiptOf(c, c.bagIds[0] as string, c.unitCodes[0] as string);
      const second = await receiptOf(c, c.bagIds[0] as string, c.unitCodes[0] as string);
      for (const h of [first, second]) {
        await kit.sign(NURSE, h);
        await kit.sign(NURSE2, h);
      }
      const [a, b] = await Promise.all([
        kit.as(NURSE, 'POST', `/api/custody/handoffs/${first}/complete`),
        kit.as(NURSE2, 'POST', `/api/custody/handoffs/${second}/complete`),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409], JSON.stringify([a.body, b.body]));
      const timeline = await kit.custody(c.caseId);
      assert.equal(timeline.handoffs.filter((h: Json) => h.status === 'completed').length, 1);
      assert.equal(timeline.items[0].custodian.partnerName, 'St. Elisabeth University Hospital');
    });

    test('a temperature excursion completes "with excursion", opens the QA exception and alerts QA', async () => {
      const c = await kit.caseAtReceipt(1);
      const h = await receiptOf(c, c.bagIds[0] as string, c.unitCodes[0] as string, -175);
      // One reading warmer than −150 °C in the data logger file.
      const csv = kit
        .readings(-175, 8, { 5: -141.5 })
        .map((r) => `${r.at};${String(r.celsius).replace('.', ',')}`)
        .join('\r\n');
      const condition = await kit.condition(NURSE, h, { dataLogger: { fileName: 'logger.csv', text: csv } });
      assert.equal(condition.condition.excursion, true);
      assert.equal(condition.condition.maxCelsius, -141.5);
      await kit.sign(NURSE, h);
      await kit.sign(NURSE2, h);
      const before = await kit.custodyCounts();
      const qaUsers = await server.database.db
        .selectFrom('users')
        .select('id')
        .where((eb) => eb(eb.val('qa'), '=', eb.fn.any('roles')))
        .where('partner_id', '=', kit.partner('AURORA-LEIDEN'))
        .execute();
      const done = await kit.complete(NURSE, h);
      assert.equal(done.outcome.status, 'completed_with_excursion');
      assert.ok(done.outcome.exceptionId);
      assert.ok(done.outcome.deviationId);
      const detail = await kit.detail(c.caseId);
      assert.equal(detail.case.status, 'quarantined');
      assert.deepEqual(
        detail.openExceptions.map((e: Json) => [e.step, e.code]),
        [['receipt_storage', 'temperature_excursion']],
      );
      const after = await kit.custodyCounts();
      assert.equal(after.deviations, Number(before.deviations) + 1);
      const alerts = await server.database.db
        .selectFrom('outbox_messages')
        .select(['recipient', 'channel'])
        .where('related_record_id', '=', done.outcome.deviationId)
        .execute();
      for (const qa of qaUsers)
        assert.ok(
          alerts.some((m) => m.recipient === qa.id && m.channel === 'in_app'),
          'every QA person is alerted in-app',
        );
      const timeline = await kit.custody(c.caseId);
      assert.equal(timeline.deviations[0].kind, 'temperature_excursion');
    });

    test('the wrong bag at the bedside is a hard stop: deviation, alerts to QA and the case manager, exactly which check failed', async () => {
      const mine = await kit.caseAtReceipt(1);
      const theirs = await kit.caseAtReceipt(1);
      const patient = await server.database.db
        .selectFrom('patients')
        .select(['mrn'])
        .select((eb) => eb.cast<string>('birth_date', 'text').as('birth_date'))
        .where('mrn', '=', 'STE-100234')
        .executeTakeFirstOrThrow();
      const wristband = { chainOfIdentity: mine.coi, mrn: patient.mrn, birthDate: patient.birth_date };
      const before = await kit.custodyCounts();
      // The other case's bag, scanned as it is labelled (its own chain of identity).
      const stop = await kit.ok(
        NURSE,
        'POST',
        `/api/cases/${mine.caseId}/bedside-verifications`,
        {
          wristband,
          bag: {
            unitCode: theirs.unitCodes[0],
            chainOfIdentity: theirs.coi,
            mrn: patient.mrn,
            birthDate: patient.birth_date,
          },
        },
        201,
      );
      assert.equal(stop.verification.result, 'stop');
      assert.deepEqual(stop.verification.failedChecks, [
        'bag_identified',
        'chain_of_identity',
        'product_expiry',
        'release_status',
      ]);
      assert.match(
        stop.verification.checks.find((c: Json) => c.check === 'bag_identified').detail,
        /belongs to another patient/,
      );
      const after = await kit.custodyCounts();
      assert.equal(after.deviations, Number(before.deviations) + 1);
      const alerts = await server.database.db
        .selectFrom('outbox_messages')
        .select(['recipient', 'subject', 'channel'])
        .where('related_record_id', '=', stop.verification.deviationId)
        .execute();
      const manager = kit.user('case.manager@aurora.example');
      assert.ok(
        alerts.some((m) => m.recipient === manager && m.channel === 'in_app'),
        'the case manager is alerted',
      );
      assert.ok(
        alerts.some((m) => m.recipient === kit.user(QA) && m.channel === 'in_app'),
        'QA is alerted',
      );
      assert.ok(alerts.some((m) => m.channel === 'email' && /HARD STOP/.test(m.subject ?? '')));
      // Nothing else moved: no case event, no custody transfer.
      assert.equal(after.events, before.events);
      assert.equal(after.custody, before.custody);

      // Our own bag, but the wristband's date of birth is wrong: a stop naming only that check.
      const dob = await kit.ok(
        NURSE,
        'POST',
        `/api/cases/${mine.caseId}/bedside-verifications`,
        {
          wristband: { ...wristband, birthDate: '1970-01-01' },
          bag: {
            unitCode: mine.unitCodes[0],
            chainOfIdentity: mine.coi,
            mrn: patient.mrn,
            birthDate: patient.birth_date,
          },
        },
        201,
      );
      assert.deepEqual(dob.verification.failedChecks, ['patient_birth_date']);
      // Only the infusion nurse verifies at the bedside.
      const courier = await kit.as(COURIER, 'POST', `/api/cases/${mine.caseId}/bedside-verifications`, {
        wristband,
        bag: {
          unitCode: mine.unitCodes[0],
          chainOfIdentity: mine.coi,
          mrn: patient.mrn,
          birthDate: patient.birth_date,
        },
      });
      assert.equal(courier.status, 403);
      const timeline = await kit.custody(mine.caseId, NURSE);
      assert.deepEqual(
        timeline.bedsideVerifications.map((v: Json) => v.result),
        ['stop', 'stop'],
      );
    });

    test('labels: the first print, a reprint only with a reason, each counted and ledgered', async () => {
      const caseId = await kit.openCarT();
      await kit.runUntil(caseId, 'apheresis');
      const bag = await kit.createItem(caseId, 'apheresis@st-elisabeth.example', {
        itemType: 'apheresis_bag',
        din: kit.nextDin(),
      });
      const print = (query = '') =>
        fetch(`${server.url}/api/custody/items/${bag.id}/label.pdf${query}`, {
          headers: { cookie: '' },
        });
      const cookie = await kit.cookie('apheresis@st-elisabeth.example');
      const get = (query = '') =>
        fetch(`${server.url}/api/custody/items/${bag.id}/label.pdf${query}`, { headers: { cookie } });
      assert.equal((await print()).status, 401);
      const first = await get();
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('x-label-print-number'), '1');
      assert.equal((await get()).status, 422, 'a reprint must say why');
      const reprint = await get('?reason=smudged%20label');
      assert.equal(reprint.headers.get('x-label-print-number'), '2');
      assert.match(
        Buffer.from(await reprint.arrayBuffer())
          .subarray(0, 5)
          .toString(),
        /%PDF-/,
      );
      const entries = await server.database.db
        .selectFrom('ledger_entries')
        .select(['action', 'reason'])
        .where('record_id', '=', bag.id)
        .where('action', 'like', 'custody.label%')
        .orderBy('recorded_at')
        .execute();
      assert.deepEqual(
        entries.map((e) => [e.action, e.reason]),
        [
          ['custody.label_printed', null],
          ['custody.label_reprinted', 'smudged label'],
        ],
      );
      // A bad DIN check character is refused with the field named.
      const din = kit.nextDin();
      const wrong = `${din.slice(0, -1)}${din.endsWith('A') ? 'B' : 'A'}`;
      const refused = await kit.as(
        'apheresis@st-elisabeth.example',
        'POST',
        `/api/cases/${caseId}/custody/items`,
        {
          itemType: 'apheresis_bag',
          din: wrong,
        },
      );
      assert.equal(refused.status, 422);
      assert.equal(refused.body.errors[0].field, 'body.din');
    });
  },
);
