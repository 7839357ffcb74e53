import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chainViolations } from './chain-constraints.ts';
import { searchChains } from './chain-search.ts';
import { carTSpec, EXAMPLE_NOW, exampleNetwork } from './example-network.ts';
import { delayChain, ownUnitsOf, replanChain } from './replan.ts';
import type { ChainStep, SlotChain } from './scheduling-model.ts';
import { addDays } from './site-calendar.ts';

const spec = carTSpec();
const HOUR = 3_600_000;

function bookedExample() {
  const example = exampleNetwork();
  const chain = searchChains(
    example.network,
    example.capacity,
    spec,
    { therapyCode: 'car-t-autologous', treatmentCentreId: 'centre', earliestDate: '2027-03-02', count: 1 },
    EXAMPLE_NOW,
  ).chains[0] as SlotChain;
  for (const s of chain.steps) example.capacity.take(s.siteId, s.workType, s.day);
  return { ...example, chain };
}
const step = (chain: SlotChain | undefined, key: string) =>
  chain?.steps.find((s) => s.stepKey === key) as ChainStep;
const start = (chain: SlotChain | undefined, key: string) => Date.parse(step(chain, key).startsAt);
const whyOf = (changes: { stepKey: string; why: string }[]) =>
  Object.fromEntries(changes.map((c) => [c.stepKey, c.why]));

describe('re-planning moves earlier steps anchored to the moved one', () => {
  test('moving the infusion a week later takes the conditioning along; collection, manufacturing and release stay', () => {
    const { network, capacity, chain } = bookedExample();
    const infusionDay = addDays(step(chain, 'infusion').day, 7);
    const proposal = replanChain(
      network,
      capacity,
      spec,
      chain,
      { stepKey: 'infusion', day: infusionDay },
      { now: EXAMPLE_NOW },
    );
    assert.equal(proposal.feasible, true, proposal.reason);
    const after = proposal.after as SlotChain;
    assert.deepEqual(
      chainViolations(network, capacity, spec, after, [], { ownUnits: ownUnitsOf(chain) }),
      [],
    );
    assert.equal(after.infusionDay, infusionDay);
    for (const key of ['apheresis', 'manufacturing', 'qa_release'])
      assert.deepEqual(step(after, key), step(chain, key), `${key} keeps its slot`);
    const gap = start(after, 'infusion') - start(after, 'conditioning');
    assert.ok(gap >= 72 * HOUR && gap <= 120 * HOUR, 'conditioning 3–5 days before the infusion');
    assert.equal(step(after, 'conditioning').siteId, step(chain, 'conditioning').siteId);
    // Moving later, the nearest day to the old one is the first of its window: 5 days before the infusion.
    assert.equal(step(after, 'conditioning').day, addDays(infusionDay, -5));
    assert.deepEqual(whyOf(proposal.changes), {
      apheresis: 'unchanged',
      manufacturing: 'unchanged',
      qa_release: 'unchanged',
      conditioning: 'lead_time',
      infusion: 'moved_by_request',
    });
  });

  test('a conditioning whose 3–5 days still hold does not move', () => {
    const { network, capacity, chain } = bookedExample();
    const gapDays = (start(chain, 'infusion') - start(chain, 'conditioning')) / (24 * HOUR);
    assert.ok(gapDays < 5, 'the example books the conditioning less than 5 days before the infusion');
    const proposal = replanChain(network, capacity, spec, chain, {
      stepKey: 'infusion',
      day: addDays(step(chain, 'infusion').day, 1),
    });
    assert.equal(proposal.feasible, true, proposal.reason);
    assert.deepEqual(step(proposal.after, 'conditioning'), step(chain, 'conditioning'));
    assert.equal(whyOf(proposal.changes).conditioning, 'unchanged');
  });

  test('an infusion moved so early that conditioning would precede release + 1 day is infeasible, saying why', () => {
    const { network, capacity, chain } = bookedExample();
    // The product is in manufacturing: collection and manufacturing start are behind us.
    const now = new Date(start(chain, 'manufacturing') + HOUR);
    const infusionDay = addDays(step(chain, 'qa_release').day, 1);
    const proposal = replanChain(
      network,
      capacity,
      spec,
      chain,
      { stepKey: 'infusion', day: infusionDay },
      { now },
    );
    assert.equal(proposal.feasible, false);
    assert.equal(proposal.after, undefined);
    assert.deepEqual(proposal.changes, []);
    const reason = proposal.reason ?? '';
    assert.match(
      reason,
      new RegExp(`^infusion cannot move to ${infusionDay}: conditioning would have to start`),
    );
    assert.match(reason, /at least 72 h before infusion, moved to/);
    assert.match(reason, /at least [\d.]+ h after qa_release, which is at least 192 h after manufacturing/);
    assert.match(reason, /manufacturing, which started .*before now, and can never be moved/);
  });

  test('a conditioning already given cannot move: moving the infusion beyond its window is infeasible', () => {
    const { network, capacity, chain } = bookedExample();
    const now = new Date(start(chain, 'conditioning') + HOUR);
    const proposal = replanChain(
      network,
      capacity,
      spec,
      chain,
      { stepKey: 'infusion', day: addDays(step(chain, 'infusion').day, 7) },
      { now },
    );
    assert.equal(proposal.feasible, false);
    assert.match(
      proposal.reason ?? '',
      /infusion would start [\d.]+ h after conditioning, outside the allowed 72–120 h/,
    );
    assert.match(proposal.reason ?? '', /conditioning started .*before now, so it can never be moved/);
  });

  test('a step that has already started cannot itself be moved', () => {
    const { network, capacity, chain } = bookedExample();
    const now = new Date(start(chain, 'manufacturing') + HOUR);
    const proposal = replanChain(
      network,
      capacity,
      spec,
      chain,
      { stepKey: 'manufacturing', day: addDays(step(chain, 'manufacturing').day, 1) },
      { now },
    );
    assert.equal(proposal.feasible, false);
    assert.match(
      proposal.reason ?? '',
      /^manufacturing started .*before now: a step in the past can never be moved/,
    );
  });

  test('anchoring carries through: conditioning two weeks later drags the release along, not the manufacturing', () => {
    const { network, capacity, chain } = bookedExample();
    const proposal = replanChain(
      network,
      capacity,
      spec,
      chain,
      { stepKey: 'conditioning', day: addDays(step(chain, 'conditioning').day, 14) },
      { now: EXAMPLE_NOW },
    );
    assert.equal(proposal.feasible, true, proposal.reason);
    const after = proposal.after as SlotChain;
    assert.deepEqual(
      chainViolations(network, capacity, spec, after, [], { ownUnits: ownUnitsOf(chain) }),
      [],
    );
    assert.ok(step(after, 'qa_release').day > step(chain, 'qa_release').day);
    // The release stays as early as the lead times allow: one day earlier would break one of them.
    const earlier = {
      ...after,
      steps: after.steps.map((s) =>
        s.stepKey === 'qa_release'
          ? {
              ...s,
              day: addDays(s.day, -1),
              startsAt: new Date(Date.parse(s.startsAt) - 24 * HOUR).toISOString(),
              endsAt: new Date(Date.parse(s.endsAt) - 24 * HOUR).toISOString(),
            }
          : s,
      ),
    };
    assert.ok(
      chainViolations(network, capacity, spec, earlier, [], { ownUnits: ownUnitsOf(chain) }).some((v) =>
        /qa_release/.test(v),
      ),
    );
    const why = whyOf(proposal.changes);
    assert.equal(why.qa_release, 'lead_time');
    assert.equal(why.manufacturing, 'unchanged');
    assert.equal(why.apheresis, 'unchanged');
    assert.equal(why.conditioning, 'moved_by_request');
  });

  test('a reported manufacturing delay moves the apheresis along before it is collected, and is refused after', () => {
    const { network, capacity, chain } = bookedExample();
    const delay = { stepKey: 'manufacturing', delayHours: 72 };
    const before = delayChain(network, capacity, spec, chain, delay, { now: EXAMPLE_NOW });
    assert.equal(before.feasible, true, before.reason);
    assert.equal(whyOf(before.changes).apheresis, 'lead_time');
    assert.deepEqual(
      chainViolations(network, capacity, spec, before.after as SlotChain, [], {
        ownUnits: ownUnitsOf(chain),
      }),
      [],
    );
    const collected = new Date(start(chain, 'apheresis') + HOUR);
    const after = delayChain(network, capacity, spec, chain, delay, { now: collected });
    assert.equal(after.feasible, false);
    assert.match(after.reason ?? '', /apheresis started .*before now, so it can never be moved/);
  });
});
