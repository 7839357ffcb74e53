import { Box, Button, Skeleton, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { EmptyStateCard } from '../empty-state-card.tsx';
import { ProblemAlert } from '../problem-alert.tsx';
import type { ResourceState } from '../use-resource.ts';

interface TabStateProps<T> {
  state: ResourceState<T[]>;
  reload: () => void;
  /** What is loaded, for the loading label and error message, e.g. "the users". */
  what: string;
  empty: { title: string; description: string };
  children: (items: T[]) => ReactNode;
}

/** Loading, error (with retry), empty or the list: the four states of every administration table. */
export function TabState<T>({ state, reload, what, empty, children }: TabStateProps<T>) {
  if (state.status === 'loading') {
    return (
      <Stack gap="xs" aria-busy="true" aria-label={`Loading ${what}`}>
        <Skeleton height={36} radius="sm" />
        <Skeleton height={36} radius="sm" />
        <Skeleton height={36} radius="sm" />
      </Stack>
    );
  }
  if (state.status === 'error') {
    return (
      <Stack gap="sm">
        <ProblemAlert problem={state.problem} action={`load ${what}`} />
        <Box>
          <Button variant="default" size="xs" onClick={reload}>
            Try again
          </Button>
        </Box>
      </Stack>
    );
  }
  if (state.data.length === 0) return <EmptyStateCard headingOrder={3} {...empty} />;
  return children(state.data);
}
