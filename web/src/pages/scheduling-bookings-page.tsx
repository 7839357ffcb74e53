import { Group, Paper, Select } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { DoneNotice } from '../admin/done-notice.tsx';
import { RequirePermission } from '../auth/require-permission.tsx';
import { useSession } from '../auth/session-context.ts';
import { PageHeader } from '../page-header.tsx';
import { ResourceView } from '../resource-view.tsx';
import { BookingsTable } from '../scheduling/bookings-table.tsx';
import { fetchBookings } from '../scheduling/scheduling-api.ts';
import { SchedulingNav } from '../scheduling/scheduling-nav.tsx';
import { schedulingScreen } from '../scheduling/scheduling-screen.ts';
import { SlotRequestsPanel } from '../scheduling/slot-requests-panel.tsx';
import { useResource } from '../use-resource.ts';

const statusOptions = [
  { value: 'held', label: 'Held' },
  { value: 'requested', label: 'Requested' },
  { value: 'booked', label: 'Booked' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'expired', label: 'Expired' },
  { value: 'declined', label: 'Declined' },
];

/** The bookings the caller may see: their centre's, or those that use their sites. */
function SchedulingBookingsPageContent() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const caseId = params.get('caseId') ?? '';
  const load = useCallback(
    (signal: AbortSignal) =>
      fetchBookings({ ...(status ? { status } : {}), ...(caseId ? { caseId } : {}) }, signal),
    [status, caseId],
  );
  const { state, reload } = useResource(load);
  const { me } = useSession();
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <PageHeader title={schedulingScreen.title} purpose={schedulingScreen.purpose} />
      <SchedulingNav />
      <DoneNotice message={done} onClose={() => setDone(null)} />
      {me?.permissions.includes('scheduling:capacity') ? (
        <SlotRequestsPanel
          onDecided={(message) => {
            setDone(message);
            reload();
          }}
        />
      ) : null}
      <Paper withBorder radius="md" p="md" mb="lg">
        <Group gap="md">
          <Select
            label="Status"
            placeholder="Every status"
            data={statusOptions}
            value={status || null}
            onChange={(value) => {
              const next = new URLSearchParams(params);
              if (value) next.set('status', value);
              else next.delete('status');
              setParams(next);
            }}
            clearable
          />
        </Group>
      </Paper>
      <section aria-labelledby="bookings-heading">
        <h2 id="bookings-heading" className="visually-hidden">
          Bookings
        </h2>
        <ResourceView
          state={state}
          reload={reload}
          what="the bookings"
          empty={
            status || caseId
              ? { title: 'No bookings match', description: 'Choose another status, or clear the filter.' }
              : schedulingScreen.empty
          }
        >
          {(bookings) => <BookingsTable bookings={bookings} />}
        </ResourceView>
      </section>
    </>
  );
}

export function SchedulingBookingsPage() {
  return (
    <RequirePermission screen={schedulingScreen}>
      <SchedulingBookingsPageContent />
    </RequirePermission>
  );
}
