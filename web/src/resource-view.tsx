import { Box, Button, Skeleton, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ProblemDetail } from './api-client.ts';
import { EmptyStateCard } from './empty-state-card.tsx';
import { ProblemAlert } from './problem-alert.tsx';
import type { ResourceState } from './use-resource.ts';

/** Placeholder rows while a list loads, announced as busy so screen readers wait for it. */
export function LoadingRows({ label, height = 36 }: { label: string; height?: number }) {
  return (
    <Stack gap="xs" aria-busy="true" aria-label={label}>
      <Skeleton height={height} radius="sm" />
      <Skeleton height={height} radius="sm" />
      <Skeleton height={height} radius="sm" />
    </Stack>
  );
}

interface LoadFailedProps {
  problem: ProblemDetail;
  /** What failed, for the message, e.g. "load the users". */
  action: string;
  onRetry: () => void;
  mt?: 'md';
}

/** Why a load failed, and a way to try again without reloading the page. */
export function LoadFailed({ problem, action, onRetry, mt }: LoadFailedProps) {
  return (
    <Stack gap="sm" mt={mt}>
      <ProblemAlert problem={problem} action={action} />
      <Box>
        <Button variant="default" size="xs" onClick={onRetry}>
          Try again
        </Button>
      </Box>
    </Stack>
  );
}

interface ResourceViewProps<T> {
  state: ResourceState<T>;
  reload: () => void;
  /** What is loaded, for the loading label and error message, e.g. "the users". */
  what: string;
  empty: { title: string; description: string };
  /** Whether the loaded data has nothing to show. @default an empty array */
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}

function isEmptyArray(data: unknown): boolean {
  return Array.isArray(data) && data.length === 0;
}

/** Loading, error (with retry), empty or the data: the four states of every loaded list. */
export function ResourceView<T>({
  state,
  reload,
  what,
  empty,
  isEmpty = isEmptyArray,
  children,
}: ResourceViewProps<T>) {
  if (state.status === 'loading') return <LoadingRows label={`Loading ${what}`} />;
  if (state.status === 'error')
    return <LoadFailed problem={state.problem} action={`load ${what}`} onRetry={reload} />;
  if (isEmpty(state.data)) return <EmptyStateCard headingOrder={3} {...empty} />;
  return children(state.data);
}
