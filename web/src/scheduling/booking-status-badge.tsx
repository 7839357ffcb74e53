import { Badge } from '@mantine/core';
import { humanise } from '../therapy/therapy-labels.ts';
import { bookingStatusColours } from './scheduling-labels.ts';

/** Held, requested, booked, cancelled, expired or declined. */
export function BookingStatusBadge({ status }: { status: string }) {
  return (
    <Badge color={bookingStatusColours[status] ?? 'gray'} variant="light">
      {humanise(status)}
    </Badge>
  );
}
