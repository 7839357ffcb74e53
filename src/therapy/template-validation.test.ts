import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { carTAutologousTemplate } from './demo-templates/car-t-autologous.ts';
import { DEMO_TEMPLATES } from './demo-templates/demo-template-list.ts';
import { durationToMs } from './durations.ts';
import type { TherapyTemplateInput } from './template-schema.ts';
import { validateTemplate } from './template-validation.ts';

/** A deep copy of the CAR-T template to break in one place. */
function carT(): TherapyTemplateInput {
  return structuredClone(carTAutologousTemplate);
}
// biome-ignore lint/suspicious/noExplicitAny: tests reach into the document to break it on purpose
type Loose = any;

function errorsOf(document: unknown) {
  const result = validateTemplate(document);
  assert.equal(result.ok, false, 'expected the template to be refused');
  return result.ok ? [] : result.errors;
}

function assertError(document: unknown, path: string, reasonPart: string) {
  const errors = errorsOf(document);
  const hit = errors.find((e) => e.path === path);
  assert.ok(hit, `expected an error at ${path}, got ${JSON.stringify(errors)}`);
  assert.match(hit.reason, new RegExp(reasonPart));
}

describe('demo templates', () => {
  for (const template of DEMO_TEMPLATES)
    test(`${template.code} passes validateTemplate`, () => {
      const result = validateTemplate(template);
      assert.deepEqual(result.ok ? [] : result.errors, []);
    });

  test('the four therapy types of the product brief are shipped', () => {
    assert.deepEqual(DEMO_TEMPLATES.map((t) => t.therapyType).sort(), [
      'car_t_autologous',
      'gene_therapy_ex_vivo',
      'gene_therapy_in_vivo',
      'mrna_personalised',
    ]);
  });

  test('CAR-T: fresh apheresis reaches the plant within 48 h, conditioning 3–5 days before infusion, QA release has 2 signatures', () => {
    const result = validateTemplate(carTAutologousTemplate);
    assert.ok(result.ok);
    const steps = result.template.stages.flatMap((s) => s.steps);
    const step = (key: string) => steps.find((s) => s.key === key);
    assert.deepEqual(step('apheresis')?.leadTimes, [
      { toStep: 'manufacturing', min: 0, max: 48, unit: 'hours' },
    ]);
    assert.deepEqual(step('conditioning')?.leadTimes, [{ toStep: 'infusion', min: 3, max: 5, unit: 'days' }]);
    assert.equal(step('qa_release')?.gates.signatures?.count, 2);
    // Signatures are on the step unless the template says otherwise: the courier signs the pick-up hand-off.
    assert.equal(step('qa_release')?.gates.signatures?.on, 'step');
    assert.equal(step('ship_to_plant')?.gates.signatures?.on, 'handoff');
    assert.deepEqual(
      steps.map((s) => s.key),
      [
        'referral',
        'enrolment',
        'scheduling',
        'apheresis',
        'ship_to_plant',
        'manufacturing',
        'qc_release',
        'qa_release',
        'ship_to_site',
        'receipt_storage',
        'conditioning',
        'thaw',
        'bedside_check',
        'infusion',
        'follow_up_day_7',
        'follow_up_day_14',
        'follow_up_day_28',
        'long_term_follow_up',
      ],
    );
  });
});

describe('structural errors name the path inside the document', () => {
  test('a signature count above 5', () => {
    const doc: Loose = carT();
    doc.stages[4].steps[2].gates.signatures.count = 6;
    assertError(doc, 'stages[4].steps[2].gates.signatures.count', 'expected number to be <=5');
  });

  test('a missing title, an unknown property, a bad role and a bad duration', () => {
    const doc: Loose = carT();
    delete doc.stages[0].steps[0].title;
    doc.stages[1].steps[0].colour = 'red';
    doc.stages[2].steps[0].role = 'surgeon';
    doc.stages[3].steps[0].due.after = 'P1M';
    const paths = errorsOf(doc).map((e) => e.path);
    for (const path of [
      'stages[0].steps[0].title',
      'stages[1].steps[0]',
      'stages[2].steps[0].role',
      'stages[3].steps[0].due.after',
    ])
      assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
  });

  test('a number field of the wrong type and a choice without options', () => {
    const doc: Loose = carT();
    doc.stages[0].steps[0].tasks[0].fields[2].min = 'zero';
    doc.stages[0].steps[0].tasks[0].fields[0].options = [];
    const paths = errorsOf(doc).map((e) => e.path);
    assert.ok(paths.includes('stages[0].steps[0].tasks[0].fields[2].min'));
    assert.ok(paths.includes('stages[0].steps[0].tasks[0].fields[0].options'));
  });

  test('repeatEvery without maxRepeats', () => {
    const doc: Loose = carT();
    doc.stages[0].steps[0].due.escalations[0].repeatEvery = 'PT1H';
    assertError(doc, 'stages[0].steps[0].due.escalations[0].maxRepeats', 'go together');
  });

  test('a document that is not an object at all', () => {
    assert.deepEqual(errorsOf(null)[0]?.path, '');
    assert.ok(errorsOf({}).some((e) => e.path === 'stages'));
  });
});

describe('semantic errors', () => {
  test('step keys are unique across the template', () => {
    const doc: Loose = carT();
    doc.stages[1].steps[0].key = 'referral';
    assertError(doc, 'stages[1].steps[0].key', 'used twice');
  });

  test('task and field keys are unique within a step', () => {
    const doc: Loose = carT();
    doc.stages[1].steps[0].tasks[1].key = 'consent';
    doc.stages[1].steps[0].tasks[2].fields[0].key = 'ecog';
    assertError(doc, 'stages[1].steps[0].tasks[1].key', 'used twice');
    assertError(doc, 'stages[1].steps[0].tasks[2].fields[0].key', 'used twice');
  });

  test('a role must be one the partner type may hold (roles.ts)', () => {
    const doc: Loose = carT();
    doc.stages[3].steps[1].role = 'qa'; // ship_to_plant is a courier's step
    assertError(doc, 'stages[3].steps[1].role', 'role qa cannot be held at a courier partner');
    const doc2: Loose = carT();
    doc2.stages[4].steps[2].gates.signatures.signerRoles = ['infusion_nurse'];
    assertError(doc2, 'stages[4].steps[2].gates.signatures.signerRoles[0]', 'manufacturing_site');
  });

  test('signatures on the custody hand-off need the custody gate; an unknown place is refused', () => {
    const doc: Loose = carT();
    doc.stages[4].steps[2].gates.signatures.on = 'handoff'; // qa_release has no custody hand-off
    assertError(doc, 'stages[4].steps[2].gates.signatures.on', 'custodyComplete');
    const doc2: Loose = carT();
    doc2.stages[3].steps[1].gates.custodyComplete = false; // ship_to_plant's gate is on its hand-off
    assertError(doc2, 'stages[3].steps[1].gates.signatures.on', 'custodyComplete');
    const doc3: Loose = carT();
    doc3.stages[3].steps[1].gates.signatures.on = 'case';
    assertError(doc3, 'stages[3].steps[1].gates.signatures.on', 'step');
  });

  test('next, lead times and branches must name existing steps', () => {
    const doc: Loose = carT();
    doc.stages[4].steps[2].next = ['ship_to_site', 'nowhere'];
    doc.stages[3].steps[0].leadTimes[0].toStep = 'factory';
    doc.stages[4].steps[1].exceptions[0].branches[0].toStep = 'redo';
    assertError(doc, 'stages[4].steps[2].next[1]', 'no step nowhere');
    assertError(doc, 'stages[3].steps[0].leadTimes[0].toStep', 'no step factory');
    assertError(doc, 'stages[4].steps[1].exceptions[0].branches[0].toStep', 'no step redo');
  });

  test('lead-time min must not exceed max', () => {
    const doc: Loose = carT();
    doc.stages[6].steps[0].leadTimes[0] = { toStep: 'infusion', min: 6, max: 5, unit: 'days' };
    assertError(doc, 'stages[6].steps[0].leadTimes[0].min', 'greater than max');
  });

  test('a go_to_step branch needs a target; other branches must not have one', () => {
    const doc: Loose = carT();
    delete doc.stages[4].steps[1].exceptions[0].branches[0].toStep;
    doc.stages[1].steps[0].exceptions[0].branches[0].toStep = 'referral';
    assertError(doc, 'stages[4].steps[1].exceptions[0].branches[0].toStep', 'required');
    assertError(doc, 'stages[1].steps[0].exceptions[0].branches[0].toStep', 'only go_to_step');
  });

  test('every step must be reachable from the first', () => {
    const doc: Loose = carT();
    doc.stages[0].steps[0].next = ['scheduling']; // skips enrolment
    assertError(doc, 'stages[1].steps[0].key', 'cannot be reached');
  });

  test('next must not loop', () => {
    const doc: Loose = carT();
    doc.stages[2].steps[0].next = ['referral'];
    assert.ok(errorsOf(doc).some((e) => e.reason.includes('loop')));
  });

  test('an identifier pattern must compile and number ranges must be ordered', () => {
    const doc: Loose = carT();
    doc.stages[3].steps[0].tasks[0].fields[0].pattern = '([A-Z';
    doc.stages[3].steps[0].tasks[0].fields[3].min = 600;
    assertError(doc, 'stages[3].steps[0].tasks[0].fields[0].pattern', 'not a regular expression');
    assertError(doc, 'stages[3].steps[0].tasks[0].fields[3].min', 'greater than max');
  });

  test('overrides refer to existing steps, stages and fields, and have unique keys', () => {
    const doc: Loose = carT();
    doc.overrides.push(
      { key: 'ghost', priority: 1, scope: { step: 'ghost_step' }, set: { signatureCount: 1 } },
      { key: 'ghost', priority: 1, scope: { stage: 'nowhere' }, set: { signatureCount: 1 } },
      {
        key: 'no_field',
        priority: 1,
        scope: { step: 'referral' },
        set: { fields: [{ field: 'volume', required: false }] },
      },
      { key: 'no_sig', priority: 1, scope: { step: 'referral' }, set: { signatureCount: 2 } },
      { key: 'empty', priority: 1, scope: { country: 'DE' }, set: {} },
      {
        key: 'mismatch',
        priority: 1,
        scope: { stage: 'referral', step: 'apheresis' },
        set: { signatureCount: 1 },
      },
    );
    const base = carTAutologousTemplate.overrides?.length ?? 0;
    assertError(doc, `overrides[${base}].scope.step`, 'no step ghost_step');
    assertError(doc, `overrides[${base + 1}].key`, 'used twice');
    assertError(doc, `overrides[${base + 1}].scope.stage`, 'no stage nowhere');
    assertError(doc, `overrides[${base + 2}].set.fields[0].field`, 'no field volume');
    assertError(doc, `overrides[${base + 3}].set.signatureCount`, 'no step');
    assertError(doc, `overrides[${base + 4}].set`, 'at least one');
    assertError(doc, `overrides[${base + 5}].scope.step`, 'not in stage referral');
  });
});

describe('durations', () => {
  test('ISO-8601 and {amount, unit} give exact milliseconds', () => {
    assert.equal(durationToMs('PT48H'), 48 * 3_600_000);
    assert.equal(durationToMs('P2W'), 14 * 86_400_000);
    assert.equal(durationToMs('P1DT2H30M15S'), 86_400_000 + 2 * 3_600_000 + 30 * 60_000 + 15_000);
    assert.equal(durationToMs({ amount: 3, unit: 'days' }), 3 * 86_400_000);
    assert.equal(durationToMs('PT0M'), 0);
  });

  test('months, years, an empty P and a dangling T are refused', () => {
    for (const bad of ['P1M', 'P1Y', 'P', 'PT', 'P1DT']) {
      const doc: Loose = carT();
      doc.stages[0].steps[0].due.after = bad;
      assertError(doc, 'stages[0].steps[0].due.after', 'ISO-8601');
    }
  });
});
