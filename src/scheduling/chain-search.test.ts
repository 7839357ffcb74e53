import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chainViolations } from './chain-constraints.ts';
import { searchChains } from './chain-search.ts';
import { carTSpec, EXAMPLE_NOW, exampleNetwork } from './example-network.ts';
import type { ChainSearchRequest, SlotChain } from './scheduling-model.ts';
import { addDays } from './site-calendar.ts';

const spec = carTSpec();
const request: ChainSearchRequest = {
  therapyCode: 'car-t-autologous',
  treatmentCentreId: 'centre',
  earliestDate: '2027-03-02',
  explain: true,
};
const stepOf = (chain: SlotChain | undefined, key: string) => chain?.steps.find((s) => s.stepKey === key);

describe('chain search on a network a coordinator would recognise', () => {
  test('returns three valid chains, earliest infusion first, every step on or after the earliest date', () => {
    const { network, capacity } = exampleNetwork();
    const { chains } = searchChains(network, capacity, spec, request, EXAMPLE_NOW);
    assert.equal(chains.length, 3);
    for (const chain of chains) {
      assert.deepEqual(chainViolations(network, capacity, spec, chain), []);
      for (const step of chain.steps)
        assert.ok(step.day >= request.earliestDate, `${step.stepKey} on ${step.day}`);
    }
    const days = chains.map((c) => c.infusionDay);
    assert.deepEqual(days, [...days].sort());
    assert.equal(new Set(days).size, 3);
    // Apheresis on the first open day, manufacturing the next morning (6 h transport, 48 h limit).
    assert.equal(stepOf(chains[0], 'apheresis')?.day, '2027-03-02');
    assert.equal(stepOf(chains[0], 'manufacturing')?.day, '2027-03-03');
  });

  test('the 48 h apheresis → plant limit excludes the plant across the Atlantic, and says so', () => {
    const { network, capacity } = exampleNetwork();
    const { chains, exclusions } = searchChains(network, capacity, spec, request, EXAMPLE_NOW);
    assert.ok(chains.every((c) => stepOf(c, 'manufacturing')?.siteId === 'near'));
    assert.ok(chains.every((c) => c.siteSetRank === 2));
    const why = exclusions.find((e) => e.code === 'lead_time' && e.siteId === 'far');
    assert.ok(why, JSON.stringify(exclusions));
    assert.match(why.reason, /PLT-BOS/);
    assert.match(why.reason, /transport 50 h/);
    assert.match(why.reason, /at most 48 h/);
    assert.equal(why.siteSetRank, 1);
  });

  test('a closure at the collection centre is skipped and explained with its reason', () => {
    const { network, capacity } = exampleNetwork({
      adjustSites: (sites) => {
        const collect = sites.get('collect');
        if (collect) collect.closures = [{ from: '2027-03-01', to: '2027-03-09', reason: 'staff strike' }];
      },
    });
    const { chains, exclusions } = searchChains(network, capacity, spec, request, EXAMPLE_NOW);
    assert.equal(stepOf(chains[0], 'apheresis')?.day, '2027-03-10');
    const closed = exclusions.find(
      (e) => e.code === 'site_closed' && e.siteId === 'collect' && /strike/.test(e.reason),
    );
    assert.ok(closed, JSON.stringify(exclusions));
    assert.equal(closed.day, '2027-03-02');
    assert.ok((closed.lastDay ?? '') <= '2027-03-09');
    assert.match(closed.reason, /COL-BER/);
  });

  test('unpublished plant capacity appears only when requested, marked as a request', () => {
    const { network, capacity } = exampleNetwork({
      adjustCapacity: (row) => {
        if (row.siteId === 'near' && row.workType === 'manufacturing_start' && row.day < '2027-03-15')
          row.published = false;
      },
    });
    const plain = searchChains(network, capacity, spec, request, EXAMPLE_NOW);
    assert.ok(plain.chains.every((c) => c.steps.every((s) => s.published)));
    assert.ok((stepOf(plain.chains[0], 'manufacturing')?.day ?? '') >= '2027-03-15');
    assert.ok(plain.exclusions.some((e) => e.code === 'unpublished' && e.siteId === 'near'));

    const withRequests = searchChains(
      network,
      capacity,
      spec,
      { ...request, preferences: { includeUnpublished: true } },
      EXAMPLE_NOW,
    );
    const manufacturing = stepOf(withRequests.chains[0], 'manufacturing');
    assert.equal(manufacturing?.day, '2027-03-03');
    assert.equal(manufacturing?.published, false);
    assert.ok((withRequests.chains[0]?.infusionDay ?? '') < (plain.chains[0]?.infusionDay ?? ''));
    for (const chain of withRequests.chains)
      assert.deepEqual(chainViolations(network, capacity, spec, chain), []);
  });

  test("a patient's appointment on the infusion day pushes the infusion", () => {
    const { network, capacity } = exampleNetwork();
    const first = searchChains(network, capacity, spec, request, EXAMPLE_NOW).chains[0];
    const infusion = stepOf(first, 'infusion');
    assert.ok(infusion);
    const appointment = {
      id: 'cardio',
      label: 'Cardiology check',
      startsAt: infusion.startsAt,
      endsAt: new Date(Date.parse(infusion.startsAt) + 3_600_000).toISOString(),
    };
    const { chains, exclusions } = searchChains(
      network,
      capacity,
      spec,
      { ...request, patientAppointments: [appointment] },
      EXAMPLE_NOW,
    );
    assert.ok((chains[0]?.infusionDay ?? '') > infusion.day);
    for (const chain of chains)
      assert.deepEqual(chainViolations(network, capacity, spec, chain, [appointment]), []);
    const conflict = exclusions.find((e) => e.code === 'patient_conflict');
    assert.ok(conflict);
    assert.match(conflict.reason, /Cardiology check/);
    assert.equal(conflict.day, infusion.day);
  });

  test('"why no slot": a fully booked plant gives no chain and names the plant and the reason', () => {
    const { network, capacity } = exampleNetwork({
      adjustCapacity: (row) => {
        if (row.siteId === 'near' && row.workType === 'manufacturing_start') row.booked = row.capacity;
      },
    });
    const { chains, exclusions } = searchChains(network, capacity, spec, request, EXAMPLE_NOW);
    assert.deepEqual(chains, []);
    const full = exclusions.find((e) => e.code === 'no_capacity' && e.siteId === 'near');
    assert.ok(full, JSON.stringify(exclusions));
    assert.match(full.reason, /PLT-LEI \(Leipzig Plant\) is fully booked for Manufacturing start/);
    assert.ok((full.count ?? 0) > 1, 'one aggregated exclusion for many days');
    assert.ok(exclusions.length < 20, `bounded: ${exclusions.length}`);
  });

  test('avoided sites, a latest infusion date and unknown centres are respected', () => {
    const { network, capacity } = exampleNetwork();
    const avoided = searchChains(
      network,
      capacity,
      spec,
      { ...request, preferences: { avoidSiteIds: ['near'] } },
      EXAMPLE_NOW,
    );
    assert.deepEqual(avoided.chains, []);
    assert.ok(avoided.exclusions.some((e) => e.code === 'avoided' && e.siteId === 'near'));

    const unbounded = searchChains(network, capacity, spec, request, EXAMPLE_NOW).chains;
    const latest = unbounded[0]?.infusionDay as string;
    const bounded = searchChains(
      network,
      capacity,
      spec,
      { ...request, preferences: { latestInfusionDate: latest } },
      EXAMPLE_NOW,
    );
    assert.ok(bounded.chains.length >= 1);
    assert.ok(bounded.chains.every((c) => c.infusionDay <= latest));
    const tooEarly = searchChains(
      network,
      capacity,
      spec,
      { ...request, preferences: { latestInfusionDate: addDays(request.earliestDate, 5) } },
      EXAMPLE_NOW,
    );
    assert.deepEqual(tooEarly.chains, []);

    assert.deepEqual(
      searchChains(network, capacity, spec, { ...request, treatmentCentreId: 'nowhere' }, EXAMPLE_NOW).chains,
      [],
    );
  });

  test('a booked chain takes capacity away from the next search', () => {
    const { network, capacity } = exampleNetwork();
    const first = searchChains(network, capacity, spec, { ...request, count: 1 }, EXAMPLE_NOW).chains[0];
    assert.ok(first);
    for (const step of first.steps) capacity.take(step.siteId, step.workType, step.day);
    const second = searchChains(network, capacity, spec, { ...request, count: 1 }, EXAMPLE_NOW).chains[0];
    // The plant starts one batch a day, so the second patient's manufacturing moves.
    assert.notEqual(stepOf(second, 'manufacturing')?.day, stepOf(first, 'manufacturing')?.day);
    assert.deepEqual(chainViolations(network, capacity, spec, second as SlotChain), []);
  });
});
