import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DecideResult } from './case-commands.ts';
import { decide } from './case-commands.ts';
import { actor, carT, ctx, newCase, rightActor, validFields } from './case-test-kit.ts';

const nurse = rightActor('infusion_nurse', 'treatment_centre');
const coordinator = rightActor('centre_coordinator', 'treatment_centre');

function errorOf(result: DecideResult) {
  assert.equal(result.ok, false, 'expected a refusal');
  return result.ok ? assert.fail() : result.error;
}

describe('open case', () => {
  test('by the treatment centre’s coordinator: case_opened, then the first step opens (by the engine)', () => {
    const result = decide(
      carT,
      null,
      {
        type: 'open_case',
        caseId: 'c1',
        patientId: 'p1',
        country: 'DE',
        siteId: 'site-berlin',
        caseOwnerUserId: 'u-cm',
      },
      ctx(coordinator),
    );
    assert.ok(result.ok);
    assert.deepEqual(
      result.events.map((e) => [e.seq, e.type, e.by?.role ?? null]),
      [
        [1, 'case_opened', 'centre_coordinator'],
        [2, 'step_opened', null],
      ],
    );
    const opened = result.events[0];
    assert.ok(opened?.type === 'case_opened');
    assert.equal(opened.templateVersion, 1);
    assert.equal(opened.at, '2026-03-02T08:00:00.000Z');
  });

  test('bad input names the field; wrong roles and outsiders are forbidden; twice is a conflict', () => {
    const command = {
      type: 'open_case',
      caseId: 'c1',
      patientId: 'p1',
      country: 'Germany',
      siteId: 's',
      caseOwnerUserId: 'u',
    } as const;
    assert.deepEqual(errorOf(decide(carT, null, command, ctx(coordinator))), {
      kind: 'invalid_input',
      fields: [{ field: 'country', reason: 'must be an ISO 3166-1 alpha-2 code' }],
    });
    const good = { ...command, country: 'DE' };
    assert.equal(errorOf(decide(carT, null, good, ctx(rightActor('courier', 'courier')))).kind, 'forbidden');
    assert.equal(
      errorOf(decide(carT, null, good, ctx(actor('p-other-hospital', 'centre_coordinator')))).kind,
      'forbidden',
    );
    const driver = newCase();
    assert.equal(errorOf(decide(carT, driver.current, good, ctx(coordinator))).kind, 'conflict');
  });

  test('an unknown command type is invalid input', () => {
    assert.equal(
      errorOf(decide(carT, null, { type: 'teleport' } as never, ctx(coordinator))).kind,
      'invalid_input',
    );
  });
});

describe('complete task', () => {
  test('a missing required field is refused naming the field, and nothing changes', () => {
    const driver = newCase();
    const before = structuredClone(driver.current);
    const fields = validFields(carT, 'referral', 'submit_referral');
    delete fields.indication;
    const error = errorOf(
      driver.try({ type: 'complete_task', step: 'referral', task: 'submit_referral', fields }, coordinator),
    );
    assert.deepEqual(error, {
      kind: 'invalid_input',
      fields: [{ field: 'fields.indication', reason: 'is required' }],
    });
    assert.deepEqual(driver.current, before);
  });

  test('types, units, ranges, options, patterns and unknown fields', () => {
    const driver = newCase().runUntil('apheresis');
    const staff = rightActor('collection_staff', 'collection_centre');
    const error = errorOf(
      driver.try(
        {
          type: 'complete_task',
          step: 'apheresis',
          task: 'collect',
          fields: {
            chain_of_identity: 'not-a-coi',
            collection_end: '2026-02-30T10:00:00Z',
            cd3_count: { value: 5, unit: 'cells' },
            volume: 20,
            colour: 'red',
          },
        },
        staff,
      ),
    );
    assert.deepEqual(error, {
      kind: 'invalid_input',
      fields: [
        { field: 'fields.colour', reason: 'is not a field of this task' },
        { field: 'fields.chain_of_identity', reason: 'must match ^[A-Z][0-9]{4}[0-9]{2}[0-9]{6}[0-9A-Z*]$' },
        { field: 'fields.collection_end', reason: 'must be a date and time with a UTC offset (ISO 8601)' },
        { field: 'fields.cd3_count', reason: 'must be in 10^9 cells (got cells)' },
        { field: 'fields.volume', reason: 'must be at least 50 mL' },
      ],
    });
    const ok = driver.try(
      {
        type: 'complete_task',
        step: 'apheresis',
        task: 'collect',
        fields: { ...validFields(carT, 'apheresis', 'collect'), cd3_count: { value: 5, unit: '10^9 cells' } },
      },
      staff,
    );
    assert.ok(ok.ok);
    const event = ok.events[0];
    assert.ok(event?.type === 'task_completed');
    assert.deepEqual(event.fields.cd3_count, { value: 5, unit: '10^9 cells' });
    assert.deepEqual(event.fields.volume, { value: 275, unit: 'mL' }, 'numbers are stored with their unit');
  });

  test('field optionality follows the site override (Paris: volume optional)', () => {
    const fields = validFields(carT, 'apheresis', 'collect');
    delete fields.volume;
    const command = { type: 'complete_task', step: 'apheresis', task: 'collect', fields } as const;
    const staff = rightActor('collection_staff', 'collection_centre');
    const paris = newCase(carT, { country: 'FR', siteId: 'site-paris-saint-louis' }).runUntil('apheresis');
    assert.ok(paris.try(command, staff).ok);
    const lyon = newCase(carT, { country: 'FR', siteId: 'site-lyon' }).runUntil('apheresis');
    assert.deepEqual(errorOf(lyon.try(command, staff)), {
      kind: 'invalid_input',
      fields: [{ field: 'fields.volume', reason: 'is required' }],
    });
  });

  test('the wrong role or the wrong partner is forbidden; done twice or on a closed step is a conflict', () => {
    const driver = newCase().runUntil('apheresis');
    const command = {
      type: 'complete_task',
      step: 'apheresis',
      task: 'collect',
      fields: validFields(carT, 'apheresis', 'collect'),
    } as const;
    assert.deepEqual(errorOf(driver.try(command, nurse)), {
      kind: 'forbidden',
      reason: 'requires the role collection_staff',
    });
    // A hospital's collection staff is a valid role, but this case's collection centre is another partner.
    assert.match(
      (errorOf(driver.try(command, actor('p-hospital', 'collection_staff'))) as { reason: string }).reason,
      /collection_centre partner/,
    );
    const multiRole = {
      ...rightActor('courier', 'courier'),
      roles: ['courier', 'collection_staff'] as const,
    };
    assert.match(
      (errorOf(driver.try(command, { ...multiRole, roles: [...multiRole.roles] })) as { reason: string })
        .reason,
      /not valid at a courier/,
    );
    driver.do(command, rightActor('collection_staff', 'collection_centre'));
    assert.match(
      (
        errorOf(driver.try(command, rightActor('collection_staff', 'collection_centre'))) as {
          reason: string;
        }
      ).reason,
      /already done/,
    );
    const closedStep = {
      type: 'complete_task',
      step: 'referral',
      task: 'submit_referral',
      fields: {},
    } as const;
    assert.equal(errorOf(driver.try(closedStep, coordinator)).kind, 'conflict');
    assert.deepEqual(errorOf(driver.try({ ...command, task: 'dance' }, coordinator)), {
      kind: 'invalid_input',
      fields: [{ field: 'task', reason: 'must be one of collect, label_bag in step apheresis' }],
    });
    assert.equal(errorOf(driver.try({ ...command, step: 'nowhere' }, coordinator)).kind, 'invalid_input');
  });
});

describe('gates', () => {
  test('completing a step with open tasks is a conflict listing what is missing', () => {
    const driver = newCase();
    const error = errorOf(driver.try({ type: 'complete_step', step: 'referral' }, coordinator));
    assert.equal(error.kind, 'conflict');
    assert.ok(error.kind === 'conflict' && error.missing);
    assert.deepEqual(error.missing.tasks, [
      { task: 'submit_referral', partnerType: 'treatment_centre', role: 'centre_coordinator' },
    ]);
    assert.deepEqual(
      error.missing.fields.map((f) => f.field),
      ['indication', 'referring_physician', 'prior_lines'],
    );
    assert.match(error.reason, /waits for “submit_referral”/);
  });

  test('approvals: by the listed role of the right partner, one per person, and the step waits for them', () => {
    const driver = newCase().runUntil('enrolment');
    const coordinatorOfSponsor = rightActor('program_coordinator', 'sponsor');
    for (const task of ['consent', 'eligibility', 'benefits_verification'])
      driver.do(
        { type: 'complete_task', step: 'enrolment', task, fields: validFields(carT, 'enrolment', task) },
        coordinatorOfSponsor,
      );
    const notReady = errorOf(driver.try({ type: 'complete_step', step: 'enrolment' }, coordinatorOfSponsor));
    assert.deepEqual(notReady.kind === 'conflict' && notReady.missing?.approvals, [
      { role: 'case_manager', partnerType: 'sponsor', needed: 1, given: 0 },
    ]);
    assert.equal(
      errorOf(driver.try({ type: 'give_approval', step: 'enrolment' }, coordinatorOfSponsor)).kind,
      'forbidden',
    );
    assert.equal(
      errorOf(driver.try({ type: 'give_approval', step: 'enrolment', role: 'qa' }, coordinatorOfSponsor))
        .kind,
      'invalid_input',
    );
    const manager = rightActor('case_manager', 'sponsor');
    driver.do({ type: 'give_approval', step: 'enrolment', comment: 'eligible' }, manager);
    assert.equal(errorOf(driver.try({ type: 'give_approval', step: 'enrolment' }, manager)).kind, 'conflict');
    assert.equal(errorOf(driver.try({ type: 'give_approval', step: 'referral' }, manager)).kind, 'conflict');
    driver.do({ type: 'complete_step', step: 'enrolment' }, coordinatorOfSponsor);
    assert.deepEqual(driver.current.openSteps, ['scheduling']);
  });

  test('signatures: after the tasks, bound to the record hash, by different QA people of the plant, in order', () => {
    const driver = newCase().runUntil('qa_release');
    const qa1 = rightActor('qa', 'manufacturing_site', 1);
    const qa2 = rightActor('qa', 'manufacturing_site', 2);
    const meaning = 'Release of the batch for infusion';
    const early = driver.current.waitingFor.qa_release?.signatures;
    assert.ok(early);
    assert.equal(
      errorOf(
        driver.try(
          { type: 'record_signature', step: 'qa_release', meaning, recordHash: early.recordHash },
          qa1,
        ),
      ).kind,
      'conflict',
    );
    driver.do(
      {
        type: 'complete_task',
        step: 'qa_release',
        task: 'batch_record_review',
        fields: validFields(carT, 'qa_release', 'batch_record_review'),
      },
      qa1,
    );
    const gate = driver.current.waitingFor.qa_release?.signatures;
    assert.ok(gate);
    assert.notEqual(gate.recordHash, early.recordHash, 'the hash covers the recorded values');
    assert.deepEqual(
      errorOf(
        driver.try(
          { type: 'record_signature', step: 'qa_release', meaning: 'ok', recordHash: gate.recordHash },
          qa1,
        ),
      ),
      {
        kind: 'invalid_input',
        fields: [{ field: 'meaning', reason: `must be “${meaning}”` }],
      },
    );
    assert.equal(
      errorOf(
        driver.try(
          { type: 'record_signature', step: 'qa_release', meaning, recordHash: 'a'.repeat(64) },
          qa1,
        ),
      ).kind,
      'conflict',
    );
    assert.equal(
      errorOf(
        driver.try(
          { type: 'record_signature', step: 'qa_release', meaning, recordHash: gate.recordHash },
          rightActor('manufacturing', 'manufacturing_site'),
        ),
      ).kind,
      'forbidden',
    );
    assert.equal(
      errorOf(
        driver.try(
          { type: 'record_signature', step: 'qa_release', meaning, recordHash: gate.recordHash },
          actor('p-sponsor', 'qa'),
        ),
      ).kind,
      'forbidden',
      'QA of the sponsor is not the plant’s QA',
    );
    driver.do({ type: 'record_signature', step: 'qa_release', meaning, recordHash: gate.recordHash }, qa1);
    assert.equal(
      errorOf(
        driver.try(
          { type: 'record_signature', step: 'qa_release', meaning, recordHash: gate.recordHash },
          qa1,
        ),
      ).kind,
      'conflict',
    );
    assert.equal(errorOf(driver.try({ type: 'complete_step', step: 'qa_release' }, qa1)).kind, 'conflict');
    driver.do({ type: 'record_signature', step: 'qa_release', meaning, recordHash: gate.recordHash }, qa2);
    assert.equal(
      errorOf(
        driver.try(
          { type: 'record_signature', step: 'qa_release', meaning, recordHash: gate.recordHash },
          rightActor('qa', 'manufacturing_site', 3),
        ),
      ).kind,
      'conflict',
    );
    driver.do({ type: 'complete_step', step: 'qa_release' }, qa2);
    assert.deepEqual(driver.current.openSteps, ['ship_to_site', 'conditioning']);
  });

  test('custody: the step waits for it; a party confirms once; steps without a hand-off refuse it', () => {
    const driver = newCase().runUntil('ship_to_plant');
    const courier = rightActor('courier', 'courier');
    for (const task of ['pick_up', 'deliver'])
      driver.do(
        {
          type: 'complete_task',
          step: 'ship_to_plant',
          task,
          fields: validFields(carT, 'ship_to_plant', task),
        },
        courier,
      );
    const error = errorOf(driver.try({ type: 'complete_step', step: 'ship_to_plant' }, courier));
    assert.ok(error.kind === 'conflict' && error.missing?.custody === true);
    assert.equal(
      errorOf(
        driver.try(
          { type: 'confirm_custody', step: 'ship_to_plant', custodyRecordId: 'h1' },
          actor('p-other-plant', 'manufacturing'),
        ),
      ).kind,
      'forbidden',
    );
    driver.do(
      { type: 'confirm_custody', step: 'ship_to_plant', custodyRecordId: 'h1' },
      rightActor('manufacturing', 'manufacturing_site'),
    );
    assert.equal(
      errorOf(driver.try({ type: 'confirm_custody', step: 'ship_to_plant', custodyRecordId: 'h2' }, courier))
        .kind,
      'conflict',
    );
    assert.equal(
      errorOf(driver.try({ type: 'complete_step', step: 'ship_to_plant' }, nurse)).kind,
      'forbidden',
    );
    // The courier's signature ("Received for transport by") is given on the pick-up hand-off, and the
    // step waits for it through its custody gate: the step asks for no signature of its own.
    assert.equal(driver.current.waitingFor.ship_to_plant?.signatures, null);
    assert.equal(driver.current.waitingFor.ship_to_plant?.ready, true);
    const signed = errorOf(
      driver.try(
        {
          type: 'record_signature',
          step: 'ship_to_plant',
          meaning: 'Received for transport by',
          recordHash: 'a'.repeat(64),
        },
        courier,
      ),
    );
    assert.ok(signed.kind === 'conflict');
    assert.equal(signed.reason, 'signatures on ship_to_plant are given on its custody hand-off');
    driver.do({ type: 'complete_step', step: 'ship_to_plant' }, courier);
    assert.equal(
      errorOf(driver.try({ type: 'confirm_custody', step: 'manufacturing', custodyRecordId: 'h3' }, courier))
        .kind,
      'conflict',
    );
  });
});

describe('hold, resume and close', () => {
  test('case-level commands are for case managers and coordinators of the case’s parties, with a reason', () => {
    const driver = newCase().runUntil('scheduling');
    const manager = rightActor('case_manager', 'sponsor');
    assert.equal(errorOf(driver.try({ type: 'hold_case', reason: 'payer query' }, nurse)).kind, 'forbidden');
    assert.equal(errorOf(driver.try({ type: 'hold_case', reason: '' }, manager)).kind, 'invalid_input');
    assert.equal(errorOf(driver.try({ type: 'resume_case', reason: 'not held' }, manager)).kind, 'conflict');
    driver.do({ type: 'hold_case', reason: 'payer query' }, manager);
    assert.equal(driver.current.status, 'on_hold');
    assert.equal(errorOf(driver.try({ type: 'hold_case', reason: 'again' }, manager)).kind, 'conflict');
    driver.do({ type: 'resume_case', reason: 'payer approved' }, coordinator);
    assert.equal(driver.current.status, 'active');
    assert.deepEqual(
      errorOf(driver.try({ type: 'close_case', reason: 'bored' as never, note: 'x' }, manager)).kind,
      'invalid_input',
    );
    driver.do(
      { type: 'close_case', reason: 'withdrawal', note: 'patient withdrew consent by phone' },
      manager,
    );
    assert.equal(driver.current.status, 'closed');
    assert.deepEqual(driver.current.ending, {
      status: 'closed',
      reason: 'withdrawal',
      note: 'patient withdrew consent by phone',
      at: driver.events.at(-1)?.at,
    });
    assert.deepEqual(driver.current.openTasks, []);
    assert.equal(errorOf(driver.try({ type: 'resume_case', reason: 'oops' }, manager)).kind, 'conflict');
  });
});
