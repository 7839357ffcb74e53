import { Button, Group, List, Paper, SimpleGrid, Text, TextInput } from '@mantine/core';
import { type FormEvent, useCallback, useState } from 'react';
import { ProblemAlert } from '../problem-alert.tsx';
import { useFormSubmit } from '../use-form-submit.ts';
import { useResource } from '../use-resource.ts';
import { addClosure, fetchSiteCalendar, liftClosure } from './network-config-api.ts';

const FIELDS = ['from', 'to', 'reason'] as const;

/**
 * A site's closures, for network administrators (scheduling:network): closing days takes them out
 * of every search. The server refuses days that already have bookings and names the cases to re-plan.
 */
export function ClosuresPanel({ siteId, today }: { siteId: string; today: string }) {
  const load = useCallback((signal: AbortSignal) => fetchSiteCalendar(siteId, signal), [siteId]);
  const { state, reload } = useResource(load);
  const [values, setValues] = useState({ from: '', to: '', reason: '' });
  const [liftReason, setLiftReason] = useState('');
  const form = useFormSubmit(FIELDS);
  const lift = useFormSubmit(['reason']);
  const closures = state.status === 'success' && state.data ? state.data.closures : [];
  const set = (key: keyof typeof values, value: string) =>
    setValues((current) => ({ ...current, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checks: Record<string, string> = {};
    if (!values.from) checks.from = 'Choose the first closed day.';
    if (!values.to) checks.to = 'Choose the last closed day.';
    else if (values.from && values.to < values.from) checks.to = 'The last day must not be before the first.';
    if (values.reason.trim().length < 3)
      checks.reason = 'Say why the site is closed (at least 3 characters).';
    void form.submit(checks, async () => {
      await addClosure(siteId, { ...values, reason: values.reason.trim() });
      setValues({ from: '', to: '', reason: '' });
      reload();
    });
  };

  const remove = (closureId: string) => {
    const checks: Record<string, string> = {};
    if (liftReason.trim().length < 3)
      checks.reason = 'Say why the closure is lifted (at least 3 characters).';
    void lift.submit(checks, async () => {
      await liftClosure(siteId, closureId, liftReason.trim());
      setLiftReason('');
      reload();
    });
  };

  return (
    <Paper withBorder radius="md" p="md" mt="lg" component="section" aria-labelledby="closures-heading">
      <Text component="h2" id="closures-heading" fz="h4" fw={650} mb={4}>
        Closures
      </Text>
      <Text size="sm" c="dimmed" mb="sm">
        Closed days are skipped by every slot search. Days that already have bookings cannot be closed until
        those bookings are re-planned.
      </Text>
      {closures.length === 0 ? (
        <Text size="sm" mb="sm">
          {state.status === 'loading' ? 'Loading closures…' : 'No closures.'}
        </Text>
      ) : (
        <>
          <List size="sm" mb="sm" aria-label="Closures of the site">
            {closures.map((closure) => (
              <List.Item key={closure.id}>
                <Group gap="xs">
                  <span>
                    {closure.from === closure.to ? closure.from : `${closure.from} to ${closure.to}`}:{' '}
                    {closure.reason}
                  </span>
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove(closure.id)}>
                    Lift
                  </Button>
                </Group>
              </List.Item>
            ))}
          </List>
          <TextInput
            label="Reason for lifting a closure"
            value={liftReason}
            onChange={(event) => setLiftReason(event.currentTarget.value)}
            error={lift.errors.reason}
            mb="sm"
          />
          {lift.alert ? <ProblemAlert problem={lift.alert} action="lift the closure" /> : null}
        </>
      )}
      <form onSubmit={submit} noValidate aria-label="Add a closure">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <TextInput
            type="date"
            label="First closed day"
            min={today}
            value={values.from}
            onChange={(event) => set('from', event.currentTarget.value)}
            error={form.errors.from}
            required
          />
          <TextInput
            type="date"
            label="Last closed day"
            min={values.from || today}
            value={values.to}
            onChange={(event) => set('to', event.currentTarget.value)}
            error={form.errors.to}
            required
          />
          <TextInput
            label="Reason"
            value={values.reason}
            onChange={(event) => set('reason', event.currentTarget.value)}
            error={form.errors.reason}
            required
          />
        </SimpleGrid>
        {form.alert ? (
          <div style={{ marginTop: 12 }}>
            <ProblemAlert problem={form.alert} action="add the closure" />
          </div>
        ) : null}
        <Group mt="md">
          <Button type="submit" loading={form.busy}>
            Add closure
          </Button>
        </Group>
      </form>
    </Paper>
  );
}
