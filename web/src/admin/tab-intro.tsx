import { Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';

interface TabIntroProps {
  /** What the tab is for, in a sentence or two. */
  children: ReactNode;
  /** The tab's main button, at the other end of the line. */
  action: ReactNode;
  maw?: number;
}

/** The line above an administration list: what it holds, and what you can do with it. */
export function TabIntro({ children, action, maw = 620 }: TabIntroProps) {
  return (
    <Group justify="space-between" mb="md" gap="sm">
      <Text size="sm" c="dimmed" maw={maw}>
        {children}
      </Text>
      {action}
    </Group>
  );
}
