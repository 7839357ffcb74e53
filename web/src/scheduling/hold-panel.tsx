import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { formatLocalDateTime } from '../date-time.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { type Booking, cancelBooking, confirmHold, newIdempotencyKey } from './scheduling-api.ts';
import { bookingPath } from './scheduling-paths.ts';
import { countdownLabel, useCountdown } from './use-countdown.ts';

interface HoldPanelProps {
  hold: Booking;
  onConfirmed: (booking: Booking) => void;
  onReleased: () => void;
}

/** A hold the coordinator just took: how long it lasts, and confirm or release it. */
export function HoldPanel({ hold, onConfirmed, onReleased }: HoldPanelProps) {
  const left = useCountdown(hold.holdExpiresAt);
  const [busy, setBusy] = useState<'confirm' | 'release' | null>(null);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  // One key per hold: pressing Confirm again after a network failure cannot confirm twice.
  const [keys] = useState(() => ({ confirm: newIdempotencyKey(), release: newIdempotencyKey() }));
  const expired = left !== null && left <= 0;

  const act = async (what: 'confirm' | 'release') => {
    setBusy(what);
    setProblem(null);
    try {
      if (what === 'confirm') onConfirmed(await confirmHold(hold.id, keys.confirm));
      else {
        await cancelBooking(hold.id, 'Hold released from the slot finder', keys.release);
        onReleased();
      }
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Alert
      color={expired ? 'gray' : 'yellow'}
      variant="light"
      title={expired ? 'The hold expired' : 'Slots held for you'}
      // Announced when the hold is taken and when it expires, not at every tick of the countdown.
      role={expired ? 'alert' : 'status'}
      mb="md"
    >
      <Stack gap="xs">
        {expired ? (
          <Text size="sm">Its slots are free again for everyone. Search again to find a chain.</Text>
        ) : (
          <Text size="sm">
            Case <strong>{hold.caseRef}</strong>: every slot of the chain is held until{' '}
            {hold.holdExpiresAt ? formatLocalDateTime(hold.holdExpiresAt) : '—'}
            {left !== null ? (
              <>
                {' '}
                <span aria-hidden="true">
                  — <strong>{countdownLabel(left)}</strong> left
                </span>
              </>
            ) : null}
            . Confirm to book it.
          </Text>
        )}
        {problem ? (
          <ProblemAlert
            problem={problem}
            action={busy === 'release' ? 'release the hold' : 'confirm the booking'}
          />
        ) : null}
        <Group gap="sm">
          <Button
            onClick={() => act('confirm')}
            loading={busy === 'confirm'}
            disabled={expired || busy !== null}
          >
            Confirm booking
          </Button>
          <Button
            variant="default"
            onClick={() => act('release')}
            loading={busy === 'release'}
            disabled={expired || busy !== null}
          >
            Release hold
          </Button>
          <Button component={Link} to={bookingPath(hold.id)} variant="subtle">
            Open the booking
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
