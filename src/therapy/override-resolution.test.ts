import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { carTAutologousTemplate } from './demo-templates/car-t-autologous.ts';
import { compareOverrides, effectiveLeadTimes, resolveStep } from './override-resolution.ts';
import type { TemplateOverride, TherapyTemplate } from './template-schema.ts';
import { validateTemplate } from './template-validation.ts';

function parse(document: unknown): TherapyTemplate {
  const result = validateTemplate(document);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.template;
}
const carT = parse(carTAutologousTemplate);

describe('override resolution on the CAR-T template', () => {
  test('DE requires 2 signatures at receipt; elsewhere 1', () => {
    assert.equal(
      resolveStep(carT, 'receipt_storage', { country: 'DE', siteId: 'site-berlin' }).signatureCount,
      2,
    );
    assert.equal(
      resolveStep(carT, 'receipt_storage', { country: 'NL', siteId: 'site-amsterdam' }).signatureCount,
      1,
    );
    assert.equal(
      resolveStep(carT, 'receipt_storage', { country: 'DE', siteId: 'x' }).decidedBy.signatureCount,
      'de_receipt_two_signatures',
    );
  });

  test('one site makes the apheresis volume optional', () => {
    const paris = resolveStep(carT, 'apheresis', { country: 'FR', siteId: 'site-paris-saint-louis' });
    const lyon = resolveStep(carT, 'apheresis', { country: 'FR', siteId: 'site-lyon' });
    assert.equal(paris.fieldRequired.volume, false);
    assert.equal(lyon.fieldRequired.volume, true);
    assert.equal(paris.fieldRequired.cd3_count, true);
  });

  test('FR widens the conditioning window; other steps and countries keep theirs', () => {
    assert.deepEqual(resolveStep(carT, 'conditioning', { country: 'FR', siteId: 's' }).leadTimes, [
      { toStep: 'infusion', min: 2, max: 7, unit: 'days' },
    ]);
    assert.deepEqual(resolveStep(carT, 'conditioning', { country: 'DE', siteId: 's' }).leadTimes, [
      { toStep: 'infusion', min: 3, max: 5, unit: 'days' },
    ]);
    assert.deepEqual(resolveStep(carT, 'thaw', { country: 'FR', siteId: 's' }).leadTimes, [
      { toStep: 'infusion', min: 0, max: 90, unit: 'minutes' },
    ]);
  });

  test('effectiveLeadTimes lists every lead time for the scheduler, with overrides applied', () => {
    assert.deepEqual(effectiveLeadTimes(carT, { country: 'FR', siteId: 's' }), [
      { fromStep: 'scheduling', toStep: 'apheresis', min: 1, max: 21, unit: 'days' },
      { fromStep: 'apheresis', toStep: 'manufacturing', min: 0, max: 48, unit: 'hours' },
      { fromStep: 'conditioning', toStep: 'infusion', min: 2, max: 7, unit: 'days' },
      { fromStep: 'thaw', toStep: 'infusion', min: 0, max: 90, unit: 'minutes' },
    ]);
  });

  test('no context matches only unscoped overrides', () => {
    assert.equal(resolveStep(carT, 'receipt_storage', {}).signatureCount, 1);
  });
});

function withOverrides(overrides: TemplateOverride[]): TherapyTemplate {
  return { ...carT, overrides };
}
const o = (
  key: string,
  priority: number,
  scope: TemplateOverride['scope'],
  signatureCount: number,
): TemplateOverride => ({
  key,
  priority,
  scope,
  set: { signatureCount },
});

describe('precedence', () => {
  const where = { country: 'DE', siteId: 'site-berlin' };
  test('higher priority wins over a more specific scope', () => {
    const t = withOverrides([o('a', 1, { siteId: 'site-berlin', step: 'qa_release' }, 3), o('b', 2, {}, 4)]);
    assert.equal(resolveStep(t, 'qa_release', where).signatureCount, 4);
  });
  test('equal priority: step before stage before the whole template', () => {
    const t = withOverrides([
      o('a', 1, {}, 1),
      o('b', 1, { stage: 'manufacturing' }, 3),
      o('c', 1, { step: 'qa_release' }, 5),
    ]);
    assert.equal(resolveStep(t, 'qa_release', where).signatureCount, 5);
    assert.equal(
      resolveStep(
        withOverrides([o('a', 1, {}, 1), o('b', 1, { stage: 'manufacturing' }, 3)]),
        'qa_release',
        where,
      ).signatureCount,
      3,
    );
  });
  test('equal priority and target: site before country', () => {
    const t = withOverrides([
      o('a', 1, { country: 'DE', step: 'qa_release' }, 1),
      o('b', 1, { siteId: 'site-berlin', step: 'qa_release' }, 4),
    ]);
    assert.equal(resolveStep(t, 'qa_release', where).signatureCount, 4);
  });
  test('a full tie is broken by key, not by list order', () => {
    const a = o('alpha', 1, { country: 'DE' }, 1);
    const z = o('zulu', 1, { country: 'DE' }, 4);
    assert.equal(resolveStep(withOverrides([a, z]), 'qa_release', where).signatureCount, 1);
    assert.equal(resolveStep(withOverrides([z, a]), 'qa_release', where).signatureCount, 1);
  });
  test('overrides for other countries, sites or steps do not apply', () => {
    const t = withOverrides([
      o('a', 9, { country: 'FR' }, 0),
      o('b', 9, { siteId: 'elsewhere' }, 0),
      o('c', 9, { step: 'apheresis' }, 0),
    ]);
    assert.equal(resolveStep(t, 'qa_release', where).signatureCount, 2);
  });
});

describe('property: resolution is deterministic and independent of list order (d)', () => {
  const steps = ['apheresis', 'qa_release', 'receipt_storage', 'conditioning', 'thaw'];
  const stageOf: Record<string, string> = {
    apheresis: 'collection',
    qa_release: 'manufacturing',
    receipt_storage: 'delivery',
    conditioning: 'treatment',
    thaw: 'treatment',
  };
  const overrideArb = fc
    .record({
      priority: fc.integer({ min: 0, max: 3 }),
      country: fc.option(fc.constantFrom('DE', 'FR'), { nil: undefined }),
      siteId: fc.option(fc.constantFrom('s1', 's2'), { nil: undefined }),
      step: fc.option(fc.constantFrom(...steps), { nil: undefined }),
      useStage: fc.boolean(),
      signatureCount: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      volumeRequired: fc.option(fc.boolean(), { nil: undefined }),
      lead: fc.option(
        fc.record({ min: fc.integer({ min: 0, max: 3 }), extra: fc.integer({ min: 0, max: 3 }) }),
        {
          nil: undefined,
        },
      ),
    })
    .map((r) => {
      const scope: TemplateOverride['scope'] = {};
      if (r.country) scope.country = r.country;
      if (r.siteId) scope.siteId = r.siteId;
      if (r.step) {
        if (r.useStage) scope.stage = stageOf[r.step] as string;
        else scope.step = r.step;
      }
      const set: TemplateOverride['set'] = {};
      if (r.signatureCount !== undefined) set.signatureCount = r.signatureCount;
      if (r.volumeRequired !== undefined) set.fields = [{ field: 'volume', required: r.volumeRequired }];
      if (r.lead || (set.signatureCount === undefined && set.fields === undefined))
        set.leadTimes = [
          {
            toStep: 'infusion',
            min: r.lead?.min ?? 1,
            max: (r.lead?.min ?? 1) + (r.lead?.extra ?? 0),
            unit: 'days',
          },
        ];
      return { priority: r.priority, scope, set };
    });
  const overridesArb = fc
    .uniqueArray(fc.stringMatching(/^[a-z]{1,4}$/), { minLength: 0, maxLength: 8 })
    .chain((keys) =>
      fc
        .tuple(...keys.map((key) => overrideArb.map((x) => ({ key, ...x }) as TemplateOverride)))
        .map((list) => list),
    );
  const contextArb = fc.record({
    country: fc.constantFrom('DE', 'FR', 'NL'),
    siteId: fc.constantFrom('s1', 's2', 's3'),
  });

  test('any permutation of the overrides resolves to the same effective step', () => {
    fc.assert(
      fc.property(
        overridesArb.chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
        ),
        contextArb,
        fc.constantFrom(...steps),
        ([list, shuffled], context, step) => {
          const a = resolveStep(withOverrides(list), step, context);
          const b = resolveStep(withOverrides(shuffled), step, context);
          assert.deepEqual(a, b);
          assert.deepEqual(resolveStep(withOverrides(list), step, context), a);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the winner for the signature count has the highest priority among matching overrides', () => {
    fc.assert(
      fc.property(overridesArb, contextArb, ([...list], context) => {
        const t = withOverrides(list);
        const winner = resolveStep(t, 'qa_release', context).decidedBy.signatureCount;
        const matching = list.filter(
          (x) =>
            x.set.signatureCount !== undefined &&
            (x.scope.country === undefined || x.scope.country === context.country) &&
            (x.scope.siteId === undefined || x.scope.siteId === context.siteId) &&
            (x.scope.step === undefined || x.scope.step === 'qa_release') &&
            (x.scope.stage === undefined || x.scope.stage === 'manufacturing'),
        );
        if (matching.length === 0) return assert.equal(winner, undefined);
        const best = [...matching].sort(compareOverrides)[0];
        assert.equal(winner, best?.key);
        assert.equal(best?.priority, Math.max(...matching.map((m) => m.priority)));
      }),
      { numRuns: 300 },
    );
  });
});
