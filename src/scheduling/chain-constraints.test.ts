import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chainViolations } from './chain-constraints.ts';
import { searchChains } from './chain-search.ts';
import { carTSpec, EXAMPLE_NOW, exampleNetwork } from './example-network.ts';
import type { ChainStep, SlotChain } from './scheduling-model.ts';
import { addDays, localTimeToUtcMs } from './site-calendar.ts';

const spec = carTSpec();

function validChain() {
  const example = exampleNetwork();
  const chain = searchChains(
    example.network,
    example.capacity,
    spec,
    { therapyCode: 'car-t-autologous', treatmentCentreId: 'centre', earliestDate: '2027-03-02', count: 1 },
    EXAMPLE_NOW,
  ).chains[0] as SlotChain;
  return { ...example, chain };
}

/** The same step on another day, timed as the site would run it. */
function onDay(step: ChainStep, day: string, timeZone: string, opens: string): ChainStep {
  const start = localTimeToUtcMs(timeZone, day, opens);
  const length = Date.parse(step.endsAt) - Date.parse(step.startsAt);
  return {
    ...step,
    day,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + length).toISOString(),
  };
}

describe('the independent chain checker', () => {
  test('accepts the chain the search returns', () => {
    const { network, capacity, chain } = validChain();
    assert.deepEqual(
      chainViolations(network, capacity, spec, chain, [], { treatmentCentreId: 'centre' }),
      [],
    );
    assert.match(
      chainViolations(network, capacity, spec, chain, [], { treatmentCentreId: 'elsewhere' }).join(),
      /not a preferred site set/,
    );
  });

  test('catches a broken lead time, a full slot, a closed day, a wrong start time and a patient conflict', () => {
    const { network, capacity, chain } = validChain();
    const manufacturing = chain.steps[1] as ChainStep;
    const late = {
      ...chain,
      steps: chain.steps.map((s, i) => (i === 1 ? onDay(s, addDays(s.day, 3), 'Europe/Berlin', '07:00') : s)),
    };
    assert.match(
      chainViolations(network, capacity, spec, late).join('\n'),
      /manufacturing starts \d+(\.\d)? h after apheresis; allowed 10–48 h/,
    );

    capacity.take(manufacturing.siteId, manufacturing.workType, manufacturing.day);
    assert.match(chainViolations(network, capacity, spec, chain).join(), /no free manufacturing_start slot/);
    assert.deepEqual(
      chainViolations(network, capacity, spec, chain, [], {
        ownUnits: new Set([`${manufacturing.siteId}|manufacturing_start|${manufacturing.day}`]),
      }),
      [],
    );

    const sunday = {
      ...chain,
      steps: chain.steps.map((s, i) => (i === 0 ? { ...s, day: '2027-03-07' } : s)),
    };
    assert.match(
      chainViolations(network, capacity, spec, sunday).join(),
      /COL-BER does not open on 2027-03-07/,
    );

    const shifted = {
      ...chain,
      steps: chain.steps.map((s, i) => (i === 4 ? { ...s, startsAt: s.endsAt } : s)),
    };
    assert.match(
      chainViolations(network, capacity, spec, shifted).join(),
      /infusion: starts at .* but CTR-BER opens at/,
    );

    const infusion = chain.steps[4] as ChainStep;
    const problems = chainViolations(network, capacity, spec, chain, [
      { id: 'x', label: 'MRI', startsAt: infusion.startsAt, endsAt: infusion.endsAt },
    ]);
    assert.ok(problems.some((p) => p.includes('overlaps the patient\'s appointment "MRI"')));
  });
});
