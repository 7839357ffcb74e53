import { Button, Checkbox, Group, Paper, Select, SimpleGrid } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { usePartnerList } from '../admin/partner-select.tsx';
import { therapyTypeOptions } from '../therapy/therapy-labels.ts';
import type { CaseFilters } from './cases-api.ts';

export const caseStatusOptions = [
  { value: 'active', label: 'Active' },
  { value: 'on_hold', label: 'On hold' },
  { value: 'quarantined', label: 'Quarantined' },
  { value: 'completed', label: 'Completed' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'closed', label: 'Closed' },
];

interface CaseFiltersFormProps {
  filters: CaseFilters;
  /** Stage keys seen so far, with their titles, to choose from. */
  stages: ReadonlyMap<string, string>;
  onApply: (filters: CaseFilters) => void;
}

/** Narrow the cases to a therapy, a stage, a treatment centre, a status, or the overdue ones. */
export function CaseFiltersForm({ filters, stages, onApply }: CaseFiltersFormProps) {
  const [draft, setDraft] = useState<CaseFilters>(filters);
  const [applied, setApplied] = useState(filters);
  const partners = usePartnerList();
  const centres =
    partners.status === 'success'
      ? partners.data
          .filter((partner) => partner.type === 'treatment_centre')
          .map((partner) => ({ value: partner.id, label: partner.name }))
      : [];

  // The filters changed from outside (the browser's back button): show them.
  if (JSON.stringify(applied) !== JSON.stringify(filters)) {
    setApplied(filters);
    setDraft(filters);
  }

  const stageOptions = [...stages].map(([value, label]) => ({ value, label }));
  if (draft.stage && !stages.has(draft.stage)) stageOptions.push({ value: draft.stage, label: draft.stage });

  const set = (key: keyof CaseFilters) => (value: string | null) =>
    setDraft((current) => ({ ...current, [key]: value ?? undefined }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };

  return (
    <Paper
      component="form"
      withBorder
      radius="md"
      p="md"
      mb="lg"
      onSubmit={submit}
      aria-label="Filter the cases"
    >
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
        <Select
          label="Therapy"
          placeholder="Every therapy"
          data={therapyTypeOptions}
          value={draft.therapyType ?? null}
          onChange={set('therapyType')}
          clearable
        />
        <Select
          label="Stage"
          placeholder={stageOptions.length > 0 ? 'Every stage' : 'No stages seen yet'}
          data={stageOptions}
          value={draft.stage ?? null}
          onChange={set('stage')}
          clearable
          searchable
        />
        <Select
          label="Treatment centre"
          placeholder={partners.status === 'loading' ? 'Loading centres…' : 'Every centre'}
          data={centres}
          value={draft.partnerId ?? null}
          onChange={set('partnerId')}
          clearable
          searchable
          error={partners.status === 'error' ? 'Could not load the treatment centres.' : undefined}
        />
        <Select
          label="Status"
          placeholder="Every status"
          data={caseStatusOptions}
          value={draft.status ?? null}
          onChange={set('status')}
          clearable
        />
      </SimpleGrid>
      <Group gap="md" mt="md" justify="space-between">
        <Checkbox
          label="Only cases with an overdue step"
          checked={draft.overdue ?? false}
          onChange={(event) => {
            const checked = event.currentTarget.checked;
            setDraft((current) => ({ ...current, overdue: checked || undefined }));
          }}
          size="md"
        />
        <Group gap="sm">
          <Button type="submit">Apply filters</Button>
          <Button
            variant="default"
            onClick={() => {
              setDraft({});
              onApply({});
            }}
          >
            Clear
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
