import { Text } from '@mantine/core';
import { DateTimeText } from '../date-time-text.tsx';
import { roleLabel } from '../roles.ts';
import { humanise } from '../therapy/therapy-labels.ts';
import type { TimelineEvent } from './cases-api.ts';

/** Every event of the case, newest first, with who did it; engine events are by Cellway. */
export function CaseTimeline({ events }: { events: TimelineEvent[] }) {
  const newestFirst = [...events].sort((a, b) => b.seq - a.seq);
  return (
    <section aria-labelledby="timeline-heading">
      <Text component="h2" id="timeline-heading" fz="h4" fw={650} mb="sm">
        Timeline
      </Text>
      {newestFirst.length === 0 ? (
        <Text size="sm" c="dimmed">
          No events yet.
        </Text>
      ) : (
        <ol className="timeline" aria-label="Case events, newest first">
          {newestFirst.map((event) => (
            <li key={event.seq}>
              <Text size="sm" fw={600}>
                {event.summary}
              </Text>
              <Text size="xs" c="dimmed">
                {humanise(event.type)} · #{event.seq} ·{' '}
                {event.by
                  ? `${event.by.name} (${roleLabel(event.by.role)}, ${event.by.partnerName})`
                  : 'Cellway (automatic)'}
              </Text>
              <DateTimeText iso={event.at} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
