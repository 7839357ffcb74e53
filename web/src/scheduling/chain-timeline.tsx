import { Badge, Group, Text } from '@mantine/core';
import type { ChainStep } from './scheduling-api.ts';
import { dayLabel, gapLabel, siteLabel, timeSpan, workTypeTitle } from './scheduling-labels.ts';
import { useSchedulingSites } from './use-scheduling-sites.ts';
import './scheduling.css';

interface ChainTimelineProps {
  steps: ReadonlyArray<ChainStep & { state?: string }>;
  /** Steps to mark as changed (a re-plan's "after"), with what to say about each. */
  notes?: ReadonlyMap<string, string>;
  label: string;
}

/**
 * One chain, step after step (apheresis → manufacturing → QC release → conditioning → infusion):
 * where, which day, what time (the site's own day and clock, UTC beside it), and the lead time
 * since the step before.
 */
export function ChainTimeline({ steps, notes, label }: ChainTimelineProps) {
  useSchedulingSites();
  return (
    <ol className="chain-timeline" aria-label={label}>
      {steps.map((step, index) => {
        const previous = index > 0 ? steps[index - 1] : undefined;
        const times = timeSpan(step);
        const note = notes?.get(step.stepKey);
        return (
          <li
            key={step.stepKey}
            data-step={step.stepKey}
            data-site-id={step.siteId}
            data-day={step.day}
            data-request={step.published ? undefined : true}
            data-changed={note ? true : undefined}
          >
            {previous ? (
              <span className="chain-gap">
                {gapLabel(previous.startsAt, step.startsAt)} after{' '}
                {workTypeTitle(previous.workType).toLowerCase()}
              </span>
            ) : null}
            <Group gap={6} wrap="wrap" className="chain-step-title">
              <Text size="sm" fw={650}>
                {workTypeTitle(step.workType)}
              </Text>
              {step.published ? null : (
                <Badge
                  size="xs"
                  color="violet"
                  variant="outline"
                  title="Unpublished slot: the site confirms or declines"
                >
                  Request
                </Badge>
              )}
              {step.state ? (
                <Badge size="xs" color={step.state === 'booked' ? 'teal' : 'yellow'} variant="light">
                  {step.state}
                </Badge>
              ) : null}
            </Group>
            <Text size="sm" title={step.siteId}>
              {siteLabel(step.siteId, step.workType)}
            </Text>
            <Text size="sm" title={times.utc}>
              <time dateTime={step.startsAt}>{dayLabel(step.day)}</time>, {times.local}
            </Text>
            {times.inUtc ? null : (
              <Text size="xs" c="dimmed">
                {times.utc}
              </Text>
            )}
            {note ? (
              <Text size="xs" fw={600} c="orange.9">
                {note}
              </Text>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
