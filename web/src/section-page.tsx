import { EmptyStateCard } from './empty-state-card.tsx';
import { PageHeader } from './page-header.tsx';
import type { Screen } from './screens.ts';

/** A screen whose records are not available yet: heading, purpose and an honest empty state. */
export function SectionPage({ screen }: { screen: Screen }) {
  return (
    <>
      <PageHeader title={screen.title} purpose={screen.purpose} />
      <EmptyStateCard title={screen.empty.title} description={screen.empty.description} />
    </>
  );
}
