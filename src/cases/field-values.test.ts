import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FieldDefinition } from '../therapy/template-schema.ts';
import { checkFieldValues } from './field-values.ts';

const fields: FieldDefinition[] = [
  { key: 'note', label: 'Note', type: 'text', required: false, maxLength: 5 },
  { key: 'dose', label: 'Dose', type: 'number', unit: 'mL', min: 1, max: 10, integer: true, required: true },
  { key: 'day', label: 'Day', type: 'date', required: true },
  { key: 'when', label: 'When', type: 'datetime', required: true },
  { key: 'ok', label: 'OK', type: 'boolean', required: true },
  { key: 'pick', label: 'Pick', type: 'choice', options: ['a', 'b'], required: true },
  { key: 'id', label: 'Id', type: 'identifier', pattern: '^X[0-9]{2}$', required: true },
];
const good = {
  dose: 3,
  day: '2026-02-28',
  when: '2026-02-28T10:00:00+01:00',
  ok: false,
  pick: 'b',
  id: 'X12',
};
const req = Object.fromEntries(fields.map((f) => [f.key, f.required]));

describe('field values', () => {
  test('valid values pass and are normalised (numbers keep their unit)', () => {
    const result = checkFieldValues(fields, req, good);
    assert.deepEqual(result, { ok: true, values: { ...good, dose: { value: 3, unit: 'mL' } } });
  });

  test('each wrong value is named with its reason', () => {
    const result = checkFieldValues(fields, req, {
      note: 'too long',
      dose: 2.5,
      day: '2026-02-29',
      when: '2026-02-28 10:00',
      ok: 'yes',
      pick: 'c',
      id: 'x12',
    });
    assert.deepEqual(result, {
      ok: false,
      errors: [
        { field: 'fields.note', reason: 'must be at most 5 characters' },
        { field: 'fields.dose', reason: 'must be a whole number' },
        { field: 'fields.day', reason: 'must be a date (YYYY-MM-DD)' },
        { field: 'fields.when', reason: 'must be a date and time with a UTC offset (ISO 8601)' },
        { field: 'fields.ok', reason: 'must be true or false' },
        { field: 'fields.pick', reason: 'must be one of a, b' },
        { field: 'fields.id', reason: 'must match ^X[0-9]{2}$' },
      ],
    });
  });

  test('ranges, NaN and empty values', () => {
    const over = checkFieldValues(fields, req, { ...good, dose: 11 });
    assert.deepEqual(over.ok ? [] : over.errors, [{ field: 'fields.dose', reason: 'must be at most 10 mL' }]);
    const nan = checkFieldValues(fields, req, { ...good, dose: Number.NaN });
    assert.deepEqual(nan.ok ? [] : nan.errors, [{ field: 'fields.dose', reason: 'must be a number in mL' }]);
    const empty = checkFieldValues(fields, req, { ...good, pick: '', id: null });
    assert.deepEqual(empty.ok ? [] : empty.errors, [
      { field: 'fields.pick', reason: 'is required' },
      { field: 'fields.id', reason: 'is required' },
    ]);
  });

  test('optionality comes from the resolved map, not the definition', () => {
    const { id: _id, ...withoutId } = good;
    assert.equal(checkFieldValues(fields, { ...req, id: false }, withoutId).ok, true);
    assert.equal(checkFieldValues(fields, { ...req, note: true }, good).ok, false);
  });
});
