import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { carT } from '../../src/cases/case-test-kit.ts';
import { indexTemplate } from '../../src/therapy/template-index.ts';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { CaseHttpKit, type Json } from './case-http-kit.ts';

describeEachDatabase(
  'a CAR-T case from referral to long-term follow-up, through the HTTP API only',
  (target) => {
    let server: AccessTestServer;
    let kit: CaseHttpKit;
    before(async () => {
      server = await startAccessTestServer(target);
      kit = await new CaseHttpKit(server).init();
    });
    after(() => server.close());

    test('the demo templates are published and readable; a version compares with itself as equal', async () => {
      const list = await kit.as('nurse@st-elisabeth.example', 'GET', '/api/therapy/templates');
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.templates.map((t: Json) => [t.code, t.status]).sort(),
        [
          ['car-t-autologous', 'published'],
          ['gene-therapy-ex-vivo-lentiviral', 'published'],
          ['gene-therapy-in-vivo-aav', 'published'],
          ['mrna-personalised-vaccine', 'published'],
        ].sort(),
      );
      const one = await kit.as(
        'courier@coldpath.example',
        'GET',
        '/api/therapy/templates/car-t-autologous/versions/1',
      );
      assert.equal(one.status, 200);
      assert.equal(one.body.template.document.stages[0].key, 'referral');
    });

    test('every step done by a user of the right partner; every transition in the ledger', async () => {
      const caseId = await kit.openCarT();
      await kit.runUntil(caseId);
      const detail = await kit.detail(caseId);
      assert.equal(detail.case.status, 'completed');
      assert.equal(detail.case.templateVersion, 1);
      assert.deepEqual(detail.openSteps, []);
      const completed = detail.timeline.filter((e: Json) => e.type === 'step_completed');
      assert.equal(completed.length, indexTemplate(carT).steps.length);
      const partnerOf = (summary: string) =>
        detail.timeline.find((e: Json) => e.type === 'step_completed' && e.summary === summary)?.by
          ?.partnerName;
      assert.equal(partnerOf('step apheresis completed'), 'St. Elisabeth University Hospital');
      assert.equal(partnerOf('step ship_to_plant completed'), 'ColdPath Cryogenic Logistics');
      assert.equal(partnerOf('step qa_release completed'), 'Aurora Manufacturing Leiden');
      assert.equal(partnerOf('step enrolment completed'), 'Aurora Cell Therapeutics');
      assert.equal(partnerOf('step long_term_follow_up completed'), 'St. Elisabeth University Hospital');
      // Two different QA people signed the release.
      const releaseSigners = detail.timeline
        .filter((e: Json) => e.type === 'signature_given' && e.summary.includes('qa_release'))
        .map((e: Json) => e.by.userId);
      assert.equal(new Set(releaseSigners).size, 2);
      // The collection is signed too, by the partner who did the work; the courier's pick-up is signed
      // on its custody hand-off (none in this journey), never on the ship_to_plant step.
      const signersOf = (step: string) =>
        detail.timeline
          .filter((e: Json) => e.type === 'signature_given' && e.summary.includes(` on ${step}:`))
          .map((e: Json) => [e.by.role, e.by.partnerName, e.summary]);
      assert.deepEqual(signersOf('apheresis'), [
        ['collection_staff', 'St. Elisabeth University Hospital', 'signature 1 on apheresis: Collected by'],
      ]);
      assert.deepEqual(signersOf('ship_to_plant'), []);
      // Each was an electronic signature given with the password and one-time code: a signature
      // record bound to the step record, and its ledger entry on the case's stream.
      const signatures = await server.database.db
        .selectFrom('signatures')
        .select(['record_id', 'meaning', 'signer_role', 'manifestation'])
        .where('record_type', '=', 'case_step')
        .where('record_id', 'like', `${caseId}:%`)
        .execute();
      const signatureOf = (step: string) => signatures.filter((s) => s.record_id === `${caseId}:${step}`);
      assert.deepEqual(
        signatureOf('apheresis').map((s) => [s.meaning, s.signer_role]),
        [['Collected by', 'collection_staff']],
      );
      assert.deepEqual(signatureOf('ship_to_plant'), []);
      assert.match(signatureOf('apheresis')[0]?.manifestation ?? '', /Collected by/);
      const signatureEvents = detail.timeline.filter((e: Json) => e.type === 'signature_given').length;
      assert.equal(signatures.length, signatureEvents, 'every step signature has its signature record');
      const applied = await server.database.db
        .selectFrom('ledger_entries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stream', '=', `case:${caseId}`)
        .where('action', '=', 'signature.applied')
        .executeTakeFirstOrThrow();
      assert.equal(Number(applied.n), signatureEvents);
      const events = await server.database.db
        .selectFrom('case_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('case_id', '=', caseId)
        .executeTakeFirstOrThrow();
      const ledger = await server.database.db
        .selectFrom('ledger_entries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stream', '=', `case:${caseId}`)
        .where('action', 'like', 'case.%')
        .where('record_type', '=', 'case')
        .executeTakeFirstOrThrow();
      assert.equal(Number(ledger.n), Number(events.n));
      assert.equal(
        Number(events.n),
        detail.timeline.filter(
          (e: { type: string }) => !e.type.includes('overdue') && e.type !== 'escalation_fired',
        ).length,
      );
    });

    test('the supply chain sees the case without the patient’s name; another centre does not see it at all', async () => {
      const caseId = await kit.openCarT();
      const courier = await kit.as('courier@coldpath.example', 'GET', `/api/cases/${caseId}`);
      assert.equal(courier.status, 200);
      assert.match(courier.body.case.patientLabel, /^CW-/);
      const centre = await kit.as('centre.coordinator@st-elisabeth.example', 'GET', `/api/cases/${caseId}`);
      assert.equal(centre.body.case.patientLabel, 'Jonas Weber');
      const other = await kit.as('centre.coordinator@lakeside.example', 'GET', `/api/cases/${caseId}`);
      assert.equal(other.status, 404);
      const list = await kit.as('centre.coordinator@lakeside.example', 'GET', '/api/cases');
      assert.ok(!list.body.cases.some((c: Json) => c.id === caseId));
      const filtered = await kit.as(
        'case.manager@aurora.example',
        'GET',
        '/api/cases?therapyType=car_t_autologous&stage=referral&status=active',
      );
      assert.ok(filtered.body.cases.some((c: Json) => c.id === caseId));
      assert.match(filtered.body.cases.find((c: Json) => c.id === caseId).waitingFor, /St\. Elisabeth/);
    });

    test('a running case keeps its version after a new one is published; new cases start on the new one', async () => {
      const running = await kit.openCarT();
      const v1 = await kit.as(
        'coordinator@aurora.example',
        'GET',
        '/api/therapy/templates/car-t-autologous/versions/1',
      );
      const document = {
        ...v1.body.template.document,
        version: 2,
        title: 'Autologous CAR-T cell therapy (v2)',
      };
      const draft = await kit.as('coordinator@aurora.example', 'POST', '/api/therapy/templates', {
        document,
      });
      assert.equal(draft.status, 201, JSON.stringify(draft.body));
      assert.equal(draft.body.template.status, 'draft');
      const published = await kit.as(
        'coordinator@aurora.example',
        'POST',
        '/api/therapy/templates/car-t-autologous/versions/2/publish',
        { reason: 'new title', signature: kit.signature() },
      );
      assert.equal(published.status, 200, JSON.stringify(published.body));
      assert.equal(published.body.template.status, 'published');
      const compare = await kit.as(
        'nurse@st-elisabeth.example',
        'GET',
        '/api/therapy/templates/car-t-autologous/compare?from=1&to=2',
      );
      assert.ok(compare.body.differences.some((d: Json) => d.description.startsWith('title:')));
      await kit.finishStep(running, 'referral');
      assert.equal((await kit.detail(running)).case.templateVersion, 1);
      const fresh = await kit.openCarT();
      assert.equal((await kit.detail(fresh)).case.templateVersion, 2);
      const retired = await kit.as(
        'coordinator@aurora.example',
        'POST',
        '/api/therapy/templates/car-t-autologous/versions/2/retire',
        { reason: 'back to v1' },
      );
      assert.equal(retired.body.template.status, 'retired');
      await kit.finishStep(fresh, 'referral');
      assert.equal((await kit.detail(fresh)).case.templateVersion, 2);
    });
  },
);
