import { Button, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import { ProblemAlert } from '../problem-alert.tsx';
import { useFormSubmit } from '../use-form-submit.ts';
import type { BedsideScans } from './custody-api.ts';

const FIELDS = [
  'wristband.chainOfIdentity',
  'wristband.mrn',
  'wristband.birthDate',
  'bag.unitCode',
  'bag.chainOfIdentity',
  'bag.mrn',
  'bag.birthDate',
] as const;
type Field = (typeof FIELDS)[number];

const LABELS: Record<Field, string> = {
  'wristband.chainOfIdentity': 'Chain of identity',
  'wristband.mrn': 'Medical record number',
  'wristband.birthDate': 'Date of birth',
  'bag.unitCode': 'Bag unit number',
  'bag.chainOfIdentity': 'Chain of identity',
  'bag.mrn': 'Medical record number',
  'bag.birthDate': 'Date of birth',
};

/**
 * Wristband, then bag: each field takes one scan; the scanner's Enter moves to the next field, and
 * Enter on the last one verifies. Typed values work the same way.
 */
export function BedsideForm({ onVerify }: { onVerify: (scans: BedsideScans) => Promise<void> }) {
  const [values, setValues] = useState<Record<Field, string>>(
    () => Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<Field, string>,
  );
  const inputs = useRef(new Map<Field, HTMLInputElement>());
  const { errors, alert, busy, submit } = useFormSubmit(FIELDS);

  const verify = () =>
    submit(
      Object.fromEntries(FIELDS.filter((f) => !values[f].trim()).map((f) => [f, 'Scan or type this value'])),
      () =>
        onVerify({
          wristband: {
            chainOfIdentity: values['wristband.chainOfIdentity'],
            mrn: values['wristband.mrn'],
            birthDate: values['wristband.birthDate'],
          },
          bag: {
            unitCode: values['bag.unitCode'],
            chainOfIdentity: values['bag.chainOfIdentity'],
            mrn: values['bag.mrn'],
            birthDate: values['bag.birthDate'],
          },
        }),
    );

  const field = (name: Field, first = false) => (
    <TextInput
      key={name}
      ref={(element) => {
        if (element) inputs.current.set(name, element);
      }}
      name={name}
      label={LABELS[name]}
      size="lg"
      autoFocus={first}
      autoComplete="off"
      spellCheck={false}
      value={values[name]}
      error={errors[name]}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setValues((all) => ({ ...all, [name]: value }));
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Enter') return;
        event.preventDefault();
        const next = FIELDS[FIELDS.indexOf(name) + 1];
        if (next) inputs.current.get(next)?.focus();
        else void verify();
      }}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
    />
  );

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void verify();
      }}
    >
      <Stack gap="lg">
        {alert ? <ProblemAlert problem={alert} action="verify at the bedside" /> : null}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Paper withBorder radius="md" p="md" component="fieldset" aria-labelledby="wristband-legend">
            <Text component="legend" id="wristband-legend" fw={700} fz="lg" px={4}>
              1 · Patient wristband
            </Text>
            <Stack gap="sm">
              {field('wristband.chainOfIdentity', true)}
              {field('wristband.mrn')}
              {field('wristband.birthDate')}
            </Stack>
          </Paper>
          <Paper withBorder radius="md" p="md" component="fieldset" aria-labelledby="bag-legend">
            <Text component="legend" id="bag-legend" fw={700} fz="lg" px={4}>
              2 · Product bag
            </Text>
            <Stack gap="sm">
              {field('bag.unitCode')}
              {field('bag.chainOfIdentity')}
              {field('bag.mrn')}
              {field('bag.birthDate')}
            </Stack>
          </Paper>
        </SimpleGrid>
        <Button type="submit" size="xl" loading={busy}>
          Verify patient and product
        </Button>
      </Stack>
    </form>
  );
}
