import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  donationNumberBarcodeText,
  parseDonationIdentificationNumber,
} from '../../src/custody/identity/donation-identification-number.ts';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import type { Json } from '../cases/case-http-kit.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { CustodyHttpKit } from './custody-http-kit.ts';

const COLLECTOR = 'apheresis@st-elisabeth.example';
const COURIER = 'courier@coldpath.example';
const PLANT = 'manufacturing@aurora-leiden.example';
const QA = 'qa@aurora-leiden.example';
const NURSE = 'nurse@st-elisabeth.example';
const NURSE2 = 'nurse2@st-elisabeth.example';

describeEachDatabase(
  'the CAR-T chain of custody from collection to infusion, through the HTTP API only',
  (target) => {
    let server: AccessTestServer;
    let kit: CustodyHttpKit;
    before(async () => {
      server = await startAccessTestServer(target);
      kit = (await new CustodyHttpKit(server).init()) as CustodyHttpKit;
    });
    after(() => server.close());

    test('collection → courier → plant → final product → QA release → courier → receipt → bedside pass → infusion', async () => {
      const caseId = await kit.openCarT();
      await kit.runUntil(caseId, 'apheresis');

      // Collection: the apheresis bag gets its DIN and the case's chain of identity.
      const din = kit.nextDin();
      const bag = await kit.createItem(caseId, COLLECTOR, { itemType: 'apheresis_bag', din });
      const coi = bag.chainOfIdentity as string;
      assert.match(coi, /^W9999\d{2}\d{6}[0-9A-Z*]$/);
      assert.equal(bag.din, din);
      assert.equal(bag.unitCode, din);
      const label = await fetch(`${server.url}/api/custody/items/${bag.id}/label.pdf`, {
        headers: { cookie: await kit.cookie(COLLECTOR) },
      });
      assert.equal(label.status, 200);
      assert.equal(label.headers.get('content-type'), 'application/pdf');
      assert.equal((await label.arrayBuffer()).byteLength > 1000, true);
      await kit.doTasks(caseId, 'apheresis', { collect: { chain_of_identity: coi } });
      // The collection is signed "Collected by" by the collection staff, with password and one-time code.
      await kit.command(caseId, COLLECTOR, { type: 'complete_step', step: 'apheresis' }, 409);
      const collected = kit.openStep(await kit.detail(caseId), 'apheresis').waitingFor.signatures;
      assert.equal(collected.meaning, 'Collected by');
      assert.deepEqual(collected.nextRoles, ['collection_staff']);
      const collectionSignature = {
        type: 'record_signature',
        step: 'apheresis',
        meaning: collected.meaning,
        recordHash: collected.recordHash,
        signature: kit.signature(),
      };
      await kit.command(caseId, COURIER, collectionSignature, 403);
      await kit.command(caseId, COLLECTOR, collectionSignature);
      await kit.command(caseId, COLLECTOR, { type: 'complete_step', step: 'apheresis' });

      // Pick-up: collection centre → courier, on the ship_to_plant step (its custody and signature gates).
      const pickUp = await kit.openHandoff(COLLECTOR, {
        caseId,
        step: 'ship_to_plant',
        itemIds: [bag.id],
        toPartnerId: kit.partner('COLDPATH'),
        toUserId: kit.user(COURIER),
        shipperCode: 'SHP-000101',
        sealIntact: true,
      });
      assert.equal(pickUp.shipper.qualification, 'qualified');
      // The courier signs that the bag was received for transport (the ship_to_plant step's gate).
      assert.deepEqual(pickUp.signatureRequirement, {
        count: 1,
        mode: 'parallel',
        signerRoles: ['courier'],
        meaning: 'Received for transport by',
        partnerType: 'courier',
      });
      // The courier scans the bag's DIN bar code: AIM prefix, '=' data identifier, flags, CR.
      const parsedDin = parseDonationIdentificationNumber(din);
      assert.ok(parsedDin.ok);
      const scanned = await kit.scan(
        COURIER,
        pickUp.id,
        `]C0${donationNumberBarcodeText(parsedDin.value)}\r`,
      );
      assert.equal(scanned.scan.result, 'matched');
      await kit.condition(COURIER, pickUp.id, { readings: kit.readings(4.5) });
      const unsigned = await kit.complete(COURIER, pickUp.id, 409);
      assert.deepEqual(
        unsigned.missing.map((b: Json) => b.what),
        ['signatures'],
      );
      await kit.sign(COLLECTOR, pickUp.id, 403);
      const courierSigned = await kit.sign(COURIER, pickUp.id);
      assert.match(courierSigned.body.signature.manifestation, /Received for transport by/);
      const pickedUp = await kit.complete(COURIER, pickUp.id);
      assert.equal(pickedUp.outcome.status, 'completed');
      assert.equal(pickedUp.outcome.custodyConfirmedOnStep, 'ship_to_plant');
      // The gate's signatures are given on the hand-off (on: 'handoff'): nothing is copied onto the
      // step, the step asks for no signature once its tasks are done, and signing it is refused.
      assert.equal(pickedUp.outcome.stepSignaturesRecorded, 0);
      await kit.doTasks(caseId, 'ship_to_plant');
      const transported = kit.openStep(await kit.detail(caseId), 'ship_to_plant').waitingFor;
      assert.equal(transported.signatures.recordHash, undefined);
      assert.equal(transported.ready, true);
      const beforeRefusal = await kit.counts(caseId);
      const refusal = await kit.command(
        caseId,
        COURIER,
        {
          type: 'record_signature',
          step: 'ship_to_plant',
          meaning: 'Received for transport by',
          // The step shows no record hash to sign: whatever the courier sends, the gate is not on the step.
          recordHash: 'a'.repeat(64),
          signature: kit.signature(),
        },
        409,
      );
      assert.match(
        JSON.stringify(refusal.body),
        /signatures on ship_to_plant are given on its custody hand-off/,
      );
      assert.deepEqual(await kit.counts(caseId), beforeRefusal);
      await kit.command(caseId, COURIER, { type: 'complete_step', step: 'ship_to_plant' });

      // Plant receipt: courier → plant, with the data logger's CSV file.
      const csv = ['timestamp,celsius', ...kit.readings(5).map((r) => `${r.at},${r.celsius}`)].join('\n');
      const delivery = await kit.openHandoff(COURIER, {
        caseId,
        step: 'manufacturing',
        itemIds: [bag.id],
        toPartnerId: kit.partner('AURORA-LEIDEN'),
        toUserId: kit.user(PLANT),
      });
      await kit.scan(PLANT, delivery.id, din);
      const withLogger = await kit.condition(PLANT, delivery.id, {
        dataLogger: { fileName: 'logger-4711.csv', base64: Buffer.from(csv).toString('base64') },
        sealIntact: true,
      });
      assert.equal(withLogger.condition.source, 'data_logger');
      assert.equal(withLogger.condition.count, 6);
      assert.equal(withLogger.condition.excursion, false);
      await kit.complete(PLANT, delivery.id);
      await kit.finishStep(caseId, 'manufacturing');
      await kit.finishStep(caseId, 'qc_release');

      // Final product bags share the chain of identity; QA releases the batch, then each bag.
      const products = [];
      for (let n = 0; n < 2; n++)
        products.push(
          await kit.createItem(caseId, PLANT, {
            itemType: 'final_product_bag',
            lot: 'B20260302',
            expiresAt: '2027-03-01T00:00:00Z',
            parentItemId: bag.id,
          }),
        );
      assert.deepEqual(
        products.map((p) => p.chainOfIdentity),
        [coi, coi],
      );
      const early = await kit.as(QA, 'POST', `/api/custody/items/${products[0].id}/release`, {});
      assert.equal(early.status, 409, 'no bag is released before the batch release step');
      // Two QA people sign the release in turn (finishStep signs through the API with their passwords).
      await kit.finishStep(caseId, 'qa_release');
      for (const product of products) {
        const released = await kit.ok(QA, 'POST', `/api/custody/items/${product.id}/release`, {});
        assert.equal(released.item.releaseStatus, 'released');
      }
      const notQa = await kit.as(PLANT, 'POST', `/api/custody/items/${products[0].id}/release`, {});
      assert.equal(notQa.status, 403);

      // Ship to site: plant → courier (cryopreserved, ≤ −150 °C).
      const toCourier = await kit.openHandoff(PLANT, {
        caseId,
        step: 'ship_to_site',
        itemIds: products.map((p) => p.id),
        toPartnerId: kit.partner('COLDPATH'),
        shipperCode: 'SHP-000101',
        sealIntact: true,
      });
      for (const p of products) await kit.scan(COURIER, toCourier.id, p.unitCode);
      await kit.condition(COURIER, toCourier.id, { readings: kit.readings(-182) });
      assert.equal(
        (await kit.complete(COURIER, toCourier.id)).outcome.custodyConfirmedOnStep,
        'ship_to_site',
      );
      await kit.doTasks(caseId, 'ship_to_site');
      await kit.command(caseId, COURIER, { type: 'complete_step', step: 'ship_to_site' });

      // Receipt at the treatment centre: two nurse signatures in Germany (the template's override).
      const receipt = await kit.openHandoff(COURIER, {
        caseId,
        step: 'receipt_storage',
        itemIds: products.map((p) => p.id),
        toPartnerId: kit.partner('ST-ELISABETH'),
        toUserId: kit.user(NURSE),
        sealIntact: true,
      });
      assert.equal(receipt.signatureRequirement.count, 2);
      assert.deepEqual(receipt.signatureRequirement.signerRoles, ['infusion_nurse']);
      assert.equal(receipt.signatureRequirement.meaning, 'Receipt of the product');
      for (const p of products) await kit.scan(NURSE, receipt.id, p.unitCode.toLowerCase());
      await kit.condition(NURSE, receipt.id, { readings: kit.readings(-175) });
      // The nurse records the receipt on the case first, so the hand-off signatures sign the whole step.
      await kit.doTasks(caseId, 'receipt_storage');
      const first = await kit.sign(NURSE, receipt.id);
      assert.match(first.body.signature.manifestation, /Lukas Becker/);
      assert.match(first.body.signature.manifestation, /Receipt of the product/);
      await kit.sign(NURSE2, receipt.id);
      const received = await kit.complete(NURSE, receipt.id);
      assert.equal(received.outcome.custodyConfirmedOnStep, 'receipt_storage');
      assert.equal(received.handoff.signatures.filter((s: Json) => s.valid).length, 2);
      assert.equal(
        received.outcome.stepSignaturesRecorded,
        2,
        'the two hand-off signatures also sign the step',
      );
      await kit.command(caseId, NURSE, { type: 'complete_step', step: 'receipt_storage' });
      await kit.runUntil(caseId, 'bedside_check');

      // Bedside: the wristband and the bag agree on everything → pass.
      const patient = await server.database.db
        .selectFrom('patients')
        .select(['mrn'])
        .select((eb) => eb.cast<string>('birth_date', 'text').as('birth_date'))
        .where('mrn', '=', 'STE-100234')
        .executeTakeFirstOrThrow();
      const pass = await kit.ok(
        NURSE,
        'POST',
        `/api/cases/${caseId}/bedside-verifications`,
        {
          wristband: { chainOfIdentity: coi, mrn: patient.mrn, birthDate: patient.birth_date },
          bag: {
            unitCode: products[0].unitCode,
            chainOfIdentity: coi,
            mrn: patient.mrn,
            birthDate: patient.birth_date.replaceAll('-', ''),
          },
        },
        201,
      );
      assert.equal(pass.verification.result, 'pass', JSON.stringify(pass.verification.checks));
      assert.equal(pass.verification.checks.length, 6);
      await kit.runUntil(caseId, 'follow_up_day_7');

      // The custody timeline: the supply chain sees the chain of identity, never the name.
      const forCourier = await kit.custody(caseId, COURIER);
      assert.equal(forCourier.chainOfIdentity, coi);
      assert.match(forCourier.patientLabel, /^CW-/);
      assert.ok(!JSON.stringify(forCourier).includes('Weber'));
      const forNurse = await kit.custody(caseId, NURSE);
      assert.equal(forNurse.patientLabel, 'Jonas Weber');
      assert.equal(forNurse.handoffs.length, 4);
      assert.ok(forNurse.handoffs.every((h: Json) => h.status === 'completed'));
      assert.deepEqual(
        forNurse.items.map((i: Json) => [i.itemType, i.custodian.partnerName]),
        [
          ['apheresis_bag', 'Aurora Manufacturing Leiden'],
          ['final_product_bag', 'St. Elisabeth University Hospital'],
          ['final_product_bag', 'St. Elisabeth University Hospital'],
        ],
      );
      const times = forNurse.events.map((e: Json) => e.at);
      assert.deepEqual(times, [...times].sort());
      const other = await kit.as(
        'centre.coordinator@lakeside.example',
        'GET',
        `/api/cases/${caseId}/custody`,
      );
      assert.equal(other.status, 404);

      // Every custody change is on the chain of identity's ledger stream.
      const ledger = await server.database.db
        .selectFrom('ledger_entries')
        .select('action')
        .where('stream', '=', `custody:${coi}`)
        .execute();
      const actions = ledger.map((l) => l.action);
      assert.equal(actions.filter((a) => a === 'custody.handoff_completed').length, 4);
      assert.equal(
        actions.filter((a) => a === 'signature.applied').length,
        3,
        'hand-off signatures: the courier at pick-up, two nurses at receipt',
      );
      assert.ok(actions.includes('custody.bedside_verified'));
      assert.ok(actions.includes('custody.chain_of_identity_assigned'));
      const caseLedger = await server.database.db
        .selectFrom('ledger_entries')
        .select('action')
        .where('stream', '=', `case:${caseId}`)
        .where('action', '=', 'signature.applied')
        .execute();
      assert.equal(caseLedger.length, 5, 'step signatures: collection, two QA, two nurses at the bedside');
      const detail = await kit.detail(caseId);

      // Signed by the right roles, each with its meaning: the steps on the case timeline …
      const stepSigners = detail.timeline
        .filter((e: Json) => e.type === 'signature_given')
        .map(
          (e: Json) => `${e.by.role} (${e.by.partnerName}): ${e.summary.replace(/^signature \d+ on /, '')}`,
        );
      assert.deepEqual(stepSigners, [
        'collection_staff (St. Elisabeth University Hospital): apheresis: Collected by',
        'qa (Aurora Manufacturing Leiden): qa_release: Release of the batch for infusion',
        'qa (Aurora Manufacturing Leiden): qa_release: Release of the batch for infusion',
        'infusion_nurse (St. Elisabeth University Hospital): receipt_storage: Receipt of the product',
        'infusion_nurse (St. Elisabeth University Hospital): receipt_storage: Receipt of the product',
        'infusion_nurse (St. Elisabeth University Hospital): bedside_check: Two-person bedside identity verification',
        'infusion_nurse (St. Elisabeth University Hospital): bedside_check: Two-person bedside identity verification',
      ]);
      for (const step of ['qa_release', 'receipt_storage', 'bedside_check'])
        assert.equal(
          new Set(
            detail.timeline
              .filter((e: Json) => e.type === 'signature_given' && e.summary.includes(` on ${step}:`))
              .map((e: Json) => e.by.userId),
          ).size,
          2,
          `two different people signed ${step}`,
        );
      // … and the hand-offs on the custody timeline, with the signers' manifestations.
      const handoffSigners = forNurse.handoffs.flatMap((h: Json) =>
        h.signatures.map((s: Json) => `${s.signerRole}: ${s.meaning}`),
      );
      assert.deepEqual(handoffSigners, [
        'courier: Received for transport by',
        'infusion_nurse: Receipt of the product',
        'infusion_nurse: Receipt of the product',
      ]);
      assert.equal(forNurse.events.filter((e: Json) => e.type === 'handoff_signed').length, 3);
      assert.equal(
        detail.timeline.filter((e: Json) => e.type === 'custody_confirmed').length,
        3,
        'ship_to_plant, ship_to_site and receipt_storage confirmed by their hand-offs',
      );
    });
  },
);
