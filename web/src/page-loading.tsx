import { Skeleton, Stack } from '@mantine/core';

/** Placeholder while a page's code or the session loads. */
export function PageLoading({ label = 'Loading the page' }: { label?: string }) {
  return (
    <Stack gap="sm" aria-busy="true" aria-label={label}>
      <Skeleton height={32} width="40%" radius="sm" />
      <Skeleton height={16} width="70%" radius="sm" />
      <Skeleton height={120} radius="md" mt="md" />
    </Stack>
  );
}
