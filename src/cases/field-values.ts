import type { FieldDefinition } from '../therapy/template-schema.ts';
import type { FieldValue } from './case-events.ts';

export type FieldError = { field: string; reason: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function checkOne(field: FieldDefinition, raw: unknown): { value: FieldValue } | { reason: string } {
  switch (field.type) {
    case 'text':
      if (typeof raw !== 'string' || raw.trim() === '') return { reason: 'must be text' };
      if (field.maxLength !== undefined && raw.length > field.maxLength)
        return { reason: `must be at most ${field.maxLength} characters` };
      return { value: raw };
    case 'number': {
      let n: unknown = raw;
      if (raw !== null && typeof raw === 'object') {
        const { value, unit } = raw as { value?: unknown; unit?: unknown };
        if (unit !== field.unit) return { reason: `must be in ${field.unit} (got ${String(unit)})` };
        n = value;
      }
      if (typeof n !== 'number' || !Number.isFinite(n))
        return { reason: `must be a number in ${field.unit}` };
      if (field.integer && !Number.isInteger(n)) return { reason: 'must be a whole number' };
      if (field.min !== undefined && n < field.min)
        return { reason: `must be at least ${field.min} ${field.unit}` };
      if (field.max !== undefined && n > field.max)
        return { reason: `must be at most ${field.max} ${field.unit}` };
      return { value: { value: n, unit: field.unit } };
    }
    case 'date':
      return typeof raw === 'string' && isCalendarDate(raw)
        ? { value: raw }
        : { reason: 'must be a date (YYYY-MM-DD)' };
    case 'datetime':
      return typeof raw === 'string' &&
        DATETIME.test(raw) &&
        isCalendarDate(raw.slice(0, 10)) &&
        !Number.isNaN(Date.parse(raw))
        ? { value: raw }
        : { reason: 'must be a date and time with a UTC offset (ISO 8601)' };
    case 'boolean':
      return typeof raw === 'boolean' ? { value: raw } : { reason: 'must be true or false' };
    case 'choice':
      return typeof raw === 'string' && field.options.includes(raw)
        ? { value: raw }
        : { reason: `must be one of ${field.options.join(', ')}` };
    case 'identifier':
      return typeof raw === 'string' && new RegExp(field.pattern, 'u').test(raw)
        ? { value: raw }
        : { reason: `must match ${field.pattern}` };
  }
}

/**
 * Checks the values of a task against its fields, with optionality already resolved for the
 * case's country and site. Errors name the field as the API sees it (`fields.volume`).
 */
export function checkFieldValues(
  fields: readonly FieldDefinition[],
  required: Record<string, boolean>,
  values: Record<string, unknown>,
): { ok: true; values: Record<string, FieldValue> } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const out: Record<string, FieldValue> = {};
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(values).sort())
    if (!known.has(key)) errors.push({ field: `fields.${key}`, reason: 'is not a field of this task' });
  for (const field of fields) {
    const raw = values[field.key];
    if (raw === undefined || raw === null || raw === '') {
      if (required[field.key] ?? field.required)
        errors.push({ field: `fields.${field.key}`, reason: 'is required' });
      continue;
    }
    const checked = checkOne(field, raw);
    if ('reason' in checked) errors.push({ field: `fields.${field.key}`, reason: checked.reason });
    else out[field.key] = checked.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values: out };
}
