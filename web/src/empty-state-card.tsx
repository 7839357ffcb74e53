import { EmptyState, Paper } from '@mantine/core';
import { InboxIcon } from './icons.tsx';

interface EmptyStateCardProps {
  title: string;
  description: string;
  /** Heading level of the title, so it nests under the page's headings. @default 2 */
  headingOrder?: 2 | 3 | 4;
}

/** A bordered, honest "nothing here yet" panel that says when something will appear. */
export function EmptyStateCard({ title, description, headingOrder = 2 }: EmptyStateCardProps) {
  return (
    <Paper withBorder radius="md" py="xl" px="md">
      <EmptyState>
        <EmptyState.Indicator>
          <InboxIcon size={32} />
        </EmptyState.Indicator>
        <EmptyState.Title order={headingOrder}>{title}</EmptyState.Title>
        <EmptyState.Description>{description}</EmptyState.Description>
      </EmptyState>
    </Paper>
  );
}
