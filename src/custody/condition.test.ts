import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  ALLOWED_RANGE,
  DATA_LOGGER_MAX_BYTES,
  parseDataLoggerCsv,
  rangeForItems,
  shipperQualification,
  summariseReadings,
} from './condition.ts';

describe('data-logger files', () => {
  test('header, blank lines, CRLF, offsets and the semicolon/decimal-comma dialect are read', () => {
    const parsed = parseDataLoggerCsv(
      'timestamp,celsius\r\n2026-03-01T10:00:00Z,4.5\r\n\r\n2026-03-01T11:00:00+01:00,5\n',
    );
    assert.deepEqual(parsed, {
      ok: true,
      readings: [
        { at: '2026-03-01T10:00:00.000Z', celsius: 4.5 },
        { at: '2026-03-01T10:00:00.000Z', celsius: 5 },
      ],
    });
    const semicolon = parseDataLoggerCsv('Zeit;Temperatur\n2026-03-01T10:00:00Z;-180,5');
    assert.deepEqual(semicolon.ok && semicolon.readings, [
      { at: '2026-03-01T10:00:00.000Z', celsius: -180.5 },
    ]);
  });
  test('a malformed line is refused with its number; an empty or oversize file is refused', () => {
    assert.deepEqual(parseDataLoggerCsv('2026-03-01T10:00:00Z,4\n2026-03-01 11:00,5'), {
      ok: false,
      reason: 'line 2: "2026-03-01 11:00" is not an ISO 8601 timestamp with a UTC offset',
    });
    assert.deepEqual(parseDataLoggerCsv('2026-03-01T10:00:00Z,warm'), {
      ok: false,
      reason: 'line 1: "warm" is not a temperature in °C',
    });
    assert.equal(parseDataLoggerCsv('timestamp,celsius\n').ok, false);
    assert.equal(parseDataLoggerCsv('x'.repeat(DATA_LOGGER_MAX_BYTES + 1)).ok, false);
  });
  test('property: any readings written as CSV read back the same', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-01-01') }),
            centi: fc.integer({ min: -20000, max: 4000 }),
          }),
          { minLength: 1, maxLength: 50 },
        ),
        (rows) => {
          const csv = rows.map((r) => `${new Date(r.at).toISOString()},${r.centi / 100}`).join('\n');
          const parsed = parseDataLoggerCsv(csv);
          assert.ok(parsed.ok);
          assert.deepEqual(
            parsed.readings.map((r) => r.celsius),
            rows.map((r) => r.centi / 100),
          );
        },
      ),
    );
  });
});

describe('excursions against the range the material allows', () => {
  test('fresh apheresis 2–8 °C; cryopreserved product at −150 °C or colder; the two cannot travel together', () => {
    const fresh = rangeForItems(['apheresis_bag', 'sample']);
    assert.ok(fresh.ok);
    assert.deepEqual([fresh.range?.min, fresh.range?.max], [2, 8]);
    const mixed = rangeForItems(['apheresis_bag', 'final_product_bag']);
    assert.equal(mixed.ok, false);
    const readings = [
      { at: '2026-03-01T10:00:00.000Z', celsius: 5 },
      { at: '2026-03-01T10:30:00.000Z', celsius: 9.5 },
      { at: '2026-03-01T11:00:00.000Z', celsius: 6 },
    ];
    const summary = summariseReadings(readings, ALLOWED_RANGE.apheresis_bag, { kind: 'readings' });
    assert.equal(summary.excursion, true);
    assert.equal(summary.excursionCount, 1);
    assert.equal(summary.reasonCode, 'above_range');
    assert.equal(summary.maxCelsius, 9.5);
    const frozen = summariseReadings(
      [{ at: readings[0]?.at as string, celsius: -140 }],
      ALLOWED_RANGE.final_product_bag,
      {
        kind: 'readings',
      },
    );
    assert.equal(frozen.reasonCode, 'above_range');
    const cold = summariseReadings(
      [{ at: readings[0]?.at as string, celsius: 1 }],
      ALLOWED_RANGE.apheresis_bag,
      {
        kind: 'readings',
      },
    );
    assert.equal(cold.reasonCode, 'below_range');
  });
  test('property: an excursion is reported exactly when a reading is outside the range', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 15 }), { minLength: 1, maxLength: 30 }), (values) => {
        const readings = values.map((celsius, i) => ({
          at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
          celsius,
        }));
        const summary = summariseReadings(readings, ALLOWED_RANGE.apheresis_bag, { kind: 'readings' });
        assert.equal(
          summary.excursion,
          values.some((v) => v < 2 || v > 8),
        );
        assert.equal(summary.minCelsius, Math.min(...values));
      }),
    );
  });
  test('a shipper is qualified on the day up to its expiry, expired after it, unknown without a record', () => {
    const day = new Date('2026-03-02T09:00:00Z');
    assert.equal(shipperQualification({ qualified_until: '2026-03-02' }, day), 'qualified');
    assert.equal(shipperQualification({ qualified_until: '2026-03-01' }, day), 'expired');
    assert.equal(shipperQualification(undefined, day), 'unknown');
  });
});
