import { Paper, Table, Text } from '@mantine/core';
import { countLabel } from '../count-label.ts';
import type { Exclusion } from './scheduling-api.ts';
import { dayLabel, exclusionTitle, siteLabel } from './scheduling-labels.ts';
import { useSchedulingSites } from './use-scheduling-sites.ts';

function daysOf(exclusion: Exclusion): string {
  if (!exclusion.day) return '—';
  if (!exclusion.lastDay || exclusion.lastDay === exclusion.day) return dayLabel(exclusion.day, true);
  return `${dayLabel(exclusion.day, true)} – ${dayLabel(exclusion.lastDay, true)}`;
}

/** "Why no slot?": every reason the search gave for leaving out a site, a day or a site set. */
export function ExclusionsPanel({ exclusions }: { exclusions: Exclusion[] }) {
  useSchedulingSites();
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="why-no-slot-heading">
      <Text component="h2" id="why-no-slot-heading" fz="h4" fw={650} mb={4}>
        Why no slot?
      </Text>
      {exclusions.length === 0 ? (
        <Text size="sm" c="dimmed">
          The search left nothing out: every site and day it looked at could take part in a chain.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" striped>
            <Table.Caption>
              {countLabel(exclusions.length, 'reason')} the search left days or sites out
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Why</Table.Th>
                <Table.Th scope="col">Where</Table.Th>
                <Table.Th scope="col">Days</Table.Th>
                <Table.Th scope="col">In detail</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {exclusions.map((exclusion, index) => (
                <Table.Tr
                  // Exclusions carry no id; their order is the server's and does not change while shown.
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above.
                  key={index}
                  style={{ verticalAlign: 'top' }}
                >
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {exclusionTitle(exclusion.code)}
                    </Text>
                    {exclusion.stepKey ? (
                      <Text size="xs" c="dimmed">
                        Step {exclusion.stepKey.replace(/_/g, ' ')}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" title={exclusion.siteId}>
                      {exclusion.siteId ? siteLabel(exclusion.siteId) : '—'}
                    </Text>
                    {exclusion.siteSetRank ? (
                      <Text size="xs" c="dimmed">
                        Site set {exclusion.siteSetRank}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{daysOf(exclusion)}</Text>
                    {exclusion.count && exclusion.count > 1 ? (
                      <Text size="xs" c="dimmed">
                        {exclusion.count} times
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{exclusion.reason}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
