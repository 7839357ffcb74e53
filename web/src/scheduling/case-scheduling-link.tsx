import { Button, Group } from '@mantine/core';
import { Link } from 'react-router-dom';
import { hasAnyPermission } from '../auth/auth-api.ts';
import { useSession } from '../auth/session-context.ts';
import { bookingsPath, finderPathForCase } from './scheduling-paths.ts';

/** From a case to the slot finder (to book its chain) and to its bookings, for those who may schedule. */
export function CaseSchedulingLink({ caseId }: { caseId: string }) {
  const { me } = useSession();
  if (!me || !hasAnyPermission(me, ['scheduling:read'])) return null;
  return (
    <Group gap="sm" mb="lg" wrap="wrap">
      {hasAnyPermission(me, ['scheduling:book']) ? (
        <Button component={Link} to={finderPathForCase(caseId)} variant="light">
          Find slots
        </Button>
      ) : null}
      <Button component={Link} to={`${bookingsPath}?caseId=${encodeURIComponent(caseId)}`} variant="default">
        Bookings of this case
      </Button>
    </Group>
  );
}
