import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { formatLocalDateTime } from '../date-time.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { CascadePreview } from './cascade-preview.tsx';
import { acceptReplan, type Booking, type DelayProposal, newIdempotencyKey } from './scheduling-api.ts';
import { workTypeTitle } from './scheduling-labels.ts';

interface DelayProposalsPanelProps {
  booking: Booking;
  proposals: DelayProposal[];
  canAccept: boolean;
  onAccepted: (booking: Booking, notifiedPartners: number) => void;
}

/** A step by what is done in it ("QC release"), not by its key in the template ("qa_release"). */
function stepTitle(booking: Booking, stepKey: string): string {
  return workTypeTitle(booking.steps.find((step) => step.stepKey === stepKey)?.workType ?? stepKey);
}

/** Delays reported by a plant, each with the re-plan it proposes, waiting for the centre to accept. */
export function DelayProposalsPanel({ booking, proposals, canAccept, onAccepted }: DelayProposalsPanelProps) {
  const pending = proposals.filter((proposal) => proposal.status === 'pending');
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  if (pending.length === 0) return null;

  const accept = async (proposal: DelayProposal) => {
    setBusy(proposal.id);
    setProblem(null);
    try {
      const result = await acceptReplan(booking.id, { proposalId: proposal.id }, newIdempotencyKey());
      onAccepted(result.booking, result.notifiedPartners.length);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="delays-heading">
      <Text component="h2" id="delays-heading" fz="h4" fw={650} mb="sm">
        Delays reported by the plant
      </Text>
      {problem ? <ProblemAlert problem={problem} action="accept the proposal" /> : null}
      <Stack gap="md">
        {pending.map((proposal) => (
          <Stack key={proposal.id} gap="xs">
            <Text size="sm">
              <strong>{stepTitle(booking, proposal.stepKey)}</strong> is {proposal.delayHours} h late:{' '}
              {proposal.reason}{' '}
              <Text span size="xs" c="dimmed">
                (reported {formatLocalDateTime(proposal.createdAt)})
              </Text>
            </Text>
            {proposal.bookingRevision !== booking.revision ? (
              <Text size="sm" c="orange.9">
                The booking changed since this proposal was made; accepting it will be refused.
              </Text>
            ) : null}
            <CascadePreview
              proposal={proposal.proposal}
              title="Proposed re-plan"
              requestedLabel="Delayed by the plant"
            />
            {canAccept && proposal.proposal.feasible ? (
              <Group>
                <Button onClick={() => void accept(proposal)} loading={busy === proposal.id}>
                  Accept the proposal
                </Button>
              </Group>
            ) : null}
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}
