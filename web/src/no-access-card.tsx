import { EmptyState, Paper } from '@mantine/core';
import { LockIcon } from './icons.tsx';

/** Says plainly that the signed-in user may not use this page, and what to do about it. */
export function NoAccessCard() {
  return (
    <Paper withBorder radius="md" py="xl" px="md">
      <EmptyState>
        <EmptyState.Indicator>
          <LockIcon size={32} />
        </EmptyState.Indicator>
        <EmptyState.Title order={2}>You don't have access to this page</EmptyState.Title>
        <EmptyState.Description>
          Your roles do not include it. If your work needs it, ask an administrator of your organisation to
          change your roles.
        </EmptyState.Description>
      </EmptyState>
    </Paper>
  );
}
