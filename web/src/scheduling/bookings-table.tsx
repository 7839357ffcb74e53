import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { countLabel } from '../count-label.ts';
import { formatLocalDateTime } from '../date-time.ts';
import { BookingStatusBadge } from './booking-status-badge.tsx';
import type { Booking } from './scheduling-api.ts';
import { dayLabel, workTypeTitle } from './scheduling-labels.ts';
import { bookingPath } from './scheduling-paths.ts';

/** Bookings one a row: the case reference, status, the chain's first and last day. */
export function BookingsTable({ bookings }: { bookings: Booking[] }) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table withTableBorder verticalSpacing="sm">
        <Table.Caption>{countLabel(bookings.length, 'booking')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Case</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">First step</Table.Th>
            <Table.Th scope="col">Last step</Table.Th>
            <Table.Th scope="col">Hold expires</Table.Th>
            <Table.Th scope="col">Changed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {bookings.map((booking) => {
            const first = booking.steps[0];
            const last = booking.steps[booking.steps.length - 1];
            return (
              <Table.Tr key={booking.id} style={{ verticalAlign: 'top' }}>
                <Table.Th scope="row" fw={500}>
                  <Anchor component={Link} to={bookingPath(booking.id)} size="sm" fw={600}>
                    {booking.caseRef}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {booking.therapyCode}
                  </Text>
                </Table.Th>
                <Table.Td>
                  <BookingStatusBadge status={booking.status} />
                </Table.Td>
                <Table.Td>
                  {first ? (
                    <Text size="sm">
                      {workTypeTitle(first.workType)}, {dayLabel(first.day, true)}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  {last ? (
                    <Text size="sm">
                      {workTypeTitle(last.workType)}, {dayLabel(last.day, true)}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {booking.status === 'held' && booking.holdExpiresAt
                      ? formatLocalDateTime(booking.holdExpiresAt)
                      : '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatLocalDateTime(booking.updatedAt)}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
