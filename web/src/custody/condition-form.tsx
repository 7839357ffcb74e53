import {
  ActionIcon,
  Button,
  FileInput,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { isoToLocalInput, localInputToIso } from '../date-time.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { useFormSubmit } from '../use-form-submit.ts';
import { type ConditionInput, fetchShippers, type Handoff, type Shipper } from './custody-api.ts';

type Row = { key: number; at: string; celsius: number | string };

const FIELDS = ['readings', 'dataLogger', 'shipperCode', 'sealIntact'] as const;

/** Condition of the transfer: readings typed in or a data logger's CSV file, the shipper and its seal. */
export function ConditionForm({
  handoff,
  onSave,
}: {
  handoff: Handoff;
  onSave: (input: ConditionInput) => Promise<void>;
}) {
  const [source, setSource] = useState<'readings' | 'file'>('readings');
  const [rows, setRows] = useState<Row[]>([
    { key: 1, at: isoToLocalInput(new Date().toISOString()), celsius: '' },
  ]);
  const [file, setFile] = useState<File | null>(null);
  const [shipperCode, setShipperCode] = useState<string | null>(handoff.shipper?.code ?? null);
  const [seal, setSeal] = useState(
    handoff.sealIntact === null ? 'unknown' : handoff.sealIntact ? 'intact' : 'broken',
  );
  const [shippers, setShippers] = useState<Shipper[]>([]);
  const { errors, alert, busy, submit } = useFormSubmit(FIELDS);

  useEffect(() => {
    const controller = new AbortController();
    fetchShippers(controller.signal).then(setShippers, () => {});
    return () => controller.abort();
  }, []);

  const setRow = (key: number, change: Partial<Row>) =>
    setRows((all) => all.map((r) => (r.key === key ? { ...r, ...change } : r)));

  const save = () =>
    submit(
      source === 'file'
        ? file
          ? {}
          : { dataLogger: 'Choose the data logger’s CSV file' }
        : rows.some((r) => !localInputToIso(r.at) || typeof r.celsius !== 'number')
          ? { readings: 'Give a time and a temperature for every reading' }
          : {},
      async () => {
        const input: ConditionInput = {
          ...(shipperCode ? { shipperCode } : {}),
          ...(seal === 'unknown' ? {} : { sealIntact: seal === 'intact' }),
          ...(source === 'file' && file
            ? { dataLogger: { fileName: file.name, text: await file.text() } }
            : {
                readings: rows.map((r) => ({
                  at: localInputToIso(r.at) as string,
                  celsius: Number(r.celsius),
                })),
              }),
        };
        await onSave(input);
      },
    );

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Stack gap="md">
        {alert ? <ProblemAlert problem={alert} action="record the condition" /> : null}
        <SegmentedControl
          fullWidth
          size="md"
          value={source}
          onChange={(value) => setSource(value as 'readings' | 'file')}
          data={[
            { value: 'readings', label: 'Type readings' },
            { value: 'file', label: 'Data logger file' },
          ]}
        />
        {source === 'readings' ? (
          <Stack gap="xs">
            {rows.map((row, n) => (
              <Group key={row.key} gap="xs" align="flex-end" wrap="nowrap">
                <TextInput
                  type="datetime-local"
                  label={n === 0 ? 'Time' : undefined}
                  aria-label={`Time of reading ${n + 1}`}
                  size="md"
                  value={row.at}
                  onChange={(event) => setRow(row.key, { at: event.currentTarget.value })}
                  style={{ flex: 3 }}
                />
                <NumberInput
                  label={n === 0 ? 'Temperature °C' : undefined}
                  aria-label={`Temperature of reading ${n + 1} in °C`}
                  size="md"
                  decimalScale={1}
                  min={-273}
                  max={100}
                  value={row.celsius}
                  onChange={(value) => setRow(row.key, { celsius: value })}
                  style={{ flex: 2 }}
                />
                {rows.length > 1 ? (
                  <ActionIcon
                    variant="default"
                    size={42}
                    aria-label={`Remove reading ${n + 1}`}
                    onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))}
                  >
                    ×
                  </ActionIcon>
                ) : null}
              </Group>
            ))}
            {errors.readings ? (
              <Text size="sm" c="red.8">
                {errors.readings}
              </Text>
            ) : null}
            <Button
              variant="default"
              size="md"
              onClick={() =>
                setRows((all) => [
                  ...all,
                  {
                    key: (all.at(-1)?.key ?? 0) + 1,
                    at: isoToLocalInput(new Date().toISOString()),
                    celsius: '',
                  },
                ])
              }
            >
              Add a reading
            </Button>
          </Stack>
        ) : (
          <FileInput
            label="Data logger file (CSV)"
            description="One line per reading: timestamp (ISO 8601 with offset), °C."
            accept=".csv,text/csv,text/plain"
            size="md"
            value={file}
            onChange={setFile}
            clearable
            error={errors.dataLogger}
          />
        )}
        <Select
          label="Shipper"
          size="md"
          data={shippers.map((s) => ({
            value: s.code,
            label: `${s.code} (${s.qualification === 'qualified' ? `qualified until ${s.qualifiedUntil}` : s.qualification})`,
          }))}
          value={shipperCode}
          onChange={setShipperCode}
          clearable
          placeholder="No shipper"
          error={errors.shipperCode}
        />
        <div>
          <Text fz="md" fw={600} id="seal-label" mb={4}>
            Seal of the shipper
          </Text>
          <SegmentedControl
            fullWidth
            size="md"
            aria-labelledby="seal-label"
            value={seal}
            onChange={setSeal}
            color={seal === 'broken' ? 'red' : seal === 'intact' ? 'teal' : undefined}
            data={[
              { value: 'intact', label: 'Intact' },
              { value: 'broken', label: 'Broken' },
              { value: 'unknown', label: 'Not checked' },
            ]}
          />
          {errors.sealIntact ? (
            <Text size="sm" c="red.8">
              {errors.sealIntact}
            </Text>
          ) : null}
        </div>
        <Button type="submit" size="lg" loading={busy}>
          Save condition
        </Button>
      </Stack>
    </form>
  );
}
