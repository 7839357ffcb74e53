import { Box, Button, Stack } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { PageLoading } from '../page-loading.tsx';
import { ProblemAlert } from '../problem-alert.tsx';
import { loginPath } from './safe-next.ts';
import { useSession } from './session-context.ts';

/** Route guard: renders the page for a signed-in user, and sends everyone else to the sign-in screen. */
export function RequireSession() {
  const { state, refresh } = useSession();
  const { pathname, search } = useLocation();

  if (state.status === 'loading') return <PageLoading label="Checking who is signed in" />;
  if (state.status === 'error') {
    return (
      <Stack gap="sm" maw={640}>
        <ProblemAlert problem={state.problem} action="check who is signed in" />
        <Box>
          <Button variant="default" size="xs" onClick={() => void refresh()}>
            Try again
          </Button>
        </Box>
      </Stack>
    );
  }
  if (state.status === 'anonymous') return <Navigate to={loginPath(pathname, search)} replace />;
  return <Outlet />;
}
