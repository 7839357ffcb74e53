import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { caseDueTimes, nextDueInstant } from './case-due-times.ts';
import { carT, newCase, rightActor } from './case-test-kit.ts';

const HOUR = 3_600_000;

describe('due times and escalations', () => {
  test('the referral is due 2 days after it opens and escalates to the case manager a day later', () => {
    const driver = newCase();
    const opened = Date.parse(driver.current.steps.referral?.openedAt as string);
    const [referral] = caseDueTimes(carT, driver.current, new Date(opened + HOUR));
    assert.ok(referral);
    assert.equal(referral.step, 'referral');
    assert.equal(referral.dueAt, new Date(opened + 48 * HOUR).toISOString());
    assert.equal(referral.dueJobKey, 'case-1:referral:1:due');
    assert.equal(referral.overdue, false);
    assert.equal(referral.openForMs, HOUR);
    assert.deepEqual(referral.escalations, [
      {
        jobKey: 'case-1:referral:1:escalation:0:0',
        toRole: 'case_manager',
        at: new Date(opened + 72 * HOUR).toISOString(),
        rule: 0,
        repeat: 0,
        fired: false,
      },
    ]);
    const late = caseDueTimes(carT, driver.current, new Date(opened + 80 * HOUR))[0];
    assert.equal(late?.overdue, true);
    assert.equal(late?.escalations[0]?.fired, true);
  });

  test('repeating escalations: fresh apheresis on the road — due at 48 h, then every 2 h, at most 6 repeats', () => {
    const driver = newCase().runUntil('ship_to_plant');
    const opened = Date.parse(driver.current.steps.ship_to_plant?.openedAt as string);
    const [shipment] = caseDueTimes(carT, driver.current, new Date(opened));
    assert.ok(shipment);
    assert.equal(shipment.dueAt, new Date(opened + 48 * HOUR).toISOString());
    assert.deepEqual(
      shipment.escalations.map((e) => (Date.parse(e.at) - opened) / HOUR),
      [48, 50, 52, 54, 56, 58, 60],
    );
    assert.equal(
      new Set(shipment.escalations.map((e) => e.jobKey)).size,
      7,
      'each firing has its own job key',
    );
  });

  test('parallel steps each have their clock; steps without a due time have none', () => {
    const driver = newCase().runUntil('conditioning');
    assert.deepEqual(driver.current.openSteps, ['ship_to_site', 'conditioning']);
    const due = caseDueTimes(carT, driver.current, new Date(driver.current.lastEventAt));
    assert.deepEqual(
      due.map((d) => d.step),
      ['ship_to_site'],
    );
  });

  test('a re-opened step starts a new clock with new job keys', () => {
    const driver = newCase().runUntil('qc_release');
    const [raised] = driver.do(
      {
        type: 'raise_exception',
        step: 'qc_release',
        code: 'product_out_of_specification',
        reasonCode: 'dose_low',
        reason: 'low dose',
      },
      rightActor('lab', 'manufacturing_site'),
    );
    assert.ok(raised?.type === 'exception_raised');
    driver.do(
      { type: 'take_branch', exceptionId: raised.exceptionId, branch: 'remanufacture' },
      rightActor('qa', 'manufacturing_site'),
    );
    const [manufacturing] = caseDueTimes(carT, driver.current, new Date(driver.current.lastEventAt));
    assert.equal(manufacturing?.dueJobKey, 'case-1:manufacturing:2:due');
    assert.equal(manufacturing?.openedAt, driver.current.lastEventAt);
  });

  test('held, quarantined and ended cases have no running clocks', () => {
    const driver = newCase();
    driver.do({ type: 'hold_case', reason: 'payer' }, rightActor('case_manager', 'sponsor'));
    assert.deepEqual(caseDueTimes(carT, driver.current, new Date()), []);
    const done = newCase().runUntil();
    assert.deepEqual(caseDueTimes(carT, done.current, new Date()), []);
  });

  test('nextDueInstant is the earliest future instant', () => {
    const driver = newCase();
    const opened = Date.parse(driver.current.steps.referral?.openedAt as string);
    const due = caseDueTimes(carT, driver.current, new Date(opened));
    assert.equal(nextDueInstant(due, new Date(opened)), new Date(opened + 48 * HOUR).toISOString());
    assert.equal(
      nextDueInstant(due, new Date(opened + 50 * HOUR)),
      new Date(opened + 72 * HOUR).toISOString(),
    );
    assert.equal(nextDueInstant(due, new Date(opened + 100 * HOUR)), null);
  });
});
