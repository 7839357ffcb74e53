import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chainViolations } from './chain-constraints.ts';
import { searchChains } from './chain-search.ts';
import { carTSpec, EXAMPLE_NOW, exampleNetwork } from './example-network.ts';
import { delayChain, ownUnitsOf, replanChain } from './replan.ts';
import type { SlotChain } from './scheduling-model.ts';
import { addDays } from './site-calendar.ts';

const spec = carTSpec();

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
const day = (chain: SlotChain | undefined, key: string) => chain?.steps.find((s) => s.stepKey === key)?.day;

describe('re-planning a booked chain', () => {
  test('moving the manufacturing start by a day keeps the apheresis and moves what the lead times force', () => {
    const { network, capacity, chain } = bookedExample();
    const proposal = replanChain(network, capacity, spec, chain, {
      stepKey: 'manufacturing',
      day: addDays(day(chain, 'manufacturing') as string, 1),
    });
    assert.equal(proposal.feasible, true, proposal.reason);
    const after = proposal.after as SlotChain;
    assert.equal(day(after, 'apheresis'), day(chain, 'apheresis'));
    assert.deepEqual(
      chainViolations(network, capacity, spec, after, [], { ownUnits: ownUnitsOf(chain) }),
      [],
    );
    const why = Object.fromEntries(proposal.changes.map((c) => [c.stepKey, c.why]));
    assert.equal(why.apheresis, 'unchanged');
    assert.equal(why.manufacturing, 'moved_by_request');
  });

  test('a move past the 48 h a fresh product survives takes the apheresis along, unless it has already taken place', () => {
    const { network, capacity, chain } = bookedExample();
    const move = { stepKey: 'manufacturing', day: addDays(day(chain, 'manufacturing') as string, 3) };
    const proposal = replanChain(network, capacity, spec, chain, move, { now: EXAMPLE_NOW });
    assert.equal(proposal.feasible, true, proposal.reason);
    const after = proposal.after as SlotChain;
    assert.ok((day(after, 'apheresis') as string) > (day(chain, 'apheresis') as string));
    assert.equal(proposal.changes.find((c) => c.stepKey === 'apheresis')?.why, 'lead_time');
    assert.deepEqual(
      chainViolations(network, capacity, spec, after, [], { ownUnits: ownUnitsOf(chain) }),
      [],
    );

    const apheresis = chain.steps[0] as SlotChain['steps'][number];
    const collected = new Date(Date.parse(apheresis.endsAt));
    const refused = replanChain(network, capacity, spec, chain, move, { now: collected });
    assert.equal(refused.feasible, false);
    assert.match(
      refused.reason ?? '',
      /manufacturing would start [\d.]+ h after apheresis, outside the allowed 10–48 h/,
    );
    assert.match(refused.reason ?? '', /apheresis started .*before now, so it can never be moved/);
    assert.equal(refused.after, undefined);
  });

  test('moving to a day the site is closed is refused with the reason', () => {
    const { network, capacity, chain } = bookedExample();
    const proposal = replanChain(network, capacity, spec, chain, { stepKey: 'apheresis', day: '2027-03-06' });
    assert.equal(proposal.feasible, false);
    assert.match(proposal.reason ?? '', /COL-BER \(Apheresis Centre Berlin\) does not open/);
  });

  test('moving the apheresis a week later re-plans everything after it within capacity and lead times', () => {
    const { network, capacity, chain } = bookedExample();
    const proposal = replanChain(network, capacity, spec, chain, {
      stepKey: 'apheresis',
      day: addDays(day(chain, 'apheresis') as string, 7),
    });
    assert.equal(proposal.feasible, true, proposal.reason);
    const after = proposal.after as SlotChain;
    assert.ok(after.infusionDay > chain.infusionDay);
    assert.deepEqual(
      chainViolations(network, capacity, spec, after, [], { ownUnits: ownUnitsOf(chain) }),
      [],
    );
    assert.ok(proposal.changes.filter((c) => c.why === 'lead_time').length >= 3);
  });

  test("a plant's reported delay of the release produces the same kind of proposal", () => {
    const { network, capacity, chain } = bookedExample();
    const proposal = delayChain(network, capacity, spec, chain, { stepKey: 'qa_release', delayHours: 30 });
    assert.equal(proposal.feasible, true, proposal.reason);
    const after = proposal.after as SlotChain;
    const before = chain.steps.find((s) => s.stepKey === 'qa_release');
    const moved = after.steps.find((s) => s.stepKey === 'qa_release');
    assert.ok(Date.parse(moved?.startsAt ?? '') >= Date.parse(before?.startsAt ?? '') + 30 * 3_600_000);
    assert.equal(day(after, 'manufacturing'), day(chain, 'manufacturing'));
    assert.deepEqual(
      chainViolations(network, capacity, spec, after, [], { ownUnits: ownUnitsOf(chain) }),
      [],
    );
  });
});
