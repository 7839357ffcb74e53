import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Role } from '../platform/access/roles.ts';
import { indexTemplate } from '../therapy/template-index.ts';
import type { CaseEvent } from './case-events.ts';
import { actor, type CaseDriver, carT, newCase, rightActor, validFields } from './case-test-kit.ts';

/** Someone of a case party who holds the role (QA of the plant, the case manager of the sponsor…). */
function partyActor(role: Role) {
  const partner: Record<string, string> = {
    case_manager: 'p-sponsor',
    program_coordinator: 'p-sponsor',
    centre_coordinator: 'p-hospital',
    collection_staff: 'p-apheresis',
    infusion_nurse: 'p-hospital',
    provider: 'p-hospital',
    courier: 'p-courier',
    manufacturing: 'p-plant',
    lab: 'p-plant',
    qa: 'p-plant',
  };
  return actor(partner[role] as string, role);
}

function raise(driver: CaseDriver, step: string, code: string, reasonCode?: string): string {
  const definition = indexTemplate(carT)
    .step.get(step)
    ?.exceptions.find((e) => e.code === code);
  assert.ok(definition, `${step} allows ${code}`);
  const [event] = driver.do(
    {
      type: 'raise_exception',
      step,
      code: code as never,
      reasonCode: reasonCode ?? (definition.reasonCodes[0] as string),
      reason: 'seen during the test',
    },
    partyActor(definition.raisedBy[0] as Role),
  );
  assert.equal(event?.type, 'exception_raised');
  return event?.type === 'exception_raised' ? event.exceptionId : '';
}

const lastOfType = (events: CaseEvent[], type: CaseEvent['type']) =>
  events.filter((e) => e.type === type).at(-1);

describe('every exception path of the CAR-T template', () => {
  for (const step of indexTemplate(carT).steps)
    for (const exception of step.exceptions)
      for (const branch of exception.branches)
        test(`${step.key}: ${exception.code} → ${branch.key}`, () => {
          const driver = newCase(carT).runUntil(step.key);
          const exceptionId = raise(driver, step.key, exception.code);
          assert.equal(driver.current.status, exception.quarantine ? 'quarantined' : 'active');
          assert.equal(driver.current.waitingFor[step.key]?.exception, exceptionId);
          // Nothing moves on the step until the branch is decided.
          const refused = driver.try(
            { type: 'complete_step', step: step.key },
            rightActor(step.role, step.partnerType),
          );
          assert.equal(refused.ok, false);
          driver.do(
            { type: 'take_branch', exceptionId, branch: branch.key },
            partyActor(branch.decidedBy[0] as Role),
          );
          const state = driver.current;
          assert.deepEqual(state.openExceptions, []);
          switch (branch.kind) {
            case 'close':
              assert.equal(state.status, 'closed');
              assert.equal(state.ending?.reason, exception.code);
              return;
            case 'cancel':
              assert.equal(state.status, 'cancelled');
              return;
            case 'hold':
              assert.equal(state.status, 'on_hold');
              driver.do({ type: 'resume_case', reason: 'eligible again' }, partyActor('case_manager'));
              break;
            case 'resume':
              assert.equal(state.status, 'active');
              assert.equal(state.steps[step.key]?.status, 'open');
              break;
            case 'go_to_step': {
              const target = branch.toStep as string;
              assert.equal(state.steps[target]?.status, 'open');
              assert.equal(state.steps[target]?.attempt, 2);
              if (target !== step.key) assert.equal(state.steps[step.key]?.status, 'abandoned');
              assert.ok(
                state.previousRuns.some((r) => r.step === target && r.attempt === 1),
                'the earlier run stays in the record',
              );
              break;
            }
          }
          driver.runUntil();
          assert.equal(driver.current.status, 'completed');
        });
});

describe('exception paths in detail', () => {
  test('QC out of specification → re-manufacture: QC run abandoned, manufacturing attempt 2, then QC attempt 2', () => {
    const driver = newCase(carT).runUntil('qc_release');
    const exceptionId = raise(driver, 'qc_release', 'product_out_of_specification', 'viability_low');
    const events = driver.do({ type: 'take_branch', exceptionId, branch: 'remanufacture' }, partyActor('qa'));
    assert.deepEqual(
      events.map((e) => [e.type, 'step' in e ? `${e.step}#${e.attempt}` : '', e.by?.role ?? 'engine']),
      [
        ['branch_taken', '', 'qa'],
        ['step_abandoned', 'qc_release#1', 'engine'],
        ['step_opened', 'manufacturing#2', 'engine'],
      ],
    );
    assert.deepEqual(driver.current.openSteps, ['manufacturing']);
    driver.finishStep('manufacturing');
    assert.equal(driver.current.steps.qc_release?.attempt, 2);
    assert.equal(driver.current.steps.qc_release?.status, 'open');
  });

  test('temperature excursion: the case is quarantined, only QA decides, and nothing else moves', () => {
    const driver = newCase(carT).runUntil('ship_to_plant');
    const exceptionId = raise(driver, 'ship_to_plant', 'temperature_excursion', 'above_range');
    assert.equal(driver.current.status, 'quarantined');
    const task = driver.try(
      {
        type: 'complete_task',
        step: 'ship_to_plant',
        task: 'pick_up',
        fields: validFields(carT, 'ship_to_plant', 'pick_up'),
      },
      rightActor('courier', 'courier'),
    );
    assert.deepEqual(task.ok ? null : task.error.kind, 'conflict');
    const byManager = driver.try(
      { type: 'take_branch', exceptionId, branch: 'release' },
      partyActor('case_manager'),
    );
    assert.equal(byManager.ok ? null : byManager.error.kind, 'forbidden');
    const byOtherPlantQa = driver.try(
      { type: 'take_branch', exceptionId, branch: 'release' },
      actor('p-other-plant', 'qa'),
    );
    assert.equal(byOtherPlantQa.ok ? null : byOtherPlantQa.error.kind, 'forbidden');
    const unknown = driver.try({ type: 'take_branch', exceptionId, branch: 'ignore' }, partyActor('qa'));
    assert.deepEqual(unknown.ok ? null : unknown.error, {
      kind: 'invalid_input',
      fields: [{ field: 'branch', reason: 'must be one of release, recollection for temperature_excursion' }],
    });
    driver.do(
      { type: 'take_branch', exceptionId, branch: 'release', reason: 'within stability data' },
      partyActor('qa'),
    );
    assert.equal(driver.current.status, 'active');
    driver.runUntil();
    assert.equal(driver.current.status, 'completed');
  });

  test('patient ineligible at enrolment → hold: everything but resume and close is refused', () => {
    const driver = newCase(carT).runUntil('enrolment');
    const exceptionId = raise(driver, 'enrolment', 'patient_ineligible', 'active_infection');
    driver.do({ type: 'take_branch', exceptionId, branch: 'hold' }, partyActor('case_manager'));
    assert.equal(driver.current.status, 'on_hold');
    const task = driver.try(
      {
        type: 'complete_task',
        step: 'enrolment',
        task: 'consent',
        fields: validFields(carT, 'enrolment', 'consent'),
      },
      rightActor('program_coordinator', 'sponsor'),
    );
    assert.match(task.ok ? '' : (task.error as { reason: string }).reason, /on hold/);
    assert.equal(lastOfType(driver.events, 'case_held')?.type, 'case_held');
    driver.do({ type: 'resume_case', reason: 'infection resolved' }, partyActor('case_manager'));
    assert.equal(driver.current.status, 'active');
  });

  test('patient ineligible at conditioning → cancel: the case accepts nothing more', () => {
    const driver = newCase(carT).runUntil('conditioning');
    const exceptionId = raise(driver, 'conditioning', 'patient_ineligible', 'organ_function');
    driver.do({ type: 'take_branch', exceptionId, branch: 'cancel' }, partyActor('case_manager'));
    assert.equal(driver.current.status, 'cancelled');
    assert.deepEqual(driver.current.openSteps, []);
    const close = driver.try(
      { type: 'close_case', reason: 'other', note: 'tidy up' },
      partyActor('case_manager'),
    );
    assert.match(
      close.ok ? '' : (close.error as { reason: string }).reason,
      /cancelled; it accepts no commands/,
    );
  });

  test('death during follow-up closes the case with the reason code in the note', () => {
    const driver = newCase(carT).runUntil('follow_up_day_14');
    const exceptionId = raise(driver, 'follow_up_day_14', 'death', 'disease_progression');
    driver.do({ type: 'take_branch', exceptionId, branch: 'close_case' }, partyActor('case_manager'));
    const closed = lastOfType(driver.events, 'case_closed');
    assert.ok(closed?.type === 'case_closed');
    assert.equal(closed.reason, 'death');
    assert.match(closed.note, /disease_progression/);
  });

  test('raising: only the step’s codes and reason codes, by its roles, one at a time', () => {
    const driver = newCase(carT).runUntil('apheresis');
    const wrongCode = driver.try(
      {
        type: 'raise_exception',
        step: 'apheresis',
        code: 'temperature_excursion',
        reasonCode: 'above_range',
        reason: 'x',
      },
      partyActor('collection_staff'),
    );
    assert.deepEqual(wrongCode.ok ? null : wrongCode.error, {
      kind: 'invalid_input',
      fields: [{ field: 'code', reason: 'step apheresis allows patient_ineligible, withdrawal, death' }],
    });
    const wrongReason = driver.try(
      { type: 'raise_exception', step: 'apheresis', code: 'withdrawal', reasonCode: 'bored', reason: 'x' },
      partyActor('collection_staff'),
    );
    assert.equal(wrongReason.ok ? null : wrongReason.error.kind, 'invalid_input');
    const wrongRole = driver.try(
      {
        type: 'raise_exception',
        step: 'apheresis',
        code: 'withdrawal',
        reasonCode: 'patient_choice',
        reason: 'x',
      },
      partyActor('courier'),
    );
    assert.equal(wrongRole.ok ? null : wrongRole.error.kind, 'forbidden');
    const noReason = driver.try(
      {
        type: 'raise_exception',
        step: 'apheresis',
        code: 'withdrawal',
        reasonCode: 'patient_choice',
        reason: '  ',
      },
      partyActor('collection_staff'),
    );
    assert.deepEqual(noReason.ok ? null : noReason.error, {
      kind: 'invalid_input',
      fields: [{ field: 'reason', reason: 'must say why' }],
    });
    raise(driver, 'apheresis', 'withdrawal');
    const second = driver.try(
      { type: 'raise_exception', step: 'apheresis', code: 'death', reasonCode: 'other_cause', reason: 'x' },
      partyActor('collection_staff'),
    );
    assert.equal(second.ok ? null : second.error.kind, 'conflict');
  });
});
