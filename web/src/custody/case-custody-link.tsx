import { Button, Group } from '@mantine/core';
import { Link } from 'react-router-dom';
import { hasAnyPermission } from '../auth/auth-api.ts';
import { useSession } from '../auth/session-context.ts';
import { bedsidePath, custodyCasePath } from './custody-paths.ts';

/** From a case to its custody record (and bedside check), for those who may read custody. */
export function CaseCustodyLink({ caseId }: { caseId: string }) {
  const { me } = useSession();
  if (!me || !hasAnyPermission(me, ['custody:read'])) return null;
  return (
    <Group gap="sm" mb="lg" wrap="wrap">
      <Button component={Link} to={custodyCasePath(caseId)} variant="light">
        Custody & chain of identity
      </Button>
      {hasAnyPermission(me, ['custody:bedside']) ? (
        <Button component={Link} to={bedsidePath(caseId)} variant="default">
          Bedside verification
        </Button>
      ) : null}
    </Group>
  );
}
