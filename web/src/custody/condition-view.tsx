import { Badge, Group, Stack, Text } from '@mantine/core';
import { formatUtc } from '../date-time.ts';
import type { ConditionSummary, Handoff } from './custody-api.ts';
import { celsius } from './custody-labels.ts';

/** The condition of a hand-off: temperature min/max against the allowed range (an excursion in red), shipper and seal. */
export function ConditionView({
  condition,
  shipper,
  sealIntact,
  completed,
}: {
  condition: ConditionSummary | null;
  shipper: Handoff['shipper'];
  sealIntact: boolean | null;
  /** Whether the hand-off is completed: an excursion then has its QA exception already. */
  completed: boolean;
}) {
  return (
    <Stack gap={4}>
      {condition ? (
        <>
          <Group gap="xs" wrap="wrap">
            <Text size="sm" fw={600} c={condition.excursion ? 'red.8' : undefined}>
              {celsius(condition.minCelsius)} to {celsius(condition.maxCelsius)}
            </Text>
            {condition.excursion ? (
              <Badge color="red" variant="filled">
                Temperature excursion
              </Badge>
            ) : (
              <Badge color="teal" variant="light">
                In range
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {condition.count} reading{condition.count === 1 ? '' : 's'}
            {condition.source === 'data_logger'
              ? ` from data logger file ${condition.fileName ?? ''}`
              : ' typed in'}
            {condition.allowed ? ` · allowed ${condition.allowed.label}` : ''} · {formatUtc(condition.first)}{' '}
            to {formatUtc(condition.last)}
          </Text>
          {condition.excursion ? (
            <Text size="xs" c="red.8" fw={600}>
              {condition.excursionCount} reading{condition.excursionCount === 1 ? '' : 's'} outside the range
              {condition.excursions[0]
                ? `, first ${celsius(condition.excursions[0].celsius)} at ${formatUtc(condition.excursions[0].at)}`
                : ''}
              .{' '}
              {completed
                ? 'QA has an exception to review.'
                : 'Completing the hand-off quarantines the case and opens an exception for QA.'}
            </Text>
          ) : null}
        </>
      ) : (
        <Text size="sm" c="dimmed">
          No temperature readings recorded.
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Shipper: {shipper ? `${shipper.code} (${shipper.qualification ?? 'unknown'})` : 'none'} · Seal:{' '}
        {sealIntact === null ? 'not checked' : sealIntact ? 'intact' : 'BROKEN'}
      </Text>
    </Stack>
  );
}
