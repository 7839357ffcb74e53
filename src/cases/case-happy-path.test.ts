import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_TEMPLATES } from '../therapy/demo-templates/demo-template-list.ts';
import { indexTemplate } from '../therapy/template-index.ts';
import type { CaseEvent } from './case-events.ts';
import { caseState } from './case-state.ts';
import { carT, newCase, PARTIES, parsed } from './case-test-kit.ts';

function byOf(events: CaseEvent[], step: string, type: CaseEvent['type']) {
  return events.filter((e) => 'step' in e && e.step === step && e.type === type).map((e) => e.by);
}

describe('a complete CAR-T case, referral to long-term follow-up', () => {
  const driver = newCase(carT).runUntil();
  const state = driver.current;
  const events = driver.events;

  test('ends completed with every step completed once, in the template’s order', () => {
    assert.equal(state.status, 'completed');
    assert.deepEqual(state.openSteps, []);
    assert.deepEqual(state.openTasks, []);
    const completed = events
      .filter((e) => e.type === 'step_completed')
      .map((e) => ('step' in e ? e.step : ''));
    assert.equal(completed.length, indexTemplate(carT).steps.length);
    assert.equal(new Set(completed).size, completed.length);
    assert.equal(completed[0], 'referral');
    assert.equal(completed.at(-1), 'long_term_follow_up');
    assert.equal(events.at(-1)?.type, 'case_completed');
  });

  test('each step was done by the right partner and role', () => {
    assert.deepEqual(byOf(events, 'apheresis', 'task_completed'), [
      {
        userId: 'u-apheresis-collection_staff-1',
        partnerId: PARTIES.collectionCentrePartnerId,
        role: 'collection_staff',
      },
      {
        userId: 'u-apheresis-collection_staff-1',
        partnerId: PARTIES.collectionCentrePartnerId,
        role: 'collection_staff',
      },
    ]);
    assert.deepEqual(byOf(events, 'apheresis', 'signature_given'), [
      {
        userId: 'u-apheresis-collection_staff-1',
        partnerId: PARTIES.collectionCentrePartnerId,
        role: 'collection_staff',
      },
    ]);
    // The courier signs the pick-up on its custody hand-off, not on the step.
    assert.deepEqual(byOf(events, 'ship_to_plant', 'signature_given'), []);
    const qaSignatures = byOf(events, 'qa_release', 'signature_given');
    assert.equal(qaSignatures.length, 2);
    assert.ok(
      qaSignatures.every((by) => by?.role === 'qa' && by.partnerId === PARTIES.manufacturingSitePartnerId),
    );
    assert.notEqual(qaSignatures[0]?.userId, qaSignatures[1]?.userId);
    assert.ok(
      byOf(events, 'ship_to_plant', 'task_completed').every(
        (by) => by?.role === 'courier' && by.partnerId === 'p-courier',
      ),
    );
    assert.ok(
      byOf(events, 'infusion', 'task_completed').every(
        (by) => by?.role === 'infusion_nurse' && by.partnerId === 'p-hospital',
      ),
    );
    assert.deepEqual(
      byOf(events, 'enrolment', 'approval_given').map((by) => by?.role),
      ['case_manager'],
    );
    assert.equal(
      byOf(events, 'receipt_storage', 'signature_given').length,
      1,
      'NL: one signature at receipt',
    );
  });

  test('QA release opens shipment and conditioning in parallel; thaw waits for both', () => {
    const afterQa = events.findIndex(
      (e) => e.type === 'step_completed' && 'step' in e && e.step === 'qa_release',
    );
    const opened = events
      .slice(afterQa + 1, afterQa + 3)
      .map((e) => (e.type === 'step_opened' ? e.step : e.type));
    assert.deepEqual(opened, ['ship_to_site', 'conditioning']);
    const thawOpened = events.findIndex((e) => e.type === 'step_opened' && e.step === 'thaw');
    const receiptDone = events.findIndex(
      (e) => e.type === 'step_completed' && 'step' in e && e.step === 'receipt_storage',
    );
    const conditioningDone = events.findIndex(
      (e) => e.type === 'step_completed' && 'step' in e && e.step === 'conditioning',
    );
    assert.ok(thawOpened > receiptDone && thawOpened > conditioningDone);
    assert.equal(events.filter((e) => e.type === 'step_opened' && e.step === 'thaw').length, 1);
  });

  test('the state rebuilt from the events alone equals the state built step by step', () => {
    assert.deepEqual(caseState(carT, events), state);
  });

  test('sequence numbers run 1..n without gaps and history has one entry per event', () => {
    assert.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i + 1),
    );
    assert.equal(state.history.length, events.length);
    assert.equal(state.lastSeq, events.length);
  });

  test('in Germany receipt takes two signatures by two nurses', () => {
    const de = newCase(carT, { country: 'DE', siteId: 'site-berlin' }).runUntil();
    assert.equal(de.current.status, 'completed');
    const signers = byOf(de.events, 'receipt_storage', 'signature_given');
    assert.equal(signers.length, 2);
    assert.notEqual(signers[0]?.userId, signers[1]?.userId);
  });
});

describe('every demo template runs to completion on the happy path', () => {
  for (const input of DEMO_TEMPLATES)
    test(input.code, () => {
      const template = parsed(input);
      const driver = newCase(template).runUntil();
      assert.equal(driver.current.status, 'completed');
      const completed = new Set(
        driver.events.filter((e) => e.type === 'step_completed').map((e) => ('step' in e ? e.step : '')),
      );
      assert.deepEqual(
        [...completed].sort(),
        indexTemplate(template)
          .steps.map((s) => s.key)
          .sort(),
      );
    });
});
