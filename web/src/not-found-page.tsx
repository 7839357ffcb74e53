import { Anchor, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { EmptyStateCard } from './empty-state-card.tsx';
import { PageHeader } from './page-header.tsx';

/** Shown for a path that matches no screen. */
export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <>
      <PageHeader title="Page not found" purpose={`There is no Cellway screen at ${pathname}.`} />
      <EmptyStateCard
        title="Nothing here"
        description="The link may be out of date, or the address mistyped."
      />
      <Text mt="md">
        <Anchor component={Link} to="/">
          Go to the overview
        </Anchor>
      </Text>
    </>
  );
}
