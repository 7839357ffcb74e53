import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { carTAutologousTemplate } from '../therapy/demo-templates/car-t-autologous.ts';
import { DEMO_TEMPLATES } from '../therapy/demo-templates/demo-template-list.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import { validateTemplate } from '../therapy/template-validation.ts';
import { chainSpecFor, leadTimeProblems } from './chain-spec.ts';
import type { ChainSpec } from './scheduling-model.ts';

function parse(document: unknown): TherapyTemplate {
  const result = validateTemplate(document);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.template;
}
const carT = parse(carTAutologousTemplate);
const specOf = (template: TherapyTemplate, country: string): ChainSpec => {
  const result = chainSpecFor(template, { country });
  if (!('spec' in result)) throw new Error(result.problems.join());
  return result.spec;
};
const rule = (spec: ChainSpec, from: string, to: string) =>
  spec.leadTimes.find((l) => l.fromStep === from && l.toStep === to);

describe('chain spec from a therapy template', () => {
  test('CAR-T books apheresis, manufacturing, release, conditioning and infusion with the template lead times in hours', () => {
    const spec = specOf(carT, 'DE');
    assert.deepEqual(
      spec.steps.map((s) => `${s.stepKey}:${s.workType}@${s.siteRole}`),
      [
        'apheresis:apheresis@collection',
        'manufacturing:manufacturing_start@plant',
        'qa_release:qc_release@plant',
        'conditioning:conditioning@infusion',
        'infusion:infusion@infusion',
      ],
    );
    assert.deepEqual(rule(spec, 'apheresis', 'manufacturing'), {
      fromStep: 'apheresis',
      toStep: 'manufacturing',
      minHours: 0,
      maxHours: 48,
    });
    assert.equal(rule(spec, 'qa_release', 'infusion')?.maxHours, 14 * 24);
    assert.equal(rule(spec, 'conditioning', 'infusion')?.minHours, 72);
    assert.equal(rule(spec, 'conditioning', 'infusion')?.maxHours, 120);
    // The profile fills what the template does not say: how long manufacturing takes.
    assert.equal(rule(spec, 'manufacturing', 'qa_release')?.minHours, 8 * 24);
  });

  test("France's conditioning override (2 to 7 days) reaches the chain", () => {
    const spec = specOf(carT, 'FR');
    assert.equal(rule(spec, 'conditioning', 'infusion')?.minHours, 48);
    assert.equal(rule(spec, 'conditioning', 'infusion')?.maxHours, 168);
  });

  test('every demo therapy has a profile; in-vivo AAV books only the infusion', () => {
    for (const document of DEMO_TEMPLATES) {
      const template = parse(document);
      const result = chainSpecFor(template, { country: 'DE' });
      assert.ok('spec' in result, `${template.code}: ${JSON.stringify(result)}`);
    }
    const aav = specOf(parse(DEMO_TEMPLATES.find((t) => t.code === 'gene-therapy-in-vivo-aav')), 'US');
    assert.deepEqual(
      aav.steps.map((s) => s.siteRole),
      ['infusion'],
    );
  });

  test('a therapy without a scheduling profile is a problem, not an empty chain', () => {
    const result = chainSpecFor({ ...carT, code: 'car-t-allogeneic-x' }, { country: 'DE' });
    assert.deepEqual(result, { problems: ['therapy car-t-allogeneic-x has no scheduling profile'] });
  });

  test('impossible lead times name the steps: minimum above maximum, and contradicting rules', () => {
    const broken = structuredClone(carTAutologousTemplate);
    broken.overrides = [
      ...(broken.overrides ?? []),
      {
        key: 'impossible_conditioning',
        priority: 50,
        scope: { country: 'IT', step: 'conditioning' },
        // Valid on its own, impossible with release → conditioning ≥ 1 day and release → infusion ≤ 14 days.
        set: { leadTimes: [{ toStep: 'infusion', min: 14, max: 20, unit: 'days' }] },
      },
    ];
    const result = chainSpecFor(parse(broken), { country: 'IT' });
    assert.ok('problems' in result);
    assert.match(result.problems.join(), /qa_release, conditioning, infusion contradict each other/);
    assert.ok('spec' in chainSpecFor(parse(broken), { country: 'DE' }), 'only Italy is affected');

    const reversed = leadTimeProblems({
      therapyCode: 'x',
      steps: [
        { stepKey: 'conditioning', workType: 'conditioning', siteRole: 'infusion' },
        { stepKey: 'infusion', workType: 'infusion', siteRole: 'infusion' },
      ],
      leadTimes: [{ fromStep: 'conditioning', toStep: 'infusion', minHours: 144, maxHours: 72 }],
    });
    assert.deepEqual(reversed, ['lead time conditioning → infusion: minimum 144 h exceeds maximum 72 h']);

    const cycle: ChainSpec = {
      therapyCode: 'x',
      steps: [
        { stepKey: 'a', workType: 'apheresis', siteRole: 'collection' },
        { stepKey: 'b', workType: 'manufacturing_start', siteRole: 'plant' },
        { stepKey: 'c', workType: 'infusion', siteRole: 'infusion' },
      ],
      leadTimes: [
        { fromStep: 'a', toStep: 'b', minHours: 240, maxHours: 300 },
        { fromStep: 'b', toStep: 'c', minHours: 0, maxHours: 10 },
        { fromStep: 'a', toStep: 'c', minHours: 0, maxHours: 100 },
      ],
    };
    const problems = leadTimeProblems(cycle);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /between a, b, c contradict each other/);
  });
});
