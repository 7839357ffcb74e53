import { Anchor, Button, Grid, Group, List, Paper, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { DoneNotice } from '../admin/done-notice.tsx';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { RequirePermission } from '../auth/require-permission.tsx';
import { useSession } from '../auth/session-context.ts';
import { BackLink } from '../back-link.tsx';
import { casePath } from '../cases/cases-table.tsx';
import { formatLocalDateTime } from '../date-time.ts';
import { PageHeader } from '../page-header.tsx';
import { ProblemAlert } from '../problem-alert.tsx';
import { LoadFailed, LoadingRows } from '../resource-view.tsx';
import { BookingStatusBadge } from '../scheduling/booking-status-badge.tsx';
import { CancelBookingPanel } from '../scheduling/cancel-booking-panel.tsx';
import { ChainTimeline } from '../scheduling/chain-timeline.tsx';
import { DelayProposalsPanel } from '../scheduling/delay-proposals-panel.tsx';
import { PatientConflictsPanel } from '../scheduling/patient-conflicts-panel.tsx';
import { ReportDelayPanel } from '../scheduling/report-delay-panel.tsx';
import { ReschedulePanel } from '../scheduling/reschedule-panel.tsx';
import {
  type Booking,
  confirmHold,
  fetchBooking,
  fetchDelayProposals,
  fetchPatientConflicts,
  newIdempotencyKey,
} from '../scheduling/scheduling-api.ts';
import { isLive, siteLabel, workTypeTitle } from '../scheduling/scheduling-labels.ts';
import { bookingsPath, capacityPathFor } from '../scheduling/scheduling-paths.ts';
import { schedulingScreen } from '../scheduling/scheduling-screen.ts';
import { countdownLabel, useCountdown } from '../scheduling/use-countdown.ts';
import { useSchedulingSites } from '../scheduling/use-scheduling-sites.ts';
import { useResource } from '../use-resource.ts';

async function loadBooking(id: string, signal: AbortSignal) {
  const booking = await fetchBooking(id, signal);
  // Proposals and conflicts add to the booking; the page still works when either cannot be read.
  const [proposals, conflicts] = await Promise.all([
    fetchDelayProposals(id, signal).catch(() => []),
    booking.caseId ? fetchPatientConflicts(booking.caseId, signal).catch(() => null) : Promise.resolve(null),
  ]);
  return { booking, proposals, conflicts };
}

function HoldLine({ booking, onConfirmed }: { booking: Booking; onConfirmed: (b: Booking) => void }) {
  const left = useCountdown(booking.holdExpiresAt);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [key] = useState(newIdempotencyKey);
  const expired = left !== null && left <= 0;
  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      onConfirmed(await confirmHold(booking.id, key));
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs" mt="sm">
      <Text size="sm">
        {expired
          ? 'The hold has expired; its slots are free again.'
          : `Held until ${booking.holdExpiresAt ? formatLocalDateTime(booking.holdExpiresAt) : '—'}${left !== null ? ` — ${countdownLabel(left)} left` : ''}.`}
      </Text>
      {problem ? <ProblemAlert problem={problem} action="confirm the booking" /> : null}
      <Group>
        <Button onClick={() => void confirm()} loading={busy} disabled={expired}>
          Confirm booking
        </Button>
      </Group>
    </Stack>
  );
}

/** One booking: its chain, and reschedule, accept a plant's delay, resolve conflicts or cancel. */
function SchedulingBookingPageContent() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const load = useCallback((signal: AbortSignal) => loadBooking(id, signal), [id]);
  const { state, reload } = useResource(load);
  useSchedulingSites();
  const [done, setDone] = useState<string | null>(null);
  const canBook = me?.permissions.includes('scheduling:book') ?? false;
  const runsSites = me?.permissions.includes('scheduling:capacity') ?? false;

  const back = <BackLink to={bookingsPath} label="All bookings" />;
  if (state.status === 'loading')
    return (
      <>
        {back}
        <LoadingRows label="Loading the booking" height={80} />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        {back}
        <PageHeader title="Booking" purpose="One slot chain: where and when each step takes place." />
        <LoadFailed problem={state.problem} action="load the booking" onRetry={reload} />
      </>
    );

  const { booking, proposals, conflicts } = state.data;
  const changed = (message: string) => {
    setDone(message);
    reload();
  };
  const sites = [...new Map(booking.steps.map((step) => [step.siteId, step.workType])).entries()];

  return (
    <>
      {back}
      <PageHeader
        title={`Booking ${booking.caseRef}`}
        purpose="The slot chain of one case: where and when each step takes place. Reschedule a step and the later ones follow."
      />
      <DoneNotice message={done} onClose={() => setDone(null)} />
      <Paper withBorder radius="md" p="md" mb="lg">
        <Group gap="lg" align="flex-start">
          <div>
            <Text size="xs" c="dimmed">
              Status
            </Text>
            <BookingStatusBadge status={booking.status} />
          </div>
          <div>
            <Text size="xs" c="dimmed">
              Therapy
            </Text>
            <Text size="sm">{booking.therapyCode}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              Revision
            </Text>
            <Text size="sm">{booking.revision}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              Last changed
            </Text>
            <Text size="sm">{formatLocalDateTime(booking.updatedAt)}</Text>
          </div>
          {booking.caseId ? (
            <div>
              <Text size="xs" c="dimmed">
                Case
              </Text>
              <Anchor component={Link} to={casePath(booking.caseId)} size="sm">
                Open the case
              </Anchor>
            </div>
          ) : null}
        </Group>
        {booking.statusReason ? (
          <Text size="sm" mt="sm">
            Why: {booking.statusReason}
          </Text>
        ) : null}
        {booking.status === 'held' && canBook ? (
          <HoldLine booking={booking} onConfirmed={() => changed('The chain is booked.')} />
        ) : null}
        {booking.slotRequests.length > 0 ? (
          <div style={{ marginTop: 12 }}>
            <Text size="sm" fw={600}>
              Requests for unpublished slots
            </Text>
            <List size="sm">
              {booking.slotRequests.map((request) => (
                <List.Item key={request.id}>
                  {workTypeTitle(
                    booking.steps.find((step) => step.stepKey === request.stepKey)?.workType ??
                      request.stepKey,
                  )}{' '}
                  at {siteLabel(request.siteId)}: {request.status}
                  {request.reason ? ` — ${request.reason}` : ''}
                </List.Item>
              ))}
            </List>
          </div>
        ) : null}
      </Paper>
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Paper withBorder radius="md" p="md" component="section" aria-labelledby="chain-heading">
            <Text component="h2" id="chain-heading" fz="h4" fw={650} mb="sm">
              Current chain
            </Text>
            <ChainTimeline steps={booking.steps} label="Steps of the booked chain" />
            <Text size="xs" c="dimmed" mt="md" mb={4}>
              Capacity calendar of
            </Text>
            <Group gap="xs">
              {sites.map(([siteId, workType]) => (
                <Anchor key={siteId} component={Link} to={capacityPathFor(siteId)} size="sm">
                  {siteLabel(siteId, workType)}
                </Anchor>
              ))}
            </Group>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="lg">
            <DelayProposalsPanel
              booking={booking}
              proposals={proposals}
              canAccept={canBook && isLive(booking.status)}
              onAccepted={(_, notified) =>
                changed(`The plant's delay is accepted; ${notified} partner(s) notified.`)
              }
            />
            {runsSites && booking.status === 'booked' ? (
              <ReportDelayPanel
                key={`delay-${booking.revision}`}
                booking={booking}
                onReported={() =>
                  changed('The delay is reported; the treatment centre is told and gets a re-plan.')
                }
              />
            ) : null}
            {conflicts ? <PatientConflictsPanel data={conflicts} /> : null}
            {canBook && (booking.status === 'booked' || booking.status === 'held') ? (
              <ReschedulePanel
                key={booking.revision}
                booking={booking}
                onReplanned={(_, notified) =>
                  changed(`The chain is re-planned; ${notified} partner(s) notified.`)
                }
              />
            ) : null}
            {canBook && isLive(booking.status) ? (
              <CancelBookingPanel
                key={`cancel-${booking.revision}`}
                booking={booking}
                onCancelled={() => changed('The booking is cancelled; its slots are free again.')}
              />
            ) : null}
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

export function SchedulingBookingPage() {
  return (
    <RequirePermission screen={schedulingScreen}>
      <SchedulingBookingPageContent />
    </RequirePermission>
  );
}
