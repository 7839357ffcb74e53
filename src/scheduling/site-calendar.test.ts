import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { SchedulingSite } from './scheduling-model.ts';
import {
  addDays,
  dayFromNumber,
  dayNumber,
  isDay,
  isoWeekday,
  localDayOf,
  localTimeToUtcMs,
  openingInstantMs,
} from './site-calendar.ts';

describe('site calendar', () => {
  test('opening at 08:00 in Berlin is 07:00 UTC in winter and 06:00 UTC after the March clock change', () => {
    assert.equal(
      new Date(localTimeToUtcMs('Europe/Berlin', '2027-03-26', '08:00')).toISOString(),
      '2027-03-26T07:00:00.000Z',
    );
    assert.equal(
      new Date(localTimeToUtcMs('Europe/Berlin', '2027-03-29', '08:00')).toISOString(),
      '2027-03-29T06:00:00.000Z',
    );
    assert.equal(
      new Date(localTimeToUtcMs('America/Los_Angeles', '2027-07-01', '08:00')).toISOString(),
      '2027-07-01T15:00:00.000Z',
    );
  });

  test('an instant belongs to the local day of the zone it is read in', () => {
    const instant = new Date('2027-05-01T02:00:00Z');
    assert.equal(localDayOf('Europe/Berlin', instant), '2027-05-01');
    assert.equal(localDayOf('America/New_York', instant), '2027-04-30');
  });

  test('days, weekdays and arithmetic', () => {
    assert.equal(isoWeekday('2027-03-01'), 1);
    assert.equal(isoWeekday('2027-03-07'), 7);
    assert.equal(addDays('2027-02-27', 2), '2027-03-01');
    assert.equal(isDay('2027-02-29'), false);
    assert.equal(isDay('2028-02-29'), true);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80_000 }), fc.integer({ min: -400, max: 400 }), (n, k) => {
        const day = dayFromNumber(n);
        assert.equal(dayNumber(day), n);
        assert.equal(dayNumber(addDays(day, k)), n + k);
      }),
    );
  });

  test('closed weekdays and closures have no opening instant', () => {
    const site: SchedulingSite = {
      id: 's',
      code: 'S',
      name: 'S',
      partnerId: 'p',
      kind: 'collection_centre',
      country: 'DE',
      timeZone: 'Europe/Berlin',
      openingHours: [{ weekday: 1, opens: '08:00', closes: '17:00' }],
      closures: [{ from: '2027-03-08', to: '2027-03-08', reason: 'holiday' }],
    };
    assert.equal(openingInstantMs(site, '2027-03-02'), undefined);
    assert.equal(openingInstantMs(site, '2027-03-08'), undefined);
    assert.equal(
      new Date(openingInstantMs(site, '2027-03-15') ?? 0).toISOString(),
      '2027-03-15T07:00:00.000Z',
    );
  });
});
