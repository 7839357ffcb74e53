import { Text } from '@mantine/core';
import { formatLocalDateTime, formatUtc, isUtcTimeZone } from './date-time.ts';

/** A moment in local time, with UTC underneath for comparing records across time zones. */
export function DateTimeText({ iso, withUtc = true }: { iso: string; withUtc?: boolean }) {
  if (isUtcTimeZone()) {
    return (
      <time dateTime={iso}>
        <Text size="sm" component="span" display="block" style={{ whiteSpace: 'nowrap' }}>
          {formatUtc(iso)}
        </Text>
      </time>
    );
  }
  return (
    <time dateTime={iso}>
      <Text size="sm" component="span" display="block" style={{ whiteSpace: 'nowrap' }}>
        {formatLocalDateTime(iso)}
      </Text>
      {withUtc ? (
        <Text size="xs" c="dimmed" component="span" display="block" style={{ whiteSpace: 'nowrap' }}>
          {formatUtc(iso)}
        </Text>
      ) : null}
    </time>
  );
}
