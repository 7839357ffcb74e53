import type { ReactNode } from 'react';
import { NoAccessCard } from '../no-access-card.tsx';
import { PageHeader } from '../page-header.tsx';
import type { Screen } from '../screens.ts';
import { hasAnyPermission } from './auth-api.ts';
import { useSession } from './session-context.ts';

/** Renders `children` when the user holds one of the screen's permissions, else an honest refusal. */
export function RequirePermission({ screen, children }: { screen: Screen; children: ReactNode }) {
  const { me } = useSession();
  if (me && hasAnyPermission(me, screen.permissions)) return children;
  return (
    <>
      <PageHeader title={screen.title} purpose={screen.purpose} />
      <NoAccessCard />
    </>
  );
}
