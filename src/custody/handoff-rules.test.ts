import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { stepWaitingFor } from '../cases/case-gates.ts';
import { carT, newCase, parsed } from '../cases/case-test-kit.ts';
import { carTAutologousTemplate } from '../therapy/demo-templates/car-t-autologous.ts';
import {
  classifyScan,
  completionBlockers,
  NO_SIGNATURES,
  type SignatureRequirement,
  signatureProgress,
  signatureRequirementFor,
} from './handoff-rules.ts';

const HASH = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

describe('hand-off signature requirements come from the template step and its overrides', () => {
  test('receipt needs one nurse signature, two in Germany (override); pick-up one courier; a step without a gate needs none', () => {
    const nl = signatureRequirementFor(carT, 'receipt_storage', { country: 'NL', siteId: null });
    assert.deepEqual(nl, {
      count: 1,
      mode: 'parallel',
      signerRoles: ['infusion_nurse'],
      meaning: 'Receipt of the product',
      partnerType: 'treatment_centre',
    });
    assert.equal(signatureRequirementFor(carT, 'receipt_storage', { country: 'DE', siteId: null }).count, 2);
    assert.deepEqual(signatureRequirementFor(carT, 'ship_to_plant', { country: 'DE' }), {
      count: 1,
      mode: 'parallel',
      signerRoles: ['courier'],
      meaning: 'Received for transport by',
      partnerType: 'courier',
    });
    assert.deepEqual(signatureRequirementFor(carT, 'manufacturing', { country: 'DE' }), NO_SIGNATURES);
    assert.deepEqual(signatureRequirementFor(carT, null, {}), NO_SIGNATURES);
  });
});

describe('a gate given on the hand-off (on: handoff) still sets the hand-off requirement, with overrides', () => {
  // Two courier signatures at pick-up in France: the override applies to the hand-off, never to the step.
  const twoCouriersInFrance = parsed({
    ...structuredClone(carTAutologousTemplate),
    overrides: [
      ...structuredClone(carTAutologousTemplate.overrides ?? []),
      {
        key: 'fr_pick_up_two_couriers',
        priority: 10,
        scope: { country: 'FR', step: 'ship_to_plant' },
        set: { signatureCount: 2 },
      },
    ],
  });

  test('the hand-off asks for the overridden count; the case step asks for none', () => {
    assert.equal(
      signatureRequirementFor(twoCouriersInFrance, 'ship_to_plant', { country: 'FR', siteId: null }).count,
      2,
    );
    assert.equal(
      signatureRequirementFor(twoCouriersInFrance, 'ship_to_plant', { country: 'DE', siteId: null }).count,
      1,
    );
    const driver = newCase(twoCouriersInFrance, { country: 'FR', siteId: 'site-paris' }).runUntil(
      'ship_to_plant',
    );
    const run = driver.current.steps.ship_to_plant;
    assert.ok(run);
    const waiting = stepWaitingFor(twoCouriersInFrance, { country: 'FR', siteId: 'site-paris' }, run, null);
    assert.equal(waiting.signatures, null);
    assert.equal(waiting.custody, true, 'the step waits for the hand-off through its custody gate');
  });
});

describe('signature progress counts only signatures on the current record version', () => {
  const sequential: SignatureRequirement = {
    count: 2,
    mode: 'sequential',
    signerRoles: ['collection_staff', 'courier'],
    meaning: 'Handed over / received',
    partnerType: null,
  };
  test('sequential: the n-th signature is by the n-th role; a stale signature does not count', () => {
    assert.deepEqual(signatureProgress(sequential, [], HASH).nextRoles, ['collection_staff']);
    const one = [{ signerUserId: 'u1', signerRole: 'collection_staff', recordHash: HASH }];
    assert.deepEqual(signatureProgress(sequential, one, HASH), {
      needed: 2,
      given: 1,
      nextRoles: ['courier'],
      complete: false,
    });
    assert.equal(signatureProgress(sequential, one, OTHER).given, 0, 'an edit after signing voids it');
  });
  test('the same person never counts twice; zero required is complete at once', () => {
    const twice = [
      { signerUserId: 'u1', signerRole: 'courier', recordHash: HASH },
      { signerUserId: 'u1', signerRole: 'courier', recordHash: HASH },
    ];
    assert.equal(signatureProgress(sequential, twice, HASH).given, 1);
    assert.equal(signatureProgress(NO_SIGNATURES, [], HASH).complete, true);
  });
  test('property: given never exceeds needed nor the number of distinct valid signers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.record({ signerUserId: fc.constantFrom('a', 'b', 'c', 'd'), valid: fc.boolean() })),
        (count, signed) => {
          const requirement = { ...sequential, count };
          const sigs = signed.map((s) => ({
            signerUserId: s.signerUserId,
            signerRole: 'courier',
            recordHash: s.valid ? HASH : OTHER,
          }));
          const progress = signatureProgress(requirement, sigs, HASH);
          const distinct = new Set(signed.filter((s) => s.valid).map((s) => s.signerUserId)).size;
          assert.equal(progress.given, Math.min(count, distinct));
          assert.equal(progress.complete, progress.given >= count);
        },
      ),
    );
  });
});

describe('scans and what blocks completion', () => {
  const items = [
    { id: 'i1', unitCode: 'W123426000101X', din: 'W123426000101X' },
    { id: 'i2', unitCode: 'W999926000001K-P01', din: null },
  ];
  test('a unit code or DIN matches its unit; the chain of identity matches the therapy; anything else is a mismatch', () => {
    assert.deepEqual(classifyScan('W123426000101X', items, 'W999926000001K'), {
      result: 'matched',
      itemId: 'i1',
    });
    assert.deepEqual(classifyScan('W999926000001K-P01', items, 'W999926000001K'), {
      result: 'matched',
      itemId: 'i2',
    });
    assert.deepEqual(classifyScan('W999926000001K', items, 'W999926000001K'), {
      result: 'chain_of_identity',
      itemId: null,
    });
    assert.deepEqual(classifyScan('W999926000002M-P01', items, 'W999926000001K'), {
      result: 'mismatch',
      itemId: null,
    });
  });
  const complete = { needed: 0, given: 0, nextRoles: [], complete: true };
  const base = {
    status: 'draft',
    items: [{ id: 'i1', unitCode: 'U1', needsCondition: true }],
    scans: [{ result: 'matched' as const, itemId: 'i1', normalised: 'U1' }],
    condition: {} as never,
    shipper: { code: 'SHP-000101', qualification: 'qualified' as const },
    sealIntact: true,
    signatures: complete,
  };
  test('nothing blocks a scanned, conditioned, signed hand-off; each missing thing is named', () => {
    assert.deepEqual(completionBlockers(base), []);
    assert.deepEqual(
      completionBlockers({ ...base, scans: [] }).map((b) => b.what),
      ['scan'],
    );
    assert.deepEqual(
      completionBlockers({
        ...base,
        scans: [...base.scans, { result: 'mismatch', itemId: null, normalised: 'X' }],
      }).map((b) => b.what),
      ['mismatch'],
    );
    assert.deepEqual(
      completionBlockers({
        ...base,
        condition: null,
        shipper: { code: 'SHP-000103', qualification: 'expired' },
        sealIntact: false,
        signatures: { needed: 2, given: 1, nextRoles: ['infusion_nurse'], complete: false },
      }).map((b) => b.what),
      ['condition', 'shipper', 'seal', 'signatures'],
    );
    assert.deepEqual(
      completionBlockers({ ...base, status: 'completed' }).map((b) => b.what),
      ['status'],
    );
  });
});
