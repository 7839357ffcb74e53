import { hasAnyPermission } from '../auth/auth-api.ts';
import { RequirePermission } from '../auth/require-permission.tsx';
import { useSession } from '../auth/session-context.ts';
import { EmptyStateCard } from '../empty-state-card.tsx';
import { PageHeader } from '../page-header.tsx';
import { SchedulingNav } from '../scheduling/scheduling-nav.tsx';
import { schedulingScreen } from '../scheduling/scheduling-screen.ts';
import { SlotFinder } from '../scheduling/slot-finder.tsx';

/** The slot-chain finder: the options side by side, hold, book and confirm. */
function SchedulingPageContent() {
  const { me } = useSession();
  const mayBook = me !== null && hasAnyPermission(me, ['scheduling:book']);
  return (
    <>
      <PageHeader title={schedulingScreen.title} purpose={schedulingScreen.purpose} />
      <SchedulingNav />
      {mayBook ? (
        <SlotFinder />
      ) : (
        <EmptyStateCard
          title="Finding and booking slots is for coordinators"
          description="Your role can read the bookings that concern your organisation and the capacity calendar of each site."
        />
      )}
    </>
  );
}

export function SchedulingPage() {
  return (
    <RequirePermission screen={schedulingScreen}>
      <SchedulingPageContent />
    </RequirePermission>
  );
}
