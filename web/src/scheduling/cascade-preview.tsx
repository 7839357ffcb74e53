import { Alert, Paper, SimpleGrid, Table, Text } from '@mantine/core';
import { ChainTimeline } from './chain-timeline.tsx';
import type { ReplanProposal } from './scheduling-api.ts';
import { dayLabel, siteLabel, whyLabel, workTypeTitle } from './scheduling-labels.ts';
import { useSchedulingSites } from './use-scheduling-sites.ts';

/**
 * A re-plan proposal: the chain before and after side by side, the steps that move marked, and a
 * table of what moved and why. Nothing has changed yet when this is shown.
 */
export function CascadePreview({
  proposal,
  title,
  requestedLabel,
}: {
  proposal: ReplanProposal;
  title: string;
  /** What to call the step that moved first, when it was not the coordinator who moved it. */
  requestedLabel?: string;
}) {
  useSchedulingSites();
  const why = (code: string) =>
    code === 'moved_by_request' && requestedLabel ? requestedLabel : whyLabel(code);
  const moved = proposal.changes.filter(
    (change) => change.from.day !== change.to.day || change.from.siteId !== change.to.siteId,
  );
  const notes = new Map(moved.map((change) => [change.stepKey, why(change.why)]));
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={title}>
      <Text component="h3" fz="md" fw={650} mb="sm">
        {title}
      </Text>
      {proposal.feasible ? null : (
        <Alert color="red" variant="light" mb="md" title="This move does not fit" role="alert">
          <Text size="sm">
            {proposal.reason ?? 'No chain fits every lead time and capacity after this move.'}
          </Text>
          <Text size="sm" mt={4}>
            Nothing would change. Pick another day, or move an earlier step first.
          </Text>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <div>
          <Text fw={650} size="sm" mb={6}>
            Before
          </Text>
          <ChainTimeline steps={proposal.before.steps} label="The chain before the re-plan" />
        </div>
        <div>
          <Text fw={650} size="sm" mb={6}>
            After
          </Text>
          {proposal.after ? (
            <ChainTimeline steps={proposal.after.steps} notes={notes} label="The chain after the re-plan" />
          ) : (
            <Text size="sm" c="dimmed">
              No chain after this move.
            </Text>
          )}
        </div>
      </SimpleGrid>
      {proposal.feasible ? (
        <Table.ScrollContainer minWidth={520} mt="md">
          <Table verticalSpacing="xs">
            <Table.Caption>
              {moved.length === 0
                ? 'No step moves.'
                : `${moved.length === 1 ? '1 step moves' : `${moved.length} steps move`}; the others keep their slot.`}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Step</Table.Th>
                <Table.Th scope="col">From</Table.Th>
                <Table.Th scope="col">To</Table.Th>
                <Table.Th scope="col">Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {proposal.changes.map((change) => {
                const changed = notes.has(change.stepKey);
                return (
                  <Table.Tr key={change.stepKey} className={changed ? 'diff-changed' : undefined}>
                    <Table.Th scope="row" fw={600}>
                      {workTypeTitle(change.to.workType)}
                    </Table.Th>
                    <Table.Td>
                      {dayLabel(change.from.day, true)}
                      <Text size="xs" c="dimmed" title={change.from.siteId}>
                        {siteLabel(change.from.siteId, change.from.workType)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {dayLabel(change.to.day, true)}
                      <Text size="xs" c="dimmed" title={change.to.siteId}>
                        {siteLabel(change.to.siteId, change.to.workType)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{why(change.why)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Paper>
  );
}
