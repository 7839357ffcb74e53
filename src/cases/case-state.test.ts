import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CaseEvent } from './case-events.ts';
import { CaseStreamError, caseState, evolve } from './case-state.ts';
import { carT, newCase, rightActor, validFields } from './case-test-kit.ts';

describe('case state from events', () => {
  test('open tasks carry the responsible partner type and role; waitingFor says what each open step needs', () => {
    const driver = newCase().runUntil('enrolment');
    const state = driver.current;
    assert.deepEqual(state.currentStages, ['enrolment']);
    assert.deepEqual(
      state.openTasks.map((t) => [t.step, t.task, t.partnerType, t.role]),
      [
        ['enrolment', 'consent', 'sponsor', 'program_coordinator'],
        ['enrolment', 'eligibility', 'sponsor', 'program_coordinator'],
        ['enrolment', 'benefits_verification', 'sponsor', 'program_coordinator'],
      ],
    );
    const waiting = state.waitingFor.enrolment;
    assert.ok(waiting);
    assert.equal(waiting.ready, false);
    assert.deepEqual(
      waiting.fields.map((f) => f.field),
      ['consent_signed', 'consent_date', 'ecog', 'coverage_status'],
      'optional fields are not waited for',
    );
    assert.deepEqual(waiting.approvals, [
      { role: 'case_manager', partnerType: 'sponsor', needed: 1, given: 0 },
    ]);
    assert.equal(waiting.signatures, null);
    assert.equal(waiting.custody, false);
  });

  test('the German receipt step waits for two signatures (override resolved with the case’s own country)', () => {
    const de = newCase(carT, { country: 'DE', siteId: 'site-berlin' }).runUntil('receipt_storage');
    assert.equal(de.current.waitingFor.receipt_storage?.signatures?.needed, 2);
    const nl = newCase(carT).runUntil('receipt_storage');
    assert.equal(nl.current.waitingFor.receipt_storage?.signatures?.needed, 1);
  });

  test('task values and who recorded them are kept on the run', () => {
    const driver = newCase();
    const fields = validFields(carT, 'referral', 'submit_referral');
    driver.do(
      { type: 'complete_task', step: 'referral', task: 'submit_referral', fields },
      rightActor('centre_coordinator', 'treatment_centre'),
    );
    const task = driver.current.steps.referral?.tasks.submit_referral;
    assert.equal(task?.status, 'done');
    assert.deepEqual(task?.completedBy, {
      userId: 'u-hospital-centre_coordinator-1',
      partnerId: 'p-hospital',
      role: 'centre_coordinator',
    });
    assert.deepEqual(task?.fields?.prior_lines, { value: 10, unit: 'lines' });
    assert.equal(driver.current.history.at(-1)?.summary, 'task referral.submit_referral completed');
  });

  test('evolve does not change the state it is given', () => {
    const driver = newCase();
    const before = driver.current;
    const copy = structuredClone(before);
    driver.do({ type: 'hold_case', reason: 'x' }, rightActor('case_manager', 'sponsor'));
    assert.deepEqual(before, copy);
    assert.notEqual(driver.current, before);
  });

  test('a corrupt stream is refused: no case_opened, gaps, repeats, another template version, events after the end', () => {
    const driver = newCase().runUntil('scheduling');
    const events = driver.events;
    assert.throws(() => caseState(carT, []), CaseStreamError);
    assert.throws(() => caseState(carT, events.slice(1)), /starts with case_opened/);
    assert.throws(() => caseState(carT, [events[0], events[2]] as CaseEvent[]), /seq 3 does not follow 1/);
    assert.throws(() => caseState(carT, [...events, events.at(-1) as CaseEvent]), CaseStreamError);
    assert.throws(
      () => caseState({ ...carT, version: 2 }, events),
      /runs on car-t-autologous v1, not car-t-autologous v2/,
    );
    const reopen = {
      seq: events.length + 1,
      at: 'x',
      by: null,
      type: 'step_opened',
      step: 'scheduling',
      attempt: 1,
    } as CaseEvent;
    assert.throws(() => evolve(carT, driver.current, [reopen]), /already open/);
    const ghost = {
      seq: events.length + 1,
      at: 'x',
      by: null,
      type: 'task_completed',
      step: 'thaw',
      attempt: 1,
      taskKey: 't',
      fields: {},
    } as CaseEvent;
    assert.throws(() => evolve(carT, driver.current, [ghost]), /not open/);
    const done = newCase().runUntil();
    const after = {
      seq: done.events.length + 1,
      at: 'x',
      by: null,
      type: 'case_held',
      reason: 'x',
    } as CaseEvent;
    assert.throws(() => evolve(carT, done.current, [after]), /has ended/);
  });

  test('a state of 500 events is rebuilt (a loose sanity bound; the bench measures it)', () => {
    const driver = newCase().runUntil('manufacturing');
    // Hold/resume pairs pad the stream to 500 events without changing the journey.
    while (driver.events.length < 499) {
      driver.do({ type: 'hold_case', reason: 'pause' }, rightActor('case_manager', 'sponsor'));
      driver.do({ type: 'resume_case', reason: 'go on' }, rightActor('case_manager', 'sponsor'));
    }
    const started = performance.now();
    const state = caseState(carT, driver.events);
    const elapsed = performance.now() - started;
    assert.equal(state.lastSeq, driver.events.length);
    assert.ok(elapsed < 2000, `took ${elapsed.toFixed(1)} ms`);
  });
});
