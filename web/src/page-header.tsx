import { Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';

interface PageHeaderProps {
  title: string;
  purpose: string;
}

/** The page's heading and what it is for; also names the browser tab after the page. */
export function PageHeader({ title, purpose }: PageHeaderProps) {
  useEffect(() => {
    document.title = `${title} · Cellway`;
  }, [title]);

  return (
    <Stack gap={6} mb="lg">
      <Title order={1} fz="h2" tabIndex={-1} data-page-heading>
        {title}
      </Title>
      <Text c="dimmed" maw={760}>
        {purpose}
      </Text>
    </Stack>
  );
}
