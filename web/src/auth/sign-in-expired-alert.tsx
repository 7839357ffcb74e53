import { Alert, Button, Text } from '@mantine/core';
import type { ProblemDetail } from '../api-client.ts';
import { AlertIcon } from '../icons.tsx';

/** The sign-in took too long (or was finished elsewhere): say so and offer to start again. */
export function SignInExpiredAlert({
  problem,
  onRestart,
}: {
  problem: ProblemDetail;
  onRestart: () => void;
}) {
  return (
    <Alert color="yellow" variant="light" title="Sign-in expired" icon={<AlertIcon size={20} />} role="alert">
      <Text size="sm">{problem.detail ?? 'This sign-in has expired. Sign in again.'}</Text>
      <Button size="xs" variant="default" mt="sm" onClick={onRestart}>
        Sign in again
      </Button>
    </Alert>
  );
}
