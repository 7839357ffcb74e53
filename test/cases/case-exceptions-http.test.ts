import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { CaseHttpKit, type Json } from './case-http-kit.ts';

const LAB = 'lab@aurora-leiden.example';
const QA = 'qa@aurora-leiden.example';
const MANAGER = 'case.manager@aurora.example';

describeEachDatabase(
  'exception paths through the HTTP API, each decided by the role its branch names',
  (target) => {
    let server: AccessTestServer;
    let kit: CaseHttpKit;
    before(async () => {
      server = await startAccessTestServer(target);
      kit = await new CaseHttpKit(server).init();
    });
    after(() => server.close());

    async function raise(caseId: string, email: string, step: string, code: string, reasonCode: string) {
      const response = await kit.command(caseId, email, {
        type: 'raise_exception',
        step,
        code,
        reasonCode,
        reason: `${code} observed`,
      });
      const exception = response.body.openExceptions.find((e: { step: string }) => e.step === step);
      assert.ok(exception, JSON.stringify(response.body.openExceptions));
      return exception.exceptionId as string;
    }
    const stepOf = (detail: Json, key: string) => detail.openSteps.find((s: Json) => s.key === key);

    test('product out of specification → re-manufacture, then again → re-collection', async () => {
      const caseId = await kit.openCarT();
      await kit.runUntil(caseId, 'qc_release');
      const first = await raise(caseId, LAB, 'qc_release', 'product_out_of_specification', 'viability_low');
      const before = await kit.counts(caseId);
      await kit.command(
        caseId,
        LAB,
        { type: 'take_branch', exceptionId: first, branch: 'remanufacture' },
        403,
      );
      assert.deepEqual(await kit.counts(caseId), before);
      const remanufacture = await kit.command(caseId, QA, {
        type: 'take_branch',
        exceptionId: first,
        branch: 'remanufacture',
        reason: 'retained material available',
      });
      assert.equal(stepOf(remanufacture.body, 'manufacturing').attempt, 2);
      assert.equal(stepOf(remanufacture.body, 'qc_release'), undefined);
      await kit.runUntil(caseId, 'qc_release');
      const second = await raise(
        caseId,
        QA,
        'qc_release',
        'product_out_of_specification',
        'sterility_failure',
      );
      const recollect = await kit.command(caseId, QA, {
        type: 'take_branch',
        exceptionId: second,
        branch: 'recollection',
      });
      assert.equal(stepOf(recollect.body, 'apheresis').attempt, 2);
      assert.equal(recollect.body.case.status, 'active');
    });

    test('temperature excursion → quarantine (nothing moves) → QA decides', async () => {
      const caseId = await kit.openCarT();
      await kit.runUntil(caseId, 'ship_to_site');
      const exceptionId = await raise(
        caseId,
        'courier@coldpath.example',
        'ship_to_site',
        'temperature_excursion',
        'above_range',
      );
      const quarantined = await kit.detail(caseId);
      assert.equal(quarantined.case.status, 'quarantined');
      assert.match(quarantined.case.waitingFor, /^Quarantined/);
      const before = await kit.counts(caseId);
      const blocked = await kit.command(
        caseId,
        'nurse@st-elisabeth.example',
        {
          type: 'complete_task',
          step: 'conditioning',
          task: 'administer',
          fields: { regimen: 'flu_cy', start_date: '2026-03-10', end_date: '2026-03-12' },
        },
        409,
      );
      assert.match(blocked.body.detail, /quarantined/);
      assert.deepEqual(await kit.counts(caseId), before);
      const qaWork = await kit.as(QA, 'GET', '/api/work');
      assert.ok(qaWork.body.tasks.some((t: Json) => t.caseId === caseId && t.taskKey === 'decide_exception'));
      const released = await kit.command(caseId, QA, {
        type: 'take_branch',
        exceptionId,
        branch: 'release',
        reason: 'within stability data',
      });
      assert.equal(released.body.case.status, 'active');
      await kit.runUntil(caseId);
      assert.equal((await kit.detail(caseId)).case.status, 'completed');
    });

    test('patient ineligible → hold (then resume), or cancel', async () => {
      const held = await kit.openCarT();
      await kit.runUntil(held, 'enrolment');
      const x1 = await raise(
        held,
        'coordinator@aurora.example',
        'enrolment',
        'patient_ineligible',
        'active_infection',
      );
      const onHold = await kit.command(held, MANAGER, {
        type: 'take_branch',
        exceptionId: x1,
        branch: 'hold',
      });
      assert.equal(onHold.body.case.status, 'on_hold');
      const resumed = await kit.command(held, MANAGER, { type: 'resume_case', reason: 'infection cleared' });
      assert.equal(resumed.body.case.status, 'active');

      const cancelled = await kit.openCarT();
      await kit.runUntil(cancelled, 'enrolment');
      const x2 = await raise(
        cancelled,
        'coordinator@aurora.example',
        'enrolment',
        'patient_ineligible',
        'insurance_denied',
      );
      const done = await kit.command(cancelled, MANAGER, {
        type: 'take_branch',
        exceptionId: x2,
        branch: 'cancel',
      });
      assert.equal(done.body.case.status, 'cancelled');
      const before = await kit.counts(cancelled);
      await kit.command(cancelled, MANAGER, { type: 'resume_case', reason: 'try' }, 409);
      assert.deepEqual(await kit.counts(cancelled), before);
    });

    test('withdrawal or death → the case closes, with its reason in the ledger', async () => {
      const withdrawn = await kit.openCarT();
      await kit.runUntil(withdrawn, 'apheresis');
      const x1 = await raise(
        withdrawn,
        'apheresis@st-elisabeth.example',
        'apheresis',
        'withdrawal',
        'consent_withdrawn',
      );
      const closed = await kit.command(withdrawn, MANAGER, {
        type: 'take_branch',
        exceptionId: x1,
        branch: 'close_case',
      });
      assert.equal(closed.body.case.status, 'closed');
      assert.deepEqual(closed.body.openSteps, []);

      const died = await kit.openCarT();
      await kit.runUntil(died, 'manufacturing');
      const x2 = await raise(died, MANAGER, 'manufacturing', 'death', 'disease_progression');
      const closedToo = await kit.command(died, MANAGER, {
        type: 'take_branch',
        exceptionId: x2,
        branch: 'close_case',
      });
      assert.equal(closedToo.body.case.status, 'closed');
      const entry = await server.database.db
        .selectFrom('ledger_entries')
        .select('reason')
        .where('stream', '=', `case:${died}`)
        .where('action', '=', 'case.case_closed')
        .executeTakeFirstOrThrow();
      assert.match(entry.reason ?? '', /^death: disease_progression/);
    });
  },
);
