import { Group, NumberInput, Radio, Select, TextInput } from '@mantine/core';
import type { FieldDefinition } from '../therapy/therapy-api.ts';

/** What a field holds while the person fills it in: text for most, a number, or yes/no. */
export type DraftValue = string | number | boolean | undefined;

interface FieldInputProps {
  field: FieldDefinition;
  value: DraftValue;
  onChange: (value: DraftValue) => void;
  error: string | undefined;
  required: boolean;
}

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** One typed input for a template field: numbers carry their unit, dates a picker, choices a list. */
export function FieldInput({ field, value, onChange, error, required }: FieldInputProps) {
  const common = { label: field.label, error, required, withAsterisk: required, size: 'md' as const };
  switch (field.type) {
    case 'number':
      return (
        <NumberInput
          {...common}
          label={`${field.label} (${field.unit})`}
          description={rangeText(field.min, field.max, field.unit, field.integer)}
          value={typeof value === 'number' ? value : ''}
          onChange={(next) => onChange(typeof next === 'number' ? next : undefined)}
          rightSection={<span aria-hidden="true">{field.unit}</span>}
          rightSectionWidth={Math.max(48, field.unit.length * 9 + 16)}
          allowDecimal={!field.integer}
          inputMode={field.integer ? 'numeric' : 'decimal'}
        />
      );
    case 'date':
      return (
        <TextInput
          {...common}
          type="date"
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value || undefined)}
        />
      );
    case 'datetime':
      return (
        <TextInput
          {...common}
          type="datetime-local"
          description={`Your time (${zone})`}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value || undefined)}
        />
      );
    case 'boolean':
      return (
        <Radio.Group
          {...common}
          value={value === true ? 'yes' : value === false ? 'no' : null}
          onChange={(next) => onChange(next === 'yes')}
        >
          <Group gap="lg" mt={6}>
            <Radio value="yes" label="Yes" size="md" />
            <Radio value="no" label="No" size="md" />
          </Group>
        </Radio.Group>
      );
    case 'choice':
      return (
        <Select
          {...common}
          data={field.options}
          value={typeof value === 'string' ? value : null}
          onChange={(next) => onChange(next ?? undefined)}
          clearable={!required}
          comboboxProps={{ withinPortal: true }}
        />
      );
    case 'identifier':
      return (
        <TextInput
          {...common}
          description="Scan the barcode or type it exactly as printed"
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value || undefined)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          autoComplete="off"
          spellCheck={false}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value || undefined)}
          maxLength={field.type === 'text' ? field.maxLength : undefined}
        />
      );
  }
}

function rangeText(min: number | undefined, max: number | undefined, unit: string, integer?: boolean) {
  const whole = integer ? 'Whole number' : null;
  const range =
    min !== undefined && max !== undefined
      ? `${min}–${max} ${unit}`
      : min !== undefined
        ? `at least ${min} ${unit}`
        : max !== undefined
          ? `at most ${max} ${unit}`
          : null;
  return [whole, range].filter(Boolean).join(', ') || undefined;
}

/** The value to send for a field, as the server's field checks expect it; undefined when left empty. */
export function valueToSend(field: FieldDefinition, value: DraftValue): unknown {
  if (value === undefined || value === '') return undefined;
  if (field.type === 'number' && typeof value === 'number') return { value, unit: field.unit };
  if (field.type === 'datetime' && typeof value === 'string') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  }
  if (typeof value === 'string') return value.trim();
  return value;
}
