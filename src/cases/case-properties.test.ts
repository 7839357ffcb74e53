import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Role } from '../platform/access/roles.ts';
import { carTAutologousTemplate } from '../therapy/demo-templates/car-t-autologous.ts';
import { mrnaPersonalisedVaccineTemplate } from '../therapy/demo-templates/mrna-personalised-vaccine.ts';
import { resolveStep } from '../therapy/override-resolution.ts';
import { templateRecordHash } from '../therapy/template-hash.ts';
import { indexTemplate, taskPartnerType, taskRole } from '../therapy/template-index.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import {
  createDraft,
  draftNextVersion,
  pinnedVersion,
  publishVersion,
  retireVersion,
  type TemplateVersion,
  versionForNewCase,
} from '../therapy/template-versions.ts';
import { type Actor, partyFor } from './case-authorisation.ts';
import { type CaseCommand, decide } from './case-commands.ts';
import type { CaseEvent } from './case-events.ts';
import {
  type CaseState,
  CaseStreamError,
  caseState,
  evolve,
  type StepRun,
  TERMINAL_STATUSES,
} from './case-state.ts';
import { actor, at, carT, ctx, newCase, PARTIES, parsed, rightActor, validFields } from './case-test-kit.ts';

/** Every kind of person the random walks may pick, right or wrong for the work at hand. */
const POOL: Actor[] = [
  ...(['program_coordinator', 'case_manager', 'qa', 'msl'] as Role[]).map((r) => actor('p-sponsor', r)),
  ...(['centre_coordinator', 'infusion_nurse', 'provider', 'collection_staff'] as Role[]).map((r) =>
    actor('p-hospital', r),
  ),
  actor('p-hospital', 'infusion_nurse', 2),
  actor('p-apheresis', 'collection_staff'),
  ...(['manufacturing', 'lab', 'qa'] as Role[]).map((r) => actor('p-plant', r)),
  actor('p-plant', 'qa', 2),
  actor('p-plant', 'qa', 3),
  actor('p-courier', 'courier'),
  actor('p-lab', 'lab'),
  actor('p-other-hospital', 'infusion_nurse'),
  actor('p-other-plant', 'qa'),
];

type Move = { kind: number; pick: number; who: number; right: boolean; valid: boolean };
const moveArb = fc.record({
  kind: fc.nat(99),
  pick: fc.nat(1000),
  who: fc.nat(1000),
  right: fc.boolean(),
  valid: fc.boolean(),
});
// size 'max': fast-check otherwise keeps arrays near ten moves, too short to get past enrolment.
const movesArb = fc.array(moveArb, { minLength: 20, maxLength: 300, size: 'max' });

const nth = <T>(list: readonly T[], n: number): T | undefined =>
  list.length === 0 ? undefined : list[n % list.length];

/** Turns a random move into a command and an actor, usually sensible, sometimes not. */
function commandFor(
  template: TherapyTemplate,
  state: CaseState | null,
  move: Move,
): { command: CaseCommand; who: Actor } {
  const index = indexTemplate(template);
  const anyone = nth(POOL, move.who) as Actor;
  if (!state)
    return {
      command: {
        type: 'open_case',
        caseId: 'case-p',
        patientId: 'pat',
        country: move.valid ? 'DE' : 'NL',
        siteId: 's1',
        caseOwnerUserId: 'u',
      },
      who: move.right ? rightActor('centre_coordinator', 'treatment_centre') : anyone,
    };
  const stepKey =
    (move.right ? nth(state.openSteps, move.pick) : undefined) ??
    (nth(index.steps, move.pick)?.key as string);
  const step = index.step.get(stepKey);
  assert.ok(step);
  const run = state.steps[stepKey];
  const k = move.kind;
  if (k < 35) {
    const task = nth(step.tasks, move.pick >> 3) ?? step.tasks[0];
    assert.ok(task);
    const fields = validFields(template, stepKey, task.key);
    if (!move.valid) fields[task.fields[0]?.key ?? 'x'] = 'garbage-value-!';
    return {
      command: { type: 'complete_task', step: stepKey, task: task.key, fields },
      who: move.right ? rightActor(taskRole(step, task), taskPartnerType(step, task)) : anyone,
    };
  }
  if (k < 60)
    return {
      command: { type: 'complete_step', step: stepKey },
      who: move.right ? rightActor(step.role, step.partnerType) : anyone,
    };
  if (k < 68) {
    const approval = nth(step.gates.approvals, move.pick);
    return {
      command: { type: 'give_approval', step: stepKey },
      who:
        move.right && approval
          ? rightActor(approval.role, approval.partnerType ?? step.partnerType, (move.who % 2) + 1)
          : anyone,
    };
  }
  if (k < 78) {
    const gate = step.gates.signatures;
    const waiting = state.waitingFor[stepKey]?.signatures;
    const role = waiting?.nextRoles[0] ?? gate?.signerRoles[0];
    return {
      command: {
        type: 'record_signature',
        step: stepKey,
        meaning: gate?.meaning ?? 'anything',
        recordHash: move.valid && waiting ? waiting.recordHash : templateRecordHash(move.pick),
      },
      who:
        move.right && role
          ? rightActor(role, gate?.partnerType ?? step.partnerType, (move.who % 3) + 1)
          : anyone,
    };
  }
  if (k < 84)
    return {
      command: { type: 'confirm_custody', step: stepKey, custodyRecordId: `h${move.pick}` },
      who: move.right ? rightActor(step.role, step.partnerType) : anyone,
    };
  if (k < 87) {
    const exception = nth(step.exceptions, move.pick);
    if (!exception) return { command: { type: 'complete_step', step: stepKey }, who: anyone };
    return {
      command: {
        type: 'raise_exception',
        step: stepKey,
        code: exception.code,
        reasonCode: move.valid ? (exception.reasonCodes[0] as string) : 'made_up',
        reason: 'random walk',
      },
      who: move.right
        ? (POOL.find((p) => exception.raisedBy.some((r) => p.roles.includes(r))) ?? anyone)
        : anyone,
    };
  }
  if (k < 94) {
    const open = nth(state.openExceptions, move.pick);
    const definition = open
      ? index.step.get(open.step)?.exceptions.find((e) => e.code === open.code)
      : undefined;
    const branch = definition ? nth(definition.branches, move.who) : undefined;
    return {
      command: {
        type: 'take_branch',
        exceptionId: open?.exceptionId ?? 'nope',
        branch: branch?.key ?? 'nope',
      },
      who:
        move.right && branch
          ? (POOL.find((p) => branch.decidedBy.some((r) => p.roles.includes(r))) ?? anyone)
          : anyone,
    };
  }
  const manager = move.right ? rightActor('case_manager', 'sponsor') : anyone;
  if (k < 97)
    return {
      command: { type: state.status === 'on_hold' ? 'resume_case' : 'hold_case', reason: 'walk' },
      who: manager,
    };
  // Closing ends the walk, so it stays rare enough for walks to get deep into the journey.
  if (k < 98 && move.pick % 8 === 0)
    return { command: { type: 'close_case', reason: 'withdrawal', note: 'walk' }, who: manager };
  return { command: { type: 'complete_step', step: run ? stepKey : 'unknown_step' }, who: anyone };
}

/** Gate oracle written apart from the engine: what must hold for a run to complete. */
function gatesMet(template: TherapyTemplate, state: CaseState, run: StepRun): boolean {
  const step = indexTemplate(template).step.get(run.step);
  assert.ok(step);
  const effective = resolveStep(template, run.step, { country: state.country, siteId: state.siteId });
  if (step.gates.tasksDone && step.tasks.some((t) => run.tasks[t.key]?.status !== 'done')) return false;
  for (const approval of step.gates.approvals)
    if (run.approvals.filter((a) => a.role === approval.role).length < approval.count) return false;
  // A gate given on the custody hand-off is the custody gate's business, never the step's.
  if (
    step.gates.signatures &&
    step.gates.signatures.on !== 'handoff' &&
    run.signatures.length < effective.signatureCount
  )
    return false;
  if (step.gates.custodyComplete && run.custody.length === 0) return false;
  return true;
}

function checkInvariants(template: TherapyTemplate, state: CaseState, events: CaseEvent[]) {
  assert.deepEqual(
    events.map((e) => e.seq),
    events.map((_, i) => i + 1),
    'seq runs 1..n',
  );
  assert.equal(state.lastSeq, events.length);
  const index = indexTemplate(template);
  for (const run of [...Object.values(state.steps), ...state.previousRuns]) {
    const step = index.step.get(run.step);
    assert.ok(step);
    if (run.status === 'completed')
      assert.ok(gatesMet(template, state, run), `${run.step}#${run.attempt} completed with a gate unmet`);
    for (const task of step.tasks) {
      const done = run.tasks[task.key];
      if (done?.status !== 'done') continue;
      assert.equal(done.completedBy?.role, taskRole(step, task), 'task done in its role');
      assert.equal(
        done.completedBy?.partnerId,
        partyFor(PARTIES, taskPartnerType(step, task)),
        'task done by its partner',
      );
    }
    assert.equal(
      new Set(run.signatures.map((s) => s.userId)).size,
      run.signatures.length,
      'one signature per person',
    );
    if (step.gates.signatures?.on === 'handoff')
      assert.equal(
        run.signatures.length,
        0,
        `${run.step} is signed on its custody hand-off, never on the step`,
      );
    assert.equal(
      new Set(run.approvals.map((a) => a.userId)).size,
      run.approvals.length,
      'one approval per person',
    );
  }
  for (const key of state.openSteps) assert.equal(state.steps[key]?.status, 'open');
  const terminal = TERMINAL_STATUSES.includes(state.status);
  if (terminal) assert.deepEqual(state.openSteps, []);
  if (!terminal && !state.held)
    assert.equal(
      state.status === 'quarantined',
      state.openExceptions.some((e) => e.quarantine),
    );
}

type Walk = { state: CaseState | null; events: CaseEvent[]; accepted: number };

/**
 * Applies random moves, optionally after driving the case by the book to `startAt` so that
 * the deep states (release, receipt, infusion) are explored as often as the early ones.
 */
function walk(
  template: TherapyTemplate,
  { startAt, moves }: WalkPlan,
  onState?: (state: CaseState) => void,
): Walk {
  let state: CaseState | null = null;
  const events: CaseEvent[] = [];
  if (startAt !== undefined) {
    const driver = newCase(template).runUntil(
      indexTemplate(template).steps[startAt % indexTemplate(template).steps.length]?.key,
    );
    state = driver.current;
    events.push(...driver.events);
    checkInvariants(template, state, events);
  }
  let accepted = 0;
  moves.forEach((move, i) => {
    const { command, who } = commandFor(template, state, move);
    const wasTerminal = state ? TERMINAL_STATUSES.includes(state.status) : false;
    const result = decide(template, state, command, ctx(who, at(i * 17)));
    if (wasTerminal) assert.equal(result.ok, false, 'an ended case accepts no commands');
    if (!result.ok) return;
    accepted++;
    state = state ? evolve(template, state, result.events) : caseState(template, result.events);
    events.push(...result.events);
    checkInvariants(template, state, events);
    onState?.(state);
  });
  return { state, events, accepted };
}

type WalkPlan = { startAt: number | undefined; moves: Move[] };
/** Two moves in three are by the right person, and most field values are valid. */
const walkArb: fc.Arbitrary<WalkPlan> = fc.record({
  startAt: fc.option(fc.nat(40), { nil: undefined }),
  moves: movesArb.map((moves) => [
    { kind: 0, pick: 0, who: 0, right: true, valid: true },
    ...moves.map((m, i) => (i % 3 === 0 ? m : { ...m, right: true, valid: m.valid || i % 2 === 0 })),
  ]),
});

describe('properties of the case engine', () => {
  for (const template of [carT, parsed(mrnaPersonalisedVaccineTemplate)])
    test(`(a) random command sequences never reach an invalid state (${template.code})`, (t) => {
      let deepest = 0;
      let ended = 0;
      let exceptions = 0;
      fc.assert(
        fc.property(walkArb, (moves) => {
          const { state, events } = walk(template, moves);
          assert.ok(state);
          assert.deepEqual(
            caseState(template, events),
            state,
            'folding all events equals evolving step by step',
          );
          deepest = Math.max(deepest, events.filter((e) => e.type === 'step_completed').length);
          if (TERMINAL_STATUSES.includes(state.status)) ended++;
          if (events.some((e) => e.type === 'exception_raised')) exceptions++;
        }),
        { numRuns: 150 },
      );
      t.diagnostic(
        `deepest walk completed ${deepest} steps; ${ended} walks ended; ${exceptions} raised exceptions`,
      );
      assert.ok(deepest >= 10, `the walks should get somewhere (deepest: ${deepest} steps)`);
      assert.ok(exceptions > 10, 'exceptions are exercised');
    });

  test('(b) no gate can be bypassed: complete_step succeeds exactly when every gate is met', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(walkArb, (moves) => {
        walk(carT, moves, (state) => {
          for (const key of state.openSteps) {
            const run = state.steps[key] as StepRun;
            const step = indexTemplate(carT).step.get(key);
            assert.ok(step);
            const blocked = state.openExceptions.some((e) => e.step === key && e.attempt === run.attempt);
            const expected = state.status === 'active' && !blocked && gatesMet(carT, state, run);
            const result = decide(
              carT,
              state,
              { type: 'complete_step', step: key },
              ctx(rightActor(step.role, step.partnerType)),
            );
            assert.equal(
              result.ok,
              expected,
              `${key}: ${JSON.stringify(result.ok ? 'accepted' : result.error)}`,
            );
            if (result.ok) accepted++;
            else refused++;
          }
        });
      }),
      { numRuns: 120 },
    );
    assert.ok(
      accepted > 20 && refused > 20,
      `both outcomes exercised (${accepted} accepted, ${refused} refused)`,
    );
  });

  test('(c) a case keeps its template version after a new one is published', () => {
    const sign = (v: TemplateVersion) => ({
      signedBy: 'u-admin',
      meaning: 'approve',
      recordHash: templateRecordHash(v.template),
    });
    const ok = (r: ReturnType<typeof createDraft>) => {
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.version;
    };
    const v1draft = ok(createDraft(carTAutologousTemplate));
    const v1 = ok(publishVersion(v1draft, sign(v1draft), at(0)));
    const v2doc = structuredClone(v1.template);
    v2doc.version = 2;
    const qa = v2doc.stages[4]?.steps[2];
    assert.ok(qa?.gates.signatures);
    qa.gates.signatures.count = 3;
    v2doc.stages[3]?.steps[0]?.tasks[0]?.fields.push({
      key: 'hematocrit',
      label: 'Hct',
      type: 'number',
      unit: '%',
      required: true,
    });
    const v2draft = ok(draftNextVersion(v1, [v1]));
    const v2 = ok(publishVersion(ok(createDraft(v2doc)), sign(ok(createDraft(v2doc))), at(1)));
    assert.equal(v2draft.version, 2);
    const versions = [ok(retireVersion(v1, at(2))), v2];
    assert.equal(versionForNewCase(versions, 'car-t-autologous')?.version, 2, 'new cases start on v2');

    fc.assert(
      fc.property(walkArb, (moves) => {
        const { state, events } = walk(v1.template, moves);
        assert.ok(state);
        const opened = events[0];
        assert.ok(opened?.type === 'case_opened');
        const pinned = pinnedVersion(versions, opened);
        assert.equal(pinned?.version, 1);
        assert.deepEqual(caseState((pinned as TemplateVersion).template, events), state);
        assert.throws(() => caseState(v2.template, events), CaseStreamError);
        const next = decide(
          v2.template,
          state,
          { type: 'hold_case', reason: 'x' },
          ctx(rightActor('case_manager', 'sponsor')),
        );
        assert.equal(next.ok ? null : next.error.kind, 'conflict');
      }),
      { numRuns: 60 },
    );
  });
});
