import { Anchor, Button, Group, Paper, Table, Text, TextInput } from '@mantine/core';
import { useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { formatLocalDateTime } from '../date-time.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { ResourceView } from '../resource-view.tsx';
import { useResource } from '../use-resource.ts';
import {
  decideSlotRequest,
  fetchSlotRequests,
  newIdempotencyKey,
  type SiteSlotRequest,
} from './scheduling-api.ts';
import { siteLabel } from './scheduling-labels.ts';
import { bookingPath } from './scheduling-paths.ts';
import { useSchedulingSites } from './use-scheduling-sites.ts';

function RequestRow({
  request,
  onDecided,
}: {
  request: SiteSlotRequest;
  onDecided: (message: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [key] = useState(newIdempotencyKey);
  const decide = async (confirm: boolean) => {
    if (!confirm && reason.trim().length < 3) {
      setProblem({ title: 'Say why', detail: 'Give the reason for declining (at least 3 characters).' });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await decideSlotRequest(
        request.id,
        confirm ? { confirm: true } : { confirm: false, reason: reason.trim() },
        key,
      );
      onDecided(`Case ${request.caseRef}: the request is ${confirm ? 'confirmed' : 'declined'}.`);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Table.Tr style={{ verticalAlign: 'top' }}>
      <Table.Th scope="row" fw={500}>
        <Anchor component={Link} to={bookingPath(request.bookingId)} size="sm" fw={600}>
          {request.caseRef}
        </Anchor>
        <Text size="xs" c="dimmed">
          {formatLocalDateTime(request.createdAt)}
        </Text>
      </Table.Th>
      <Table.Td>
        <Text size="sm">{request.stepKey.replace(/_/g, ' ')}</Text>
        <Text size="xs" c="dimmed" title={request.siteId}>
          {siteLabel(request.siteId)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" align="flex-start">
          <Button size="xs" onClick={() => void decide(true)} loading={busy}>
            Confirm
          </Button>
          <TextInput
            size="xs"
            placeholder="Reason for declining"
            aria-label={`Reason for declining the request of ${request.caseRef}`}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
          />
          <Button size="xs" variant="default" color="red" onClick={() => void decide(false)} disabled={busy}>
            Decline
          </Button>
        </Group>
        {problem ? <ProblemAlert problem={problem} action="decide the request" /> : null}
      </Table.Td>
    </Table.Tr>
  );
}

/** For a site: requests for its unpublished slots, each to confirm or decline with a reason. */
export function SlotRequestsPanel({ onDecided }: { onDecided: (message: string) => void }) {
  const load = useCallback((signal: AbortSignal) => fetchSlotRequests('pending', signal), []);
  const { state, reload } = useResource(load);
  useSchedulingSites();
  return (
    <Paper withBorder radius="md" p="md" mb="lg" component="section" aria-labelledby="slot-requests-heading">
      <Text component="h2" id="slot-requests-heading" fz="h4" fw={650} mb="sm">
        Requests for your unpublished slots
      </Text>
      <ResourceView
        state={state}
        reload={reload}
        what="the slot requests"
        empty={{
          title: 'No request waits for you',
          description:
            'A request appears here when a coordinator books a chain with one of your unpublished slots.',
        }}
      >
        {(requests) => (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Case</Table.Th>
                  <Table.Th scope="col">Step and site</Table.Th>
                  <Table.Th scope="col">Decision</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {requests.map((request) => (
                  <RequestRow
                    key={request.id}
                    request={request}
                    onDecided={(message) => {
                      onDecided(message);
                      reload();
                    }}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </ResourceView>
    </Paper>
  );
}
