import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { carTAutologousTemplate } from '../../src/therapy/demo-templates/car-t-autologous.ts';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { CaseHttpKit, type Json } from './case-http-kit.ts';

const CENTRE = 'centre.coordinator@st-elisabeth.example';

describeEachDatabase(
  'bad input to cases and templates is refused, naming the problem; nothing changes',
  (target) => {
    let server: AccessTestServer;
    let kit: CaseHttpKit;
    let caseId: string;
    before(async () => {
      server = await startAccessTestServer(target);
      kit = await new CaseHttpKit(server).init();
      caseId = await kit.openCarT();
    });
    after(() => server.close());

    const referral = (fields: Record<string, unknown>) => ({
      type: 'complete_task',
      step: 'referral',
      task: 'submit_referral',
      fields,
    });

    test('a missing required field → 422 naming body.fields.<key>', async () => {
      const before = await kit.counts(caseId);
      const response = await kit.command(
        caseId,
        CENTRE,
        referral({ referring_physician: 'Dr. A', prior_lines: 2 }),
        422,
      );
      assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.ok(
        response.body.errors.some(
          (e: Json) => e.field === 'body.fields.indication' && /required/.test(e.reason),
        ),
      );
      const wrong = await kit.command(
        caseId,
        CENTRE,
        referral({ indication: 'dlbcl', referring_physician: 'Dr. A', prior_lines: 99 }),
        422,
      );
      assert.ok(wrong.body.errors.some((e: Json) => e.field === 'body.fields.prior_lines'));
      assert.deepEqual(await kit.counts(caseId), before);
    });

    test('a task done by the wrong role → 403; by the wrong partner → 403; outside the scope → 404', async () => {
      const before = await kit.counts(caseId);
      const fields = { indication: 'dlbcl', referring_physician: 'Dr. A', prior_lines: 2 };
      const nurse = await kit.command(caseId, 'nurse@st-elisabeth.example', referral(fields), 403);
      assert.match(nurse.body.detail, /centre_coordinator/);
      await kit.command(caseId, 'courier@coldpath.example', referral(fields), 403);
      await kit.command(caseId, 'qa@aurora-leiden.example', { type: 'complete_step', step: 'referral' }, 403);
      await kit.command(caseId, 'centre.coordinator@lakeside.example', referral(fields), 404);
      assert.deepEqual(await kit.counts(caseId), before);
    });

    test('a gate not met → 409 saying what is missing; a stale expectedSeq → 409', async () => {
      const before = await kit.counts(caseId);
      const early = await kit.command(caseId, CENTRE, { type: 'complete_step', step: 'referral' }, 409);
      assert.match(early.body.detail, /submit_referral/);
      assert.equal(early.body.missing.tasks[0].task, 'submit_referral');
      const notOpen = await kit.command(
        caseId,
        'courier@coldpath.example',
        { type: 'complete_step', step: 'ship_to_plant' },
        409,
      );
      assert.match(notOpen.body.detail, /not open/);
      await kit.command(
        caseId,
        CENTRE,
        {
          ...referral({ indication: 'dlbcl', referring_physician: 'Dr. A', prior_lines: 2 }),
          expectedSeq: 1,
        },
        409,
      );
      const unknown = await kit.command(caseId, CENTRE, { type: 'teleport' }, 422);
      assert.equal(unknown.body.errors[0].field, 'body.type');
      assert.deepEqual(await kit.counts(caseId), before);
    });

    test('opening a case with a party of the wrong kind → 422 naming the field; by a courier → 403', async () => {
      const before = await kit.counts();
      const wrong = await kit.as(
        CENTRE,
        'POST',
        '/api/cases',
        kit.openBody({
          parties: {
            collectionCentrePartnerId: kit.ids.partner['ST-ELISABETH'],
            manufacturingPartnerId: kit.ids.partner.COLDPATH,
            courierPartnerId: kit.ids.partner.COLDPATH,
          },
        }),
      );
      assert.equal(wrong.status, 422, JSON.stringify(wrong.body));
      assert.equal(wrong.body.errors[0].field, 'body.parties.manufacturingPartnerId');
      const noTemplate = await kit.as(
        CENTRE,
        'POST',
        '/api/cases',
        kit.openBody({ templateCode: 'no-such-therapy' }),
      );
      assert.equal(noTemplate.body.errors[0].field, 'body.templateCode');
      const courier = await kit.as('courier@coldpath.example', 'POST', '/api/cases', kit.openBody());
      assert.equal(courier.status, 403);
      const lakeside = await kit.as(
        'centre.coordinator@lakeside.example',
        'POST',
        '/api/cases',
        kit.openBody(),
      );
      assert.equal(lakeside.status, 422, 'another centre’s patient');
      assert.deepEqual(await kit.counts(), before);
    });

    test('an invalid template → 422 naming the path inside the document; validate says the same', async () => {
      const before = await kit.counts();
      const document = structuredClone(carTAutologousTemplate) as typeof carTAutologousTemplate &
        Record<string, unknown>;
      document.version = 7;
      const step = document.stages[3]?.steps[1] as { due?: { after: string } };
      if (step.due) step.due.after = 'P1M';
      const checked = await kit.as('coordinator@aurora.example', 'POST', '/api/therapy/templates/validate', {
        document,
      });
      assert.deepEqual(checked.body, {
        ok: false,
        errors: [
          {
            path: 'stages[3].steps[1].due.after',
            reason: 'must be an ISO-8601 duration in weeks, days, hours, minutes or seconds',
          },
        ],
      });
      const stored = await kit.as('coordinator@aurora.example', 'POST', '/api/therapy/templates', {
        document,
      });
      assert.equal(stored.status, 422);
      assert.equal(stored.body.errors[0].field, 'body.document.stages[3].steps[1].due.after');
      assert.equal(stored.body.errors[0].path, 'stages[3].steps[1].due.after');
      const nurse = await kit.as('nurse@st-elisabeth.example', 'POST', '/api/therapy/templates', {
        document,
      });
      assert.equal(nurse.status, 403);
      const republish = await kit.as(
        'coordinator@aurora.example',
        'POST',
        '/api/therapy/templates/car-t-autologous/versions/1/publish',
        { reason: 'again', signature: kit.signature() },
      );
      assert.equal(republish.status, 409);
      const count = await server.database.db
        .selectFrom('therapy_templates')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 4);
      assert.deepEqual(await kit.counts(), before);
    });

    test('concurrent commands on one case serialise: events stay gap-free, a duplicate is refused', async () => {
      const id = await kit.openCarT();
      await kit.finishStep(id, 'referral');
      const coordinator = 'coordinator@aurora.example';
      const fieldsOf: Record<string, Record<string, unknown>> = {
        consent: { consent_signed: true, consent_date: '2026-03-02' },
        eligibility: { ecog: '1' },
        benefits_verification: { coverage_status: 'approved' },
      };
      const bodies = [...Object.entries(fieldsOf), ['consent', fieldsOf.consent] as const].map(
        ([task, fields]) => ({
          type: 'complete_task',
          step: 'enrolment',
          task,
          fields,
        }),
      );
      const results = await Promise.all(
        bodies.map((b) => kit.as(coordinator, 'POST', `/api/cases/${id}/commands`, b)),
      );
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 409]);
      const seqs = (
        await server.database.db
          .selectFrom('case_events')
          .select('seq')
          .where('case_id', '=', id)
          .orderBy('seq')
          .execute()
      ).map((r) => r.seq);
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i + 1),
      );
      const ledger = await server.database.db
        .selectFrom('ledger_entries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stream', '=', `case:${id}`)
        .where('record_type', '=', 'case')
        .executeTakeFirstOrThrow();
      assert.equal(Number(ledger.n), seqs.length);
    });
  },
);
