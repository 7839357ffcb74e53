import { Button, Group, Paper, SimpleGrid, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isoToLocalInput, localInputToIso } from '../date-time.ts';
import type { AuditFilters } from './audit-api.ts';

interface AuditFiltersFormProps {
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}

interface Draft {
  recordType: string;
  recordId: string;
  actorId: string;
  from: string;
  to: string;
}

function draftOf(filters: AuditFilters): Draft {
  return {
    recordType: filters.recordType ?? '',
    recordId: filters.recordId ?? '',
    actorId: filters.actorId ?? '',
    from: isoToLocalInput(filters.from ?? null),
    to: isoToLocalInput(filters.to ?? null),
  };
}

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Narrow the audit trail to a record, a user or a period. */
export function AuditFiltersForm({ filters, onApply }: AuditFiltersFormProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  const [applied, setApplied] = useState(filters);
  const [rangeError, setRangeError] = useState<string | undefined>();

  // The filters changed from outside (a link in the table, the browser's back button): show them.
  if (JSON.stringify(applied) !== JSON.stringify(filters)) {
    setApplied(filters);
    setDraft(draftOf(filters));
  }

  const set = (field: keyof Draft) => (value: string) =>
    setDraft((current) => ({ ...current, [field]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const from = localInputToIso(draft.from);
    const to = localInputToIso(draft.to);
    if (from && to && from > to) {
      setRangeError('“To” must be after “From”.');
      return;
    }
    setRangeError(undefined);
    onApply({
      recordType: draft.recordType.trim() || undefined,
      recordId: draft.recordId.trim() || undefined,
      actorId: draft.actorId.trim() || undefined,
      from,
      to,
    });
  };

  return (
    <Paper
      component="form"
      withBorder
      radius="md"
      p="md"
      mb="lg"
      onSubmit={submit}
      aria-label="Filter the audit trail"
    >
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 5 }} spacing="md">
        <TextInput
          label="Record type"
          description="e.g. user, partner, site"
          value={draft.recordType}
          onChange={(event) => set('recordType')(event.currentTarget.value)}
        />
        <TextInput
          label="Record ID"
          value={draft.recordId}
          onChange={(event) => set('recordId')(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <TextInput
          label="User ID"
          description="Who made the change"
          value={draft.actorId}
          onChange={(event) => set('actorId')(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <TextInput
          label="From"
          description={`Your time (${zone})`}
          type="datetime-local"
          value={draft.from}
          onChange={(event) => set('from')(event.currentTarget.value)}
        />
        <TextInput
          label="To"
          description={`Your time (${zone})`}
          type="datetime-local"
          value={draft.to}
          onChange={(event) => set('to')(event.currentTarget.value)}
          error={rangeError}
        />
      </SimpleGrid>
      <Group gap="sm" mt="md">
        <Button type="submit">Apply filters</Button>
        <Button
          variant="default"
          onClick={() => {
            setRangeError(undefined);
            setDraft(draftOf({}));
            onApply({});
          }}
        >
          Clear
        </Button>
      </Group>
    </Paper>
  );
}
