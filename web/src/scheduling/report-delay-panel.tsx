import { Button, Group, NumberInput, Paper, Select, SimpleGrid, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ProblemAlert } from '../problem-alert.tsx';
import { useFormSubmit } from '../use-form-submit.ts';
import { type Booking, reportDelay } from './scheduling-api.ts';
import { dayLabel, siteRoleOf, workTypeTitle } from './scheduling-labels.ts';

/**
 * For the plant: report that one of its steps is late. The treatment centre gets a re-plan proposal
 * to accept; nothing moves until it does.
 */
export function ReportDelayPanel({ booking, onReported }: { booking: Booking; onReported: () => void }) {
  const plantSteps = booking.steps.filter((step) => siteRoleOf(step.workType) === 'Plant');
  const [stepKey, setStepKey] = useState(plantSteps[0]?.stepKey ?? '');
  const [hours, setHours] = useState<number | string>(24);
  const [reason, setReason] = useState('');
  const form = useFormSubmit(['stepKey', 'delayHours', 'reason']);
  if (plantSteps.length === 0) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checks: Record<string, string> = {};
    if (!stepKey) checks.stepKey = 'Choose the step that is late.';
    if (typeof hours !== 'number' || hours < 1)
      checks.delayHours = 'Give the delay in whole hours, at least 1.';
    if (reason.trim().length < 3) checks.reason = 'Say why the step is late (at least 3 characters).';
    void form.submit(checks, async () => {
      await reportDelay(booking.id, { stepKey, delayHours: Number(hours), reason: reason.trim() });
      setReason('');
      onReported();
    });
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="report-delay-heading">
      <Text component="h2" id="report-delay-heading" fz="h4" fw={650} mb={4}>
        Report a delay
      </Text>
      <Text size="sm" c="dimmed" mb="sm">
        For the plant that runs the step. The treatment centre is told and gets a re-plan to accept.
      </Text>
      <form onSubmit={submit} aria-label="Report a delay">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Select
            label="Step"
            data={plantSteps.map((step) => ({
              value: step.stepKey,
              label: `${workTypeTitle(step.workType)} (${dayLabel(step.day, true)})`,
            }))}
            value={stepKey || null}
            onChange={(value) => setStepKey(value ?? '')}
            allowDeselect={false}
            required
            error={form.errors.stepKey}
          />
          <NumberInput
            label="Delay in hours"
            min={1}
            max={24 * 60}
            allowDecimal={false}
            value={hours}
            onChange={setHours}
            required
            error={form.errors.delayHours}
          />
          <Textarea
            label="Reason"
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            autosize
            minRows={1}
            required
            error={form.errors.reason}
          />
        </SimpleGrid>
        {form.alert ? (
          <div style={{ marginTop: 12 }}>
            <ProblemAlert problem={form.alert} action="report the delay" />
          </div>
        ) : null}
        <Group mt="md">
          <Button type="submit" variant="default" loading={form.busy}>
            Report the delay
          </Button>
        </Group>
      </form>
    </Paper>
  );
}
