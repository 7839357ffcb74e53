import { Button, Group, Paper, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ProblemAlert } from '../problem-alert.tsx';
import { useFormSubmit } from '../use-form-submit.ts';
import { type Booking, cancelBooking, newIdempotencyKey } from './scheduling-api.ts';

/** Cancel the whole chain with a reason; its capacity is released for everyone. */
export function CancelBookingPanel({
  booking,
  onCancelled,
}: {
  booking: Booking;
  onCancelled: (booking: Booking) => void;
}) {
  const [reason, setReason] = useState('');
  const [sure, setSure] = useState(false);
  const [key] = useState(newIdempotencyKey);
  const form = useFormSubmit(['reason']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checks: Record<string, string> = {};
    if (reason.trim().length < 3) checks.reason = 'Say why the booking is cancelled (at least 3 characters).';
    if (Object.keys(checks).length === 0 && !sure) {
      setSure(true);
      return;
    }
    void form.submit(checks, async () => onCancelled(await cancelBooking(booking.id, reason.trim(), key)));
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="cancel-heading">
      <Text component="h2" id="cancel-heading" fz="h4" fw={650} mb={4}>
        Cancel the booking
      </Text>
      <Text size="sm" c="dimmed" mb="sm">
        Every slot of the chain is released; the sites are told.
      </Text>
      <form onSubmit={submit} aria-label="Cancel the booking">
        <Textarea
          label="Reason for cancelling"
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setSure(false);
          }}
          autosize
          minRows={2}
          required
          error={form.errors.reason}
        />
        {form.alert ? (
          <div style={{ marginTop: 12 }}>
            <ProblemAlert problem={form.alert} action="cancel the booking" />
          </div>
        ) : null}
        <Group mt="md">
          <Button type="submit" color="red" variant={sure ? 'filled' : 'light'} loading={form.busy}>
            {sure ? 'Yes, cancel the whole chain' : 'Cancel the booking'}
          </Button>
          {sure ? (
            <Button variant="subtle" onClick={() => setSure(false)}>
              Keep it
            </Button>
          ) : null}
        </Group>
      </form>
    </Paper>
  );
}
