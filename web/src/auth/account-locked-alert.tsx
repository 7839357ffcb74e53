import { Alert, Text } from '@mantine/core';
import type { ProblemDetail } from '../api-client.ts';
import { formatLocalDateTime, formatUtc, isUtcTimeZone } from '../date-time.ts';
import { AlertIcon } from '../icons.tsx';

function lockedUntilText(iso: string): string {
  return isUtcTimeZone() ? formatUtc(iso) : `${formatLocalDateTime(iso)} (${formatUtc(iso)})`;
}

/** HTTP 423 from sign-in: until when the account is locked (local time and UTC), and what to do. */
export function AccountLockedAlert({ problem }: { problem: ProblemDetail }) {
  const until = typeof problem.lockedUntil === 'string' ? problem.lockedUntil : null;
  return (
    <Alert color="red" variant="light" title="Account locked" icon={<AlertIcon size={20} />} role="alert">
      <Text size="sm">
        {until
          ? `Too many sign-ins failed, so this account is locked until ${lockedUntilText(until)}.`
          : (problem.detail ?? 'Too many sign-ins failed, so this account is locked for a while.')}
      </Text>
      <Text size="sm" mt={4}>
        Try again after that time, or ask an administrator of your organisation to unlock it.
      </Text>
    </Alert>
  );
}
