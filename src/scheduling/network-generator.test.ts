import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { capacityViewOf, generateNetwork } from './network-generator.ts';

describe('generated network', () => {
  const options = { seed: 42, startDay: '2027-01-04' };
  const network = generateNetwork(options);

  test('has the size of the issue: 200 centres, 20 collection centres, 12 plants, 3 sets each, 2,000 booked cases', () => {
    const count = (kind: string) => network.sites.filter((s) => s.kind === kind).length;
    assert.equal(count('treatment_centre'), 200);
    assert.equal(count('collection_centre'), 20);
    assert.equal(count('manufacturing_site'), 12);
    const carTSets = network.preferredSiteSets.filter((s) => s.therapyCode === 'car-t-autologous');
    assert.equal(carTSets.length, 600);
    assert.equal(network.bookings.length, 2000);
    const zones = new Set(network.sites.map((s) => s.timeZone));
    assert.ok(
      [...zones].some((z) => z.startsWith('Europe/')) && [...zones].some((z) => z.startsWith('America/')),
    );
    assert.ok(network.sites.some((s) => s.closures.length > 0));
    assert.ok(network.capacity.some((c) => !c.published));
    // Capacity over a 120-day horizon (Sundays closed everywhere).
    const days = [...new Set(network.capacity.map((c) => c.day))].sort();
    assert.equal(days[0], '2027-01-04');
    assert.equal(days[days.length - 1], '2027-05-03');
  });

  test('bookings agree with the capacity counters, and nothing is overbooked', () => {
    const booked = new Map<string, number>();
    for (const b of network.bookings)
      for (const s of b.steps)
        booked.set(
          `${s.siteId}|${s.workType}|${s.day}`,
          (booked.get(`${s.siteId}|${s.workType}|${s.day}`) ?? 0) + 1,
        );
    for (const row of network.capacity) {
      assert.ok(row.booked <= row.capacity);
      assert.equal(row.booked, booked.get(`${row.siteId}|${row.workType}|${row.day}`) ?? 0);
    }
  });

  test('the same seed gives the same network; ids are uuid-shaped', () => {
    const again = generateNetwork({ ...options, openCases: 50 });
    const first = generateNetwork({ ...options, openCases: 50 });
    assert.deepEqual(again, first);
    for (const site of network.sites) {
      assert.match(site.id, /^[0-9a-f]{8}-[0-9a-z]{4}-4000-8000-[0-9a-f]{12}$/);
    }
  });

  test('the in-memory capacity view counts takes and refuses a full slot', () => {
    const row = network.capacity.find((c) => c.booked === 0 && c.capacity === 1) ?? network.capacity[0];
    assert.ok(row);
    const view = capacityViewOf([{ ...row, booked: 0, held: 0, capacity: 1 }]);
    view.take(row.siteId, row.workType, row.day);
    assert.equal(view.get(row.siteId, row.workType, row.day)?.booked, 1);
    assert.throws(() => view.take(row.siteId, row.workType, row.day), /full/);
  });
});
