import { Button, Group, Paper, Select, Switch, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ProblemAlert } from '../problem-alert.tsx';
import { useFormSubmit } from '../use-form-submit.ts';
import { type OpeningHours, type SiteCalendar, saveSiteCalendar } from './network-config-api.ts';
import { siteLabel } from './scheduling-labels.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

// The server names a row by its index in the request (`openingHours.2.closes`), so every index is a field.
const FIELDS = [
  'timeZone',
  'reason',
  'openingHours',
  ...[0, 1, 2, 3, 4, 5, 6].flatMap((i) =>
    ['weekday', 'opens', 'closes'].map((k) => `openingHours.${i}.${k}`),
  ),
];

interface DayRow {
  open: boolean;
  opens: string;
  closes: string;
}

function rowsOf(calendar: SiteCalendar): DayRow[] {
  return WEEKDAYS.map((_, i) => {
    const hours = calendar.openingHours.find((entry) => entry.weekday === i + 1);
    return hours
      ? { open: true, opens: hours.opens, closes: hours.closes }
      : { open: false, opens: '08:00', closes: '17:00' };
  });
}

function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return known.includes(current) ? known : [current, ...known];
}

/**
 * One site's weekly opening hours and time zone. A weekday without hours is closed; the server refuses
 * to close a weekday that still has live bookings (409) and names the problem.
 */
export function NetworkHoursEditor({
  calendar,
  editable,
  onSaved,
}: {
  calendar: SiteCalendar;
  editable: boolean;
  onSaved: () => void;
}) {
  const [rows, setRows] = useState(() => rowsOf(calendar));
  const [timeZone, setTimeZone] = useState(calendar.timeZone);
  const [reason, setReason] = useState('');
  const [sentWeekdays, setSentWeekdays] = useState<number[]>([]);
  const [saved, setSaved] = useState(false);
  const form = useFormSubmit(FIELDS);
  const change = (weekday: number, patch: Partial<DayRow>) => {
    setSaved(false);
    setRows((current) => current.map((row, i) => (i === weekday ? { ...row, ...patch } : row)));
  };

  /** The server's error for one cell of a weekday row, found through the index it had in the request. */
  const errorOf = (weekday: number, key: 'opens' | 'closes'): string | undefined => {
    const index = sentWeekdays.indexOf(weekday + 1);
    if (index < 0) return undefined;
    return form.errors[`openingHours.${index}.${key}`] ?? form.errors[`openingHours.${index}.weekday`];
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checks: Record<string, string> = {};
    if (reason.trim().length < 3) checks.reason = 'Say why the hours change (at least 3 characters).';
    const openingHours: OpeningHours[] = rows.flatMap((row, i) =>
      row.open ? [{ weekday: i + 1, opens: row.opens, closes: row.closes }] : [],
    );
    setSentWeekdays(openingHours.map((hours) => hours.weekday));
    void form.submit(checks, async () => {
      await saveSiteCalendar(calendar.siteId, {
        ...(timeZone !== calendar.timeZone ? { timeZone } : {}),
        openingHours,
        reason: reason.trim(),
      });
      setReason('');
      setSaved(true);
      onSaved();
    });
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="hours-heading">
      <Text component="h2" id="hours-heading" fz="h4" fw={650} mb={4}>
        Opening hours
      </Text>
      <Text size="sm" c="dimmed" mb="sm">
        {siteLabel(calendar.siteId)}: times are local to the site. A closed weekday is skipped by every slot
        search.
      </Text>
      <form onSubmit={submit} noValidate aria-label="Opening hours">
        {editable ? (
          <Select
            label="Time zone"
            data={timeZones(calendar.timeZone)}
            value={timeZone}
            onChange={(value) => {
              if (value) setTimeZone(value);
              setSaved(false);
            }}
            allowDeselect={false}
            searchable
            error={form.errors.timeZone}
            maw={360}
            mb="sm"
          />
        ) : (
          <Text size="sm" mb="sm">
            Time zone: {calendar.timeZone}
          </Text>
        )}
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="xs" aria-label={`Opening hours of ${siteLabel(calendar.siteId)}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Weekday</Table.Th>
                <Table.Th scope="col">Open</Table.Th>
                <Table.Th scope="col">Opens</Table.Th>
                <Table.Th scope="col">Closes</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, i) => (
                <Table.Tr key={WEEKDAYS[i]}>
                  <Table.Th scope="row" fw={500}>
                    {WEEKDAYS[i]}
                  </Table.Th>
                  {editable ? (
                    <>
                      <Table.Td>
                        <Switch
                          aria-label={`${WEEKDAYS[i]} open`}
                          label={row.open ? 'Open' : 'Closed'}
                          checked={row.open}
                          onChange={(event) => change(i, { open: event.currentTarget.checked })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          type="time"
                          aria-label={`${WEEKDAYS[i]} opens`}
                          value={row.opens}
                          onChange={(event) => change(i, { opens: event.currentTarget.value })}
                          disabled={!row.open}
                          error={row.open ? errorOf(i, 'opens') : undefined}
                          w={150}
                        />
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          type="time"
                          aria-label={`${WEEKDAYS[i]} closes`}
                          value={row.closes}
                          onChange={(event) => change(i, { closes: event.currentTarget.value })}
                          disabled={!row.open}
                          error={row.open ? errorOf(i, 'closes') : undefined}
                          w={150}
                        />
                      </Table.Td>
                    </>
                  ) : (
                    <>
                      <Table.Td>{row.open ? 'Open' : 'Closed'}</Table.Td>
                      <Table.Td>{row.open ? row.opens : '–'}</Table.Td>
                      <Table.Td>{row.open ? row.closes : '–'}</Table.Td>
                    </>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {editable ? (
          <>
            <TextInput
              label="Reason"
              description="Recorded in the ledger with the change"
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
              error={form.errors.reason ?? form.errors.openingHours}
              required
              mt="sm"
              maw={520}
            />
            {form.alert ? (
              <div style={{ marginTop: 12 }}>
                <ProblemAlert problem={form.alert} action="save the opening hours" />
              </div>
            ) : null}
            <Group mt="md">
              <Button type="submit" loading={form.busy}>
                Save opening hours
              </Button>
              {saved ? (
                <Text size="sm" c="teal" role="status">
                  Opening hours saved.
                </Text>
              ) : null}
            </Group>
          </>
        ) : null}
      </form>
    </Paper>
  );
}
