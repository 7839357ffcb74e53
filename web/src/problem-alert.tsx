import { Alert, Text } from '@mantine/core';
import type { ProblemDetail } from './api-client.ts';
import { AlertIcon } from './icons.tsx';

interface ProblemAlertProps {
  problem: ProblemDetail;
  /** What the screen was trying to do, e.g. "load the network". */
  action: string;
}

/** Shows a failed request's problem detail (RFC 9457 `title` and `detail`) as an error alert. */
export function ProblemAlert({ problem, action }: ProblemAlertProps) {
  return (
    <Alert color="red" variant="light" title={problem.title} icon={<AlertIcon size={20} />} role="alert">
      <Text size="sm">{problem.detail ?? `Cellway could not ${action}.`}</Text>
      {problem.status ? (
        <Text size="xs" c="dimmed" mt={4}>
          Could not {action} (HTTP {problem.status}).
        </Text>
      ) : null}
    </Alert>
  );
}
