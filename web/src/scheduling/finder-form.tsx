import {
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  TextInput,
} from '@mantine/core';
import type { FormEvent } from 'react';
import type { FieldErrors } from '../form-problem.ts';

export interface FinderValues {
  mode: 'case' | 'therapy';
  caseId: string;
  therapyCode: string;
  treatmentCentreId: string;
  earliestDate: string;
  latestInfusionDate: string;
  count: string;
  plantIds: string[];
  avoidSiteIds: string[];
  includeUnpublished: boolean;
}

/** The names the server gives these fields in its problem details (without `body.`). */
export const finderFields = [
  'caseId',
  'therapyCode',
  'treatmentCentreId',
  'earliestDate',
  'count',
  'preferences.latestInfusionDate',
  'preferences.plantIds',
  'preferences.avoidSiteIds',
] as const;

interface Option {
  value: string;
  label: string;
}

interface FinderFormProps {
  values: FinderValues;
  onChange: (values: FinderValues) => void;
  cases: Option[];
  casesLoading: boolean;
  therapies: Option[];
  /** The treatment centres the caller may search for. */
  centres: Option[];
  centresLoading: boolean;
  /** Plants and sites to prefer or avoid (the network's, or those seen in earlier results). */
  plants: Option[];
  sites: Option[];
  errors: FieldErrors;
  busy: boolean;
  onSearch: (explain: boolean) => void;
}

/** What to search for: the case (or therapy and centre), from when, and the coordinator's preferences. */
export function FinderForm({
  values,
  onChange,
  cases,
  casesLoading,
  therapies,
  centres,
  centresLoading,
  plants,
  sites,
  errors,
  busy,
  onSearch,
}: FinderFormProps) {
  const set = <K extends keyof FinderValues>(key: K, value: FinderValues[K]) =>
    onChange({ ...values, [key]: value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(false);
  };

  return (
    <Paper
      component="form"
      withBorder
      radius="md"
      p="md"
      mb="lg"
      onSubmit={submit}
      aria-label="Find slot chains"
    >
      <SegmentedControl
        mb="md"
        aria-label="Search for"
        value={values.mode}
        onChange={(mode) => set('mode', mode as FinderValues['mode'])}
        data={[
          { value: 'case', label: 'A case' },
          { value: 'therapy', label: 'A therapy at a centre' },
        ]}
      />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
        {values.mode === 'case' ? (
          <Select
            label="Case"
            placeholder={casesLoading ? 'Loading cases…' : 'Choose a case'}
            data={cases}
            value={values.caseId || null}
            onChange={(value) => set('caseId', value ?? '')}
            searchable
            required
            error={errors.caseId}
            style={{ gridColumn: 'span 2' }}
          />
        ) : (
          <>
            <Select
              label="Therapy"
              placeholder="Choose a therapy"
              data={therapies}
              value={values.therapyCode || null}
              onChange={(value) => set('therapyCode', value ?? '')}
              searchable
              required
              error={errors.therapyCode}
            />
            <Select
              label="Treatment centre"
              placeholder={
                centresLoading
                  ? 'Loading centres…'
                  : centres.length > 0
                    ? 'Choose a centre'
                    : 'No treatment centre to choose'
              }
              data={centres}
              value={values.treatmentCentreId || null}
              onChange={(value) => set('treatmentCentreId', value ?? '')}
              searchable
              required
              error={errors.treatmentCentreId}
            />
          </>
        )}
        <TextInput
          type="date"
          label="Earliest date"
          description="No step before this day"
          value={values.earliestDate}
          onChange={(event) => set('earliestDate', event.currentTarget.value)}
          required
          error={errors.earliestDate}
        />
        <TextInput
          type="date"
          label="Latest infusion date"
          description="Optional"
          value={values.latestInfusionDate}
          onChange={(event) => set('latestInfusionDate', event.currentTarget.value)}
          error={errors['preferences.latestInfusionDate']}
        />
        <MultiSelect
          label="Preferred plants"
          placeholder={plants.length > 0 ? 'Any plant' : 'Search once to pick from the plants found'}
          data={plants}
          value={values.plantIds}
          onChange={(value) => set('plantIds', value)}
          clearable
          error={errors['preferences.plantIds']}
        />
        <MultiSelect
          label="Avoid sites"
          placeholder={sites.length > 0 ? 'Avoid none' : 'Search once to pick from the sites found'}
          data={sites}
          value={values.avoidSiteIds}
          onChange={(value) => set('avoidSiteIds', value)}
          clearable
          error={errors['preferences.avoidSiteIds']}
        />
        <Select
          label="Options to show"
          data={['1', '2', '3', '4', '5']}
          value={values.count}
          onChange={(value) => set('count', value ?? '3')}
          allowDeselect={false}
          error={errors.count}
        />
      </SimpleGrid>
      <Group justify="space-between" mt="md" gap="md">
        <Checkbox
          label="Include unpublished slots (sent to the site as a request)"
          checked={values.includeUnpublished}
          onChange={(event) => set('includeUnpublished', event.currentTarget.checked)}
        />
        <Group gap="sm">
          <Button type="submit" loading={busy}>
            Find slot chains
          </Button>
          <Button variant="default" onClick={() => onSearch(true)} disabled={busy}>
            Why no slot?
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
