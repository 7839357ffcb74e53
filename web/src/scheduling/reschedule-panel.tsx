import { Button, Group, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ProblemAlert } from '../problem-alert.tsx';
import { useFormSubmit } from '../use-form-submit.ts';
import { CascadePreview } from './cascade-preview.tsx';
import {
  acceptReplan,
  type Booking,
  newIdempotencyKey,
  previewReplan,
  type ReplanProposal,
} from './scheduling-api.ts';
import { dayLabel, workTypeTitle } from './scheduling-labels.ts';

interface ReschedulePanelProps {
  booking: Booking;
  onReplanned: (booking: Booking, notifiedPartners: number) => void;
}

interface Preview {
  proposal: ReplanProposal;
  revision: number;
  move: { stepKey: string; day: string; reason: string };
}

/** Move one step to another day: preview the cascade of later steps, then accept it with a reason. */
export function ReschedulePanel({ booking, onReplanned }: ReschedulePanelProps) {
  const [stepKey, setStepKey] = useState(booking.steps[booking.steps.length - 1]?.stepKey ?? '');
  const current = booking.steps.find((step) => step.stepKey === stepKey);
  const [day, setDay] = useState(current?.day ?? '');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const previewForm = useFormSubmit(['stepKey', 'day', 'reason']);
  const acceptForm = useFormSubmit(['reason']);
  const [acceptKey, setAcceptKey] = useState(newIdempotencyKey);

  const showPreview = (event: FormEvent) => {
    event.preventDefault();
    const checks: Record<string, string> = {};
    if (!stepKey) checks.stepKey = 'Choose the step to move.';
    if (!day) checks.day = 'Choose the new day.';
    else if (day === current?.day) checks.day = 'Choose a day other than the one booked.';
    if (reason.trim().length < 3) checks.reason = 'Say why the step moves (at least 3 characters).';
    void previewForm.submit(checks, async () => {
      setPreview(null);
      acceptForm.reset();
      const move = { stepKey, day, reason: reason.trim() };
      const answer = await previewReplan(booking.id, move);
      setPreview({ ...answer, move });
      setAcceptKey(newIdempotencyKey());
    });
  };

  const accept = () =>
    preview
      ? acceptForm.submit({}, async () => {
          const result = await acceptReplan(
            booking.id,
            { ...preview.move, expectedRevision: preview.revision },
            acceptKey,
          );
          setPreview(null);
          setReason('');
          onReplanned(result.booking, result.notifiedPartners.length);
        })
      : undefined;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="reschedule-heading">
      <Text component="h2" id="reschedule-heading" fz="h4" fw={650} mb={4}>
        Reschedule a step
      </Text>
      <Text size="sm" c="dimmed" mb="sm">
        The later steps follow: those that still fit keep their slot, the others move as little as they must.
      </Text>
      <form onSubmit={showPreview} aria-label="Reschedule a step">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Select
            label="Step"
            data={booking.steps.map((step) => ({
              value: step.stepKey,
              label: `${workTypeTitle(step.workType)} (${dayLabel(step.day, true)})`,
            }))}
            value={stepKey || null}
            onChange={(value) => {
              setStepKey(value ?? '');
              setDay(booking.steps.find((step) => step.stepKey === value)?.day ?? '');
              setPreview(null);
            }}
            allowDeselect={false}
            required
            error={previewForm.errors.stepKey}
          />
          <TextInput
            type="date"
            label="New day"
            value={day}
            onChange={(event) => {
              setDay(event.currentTarget.value);
              setPreview(null);
            }}
            required
            error={previewForm.errors.day}
          />
          <Textarea
            label="Reason"
            description="Recorded in the audit trail and sent to every partner affected"
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            autosize
            minRows={1}
            required
            error={previewForm.errors.reason ?? acceptForm.errors.reason}
          />
        </SimpleGrid>
        <Group mt="md">
          <Button type="submit" variant="default" loading={previewForm.busy}>
            Preview the cascade
          </Button>
        </Group>
      </form>
      {previewForm.alert ? (
        <div style={{ marginTop: 12 }}>
          <ProblemAlert problem={previewForm.alert} action="preview the re-plan" />
        </div>
      ) : null}
      {preview ? (
        <Stack gap="sm" mt="md">
          <CascadePreview
            proposal={preview.proposal}
            title={`Moving ${workTypeTitle(current?.workType ?? preview.move.stepKey).toLowerCase()} to ${dayLabel(preview.move.day)}`}
          />
          {acceptForm.alert ? <ProblemAlert problem={acceptForm.alert} action="accept the re-plan" /> : null}
          {preview.proposal.feasible ? (
            <Group>
              <Button onClick={() => void accept()} loading={acceptForm.busy}>
                Accept the re-plan
              </Button>
              <Button variant="subtle" onClick={() => setPreview(null)} disabled={acceptForm.busy}>
                Discard
              </Button>
            </Group>
          ) : null}
        </Stack>
      ) : null}
    </Paper>
  );
}
