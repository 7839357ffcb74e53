import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, onUnauthorized, problemOf } from '../api-client.ts';
import {
  fetchMe,
  type Me,
  signOut as postSignOut,
  signOutEverywhere as postSignOutEverywhere,
} from './auth-api.ts';
import { type Session, SessionContext, type SessionState } from './session-context.ts';

async function loadSession(signal?: AbortSignal): Promise<SessionState> {
  try {
    return { status: 'authenticated', me: await fetchMe(signal) };
  } catch (error) {
    if (error instanceof ApiError && error.problem.status === 401) return { status: 'anonymous' };
    if (signal?.aborted) throw error;
    return { status: 'error', problem: problemOf(error) };
  }
}

/** Signing out of a session that has already ended (401) has nothing left to do: that is success too. */
async function endedEvenIfExpired(request: Promise<void>): Promise<void> {
  try {
    await request;
  } catch (error) {
    if (!(error instanceof ApiError && error.problem.status === 401)) throw error;
  }
}

/** Loads who is signed in (`GET /api/auth/me`) when the app starts, and keeps it for every screen. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    loadSession(controller.signal).then(
      (next) => {
        if (!controller.signal.aborted) setState(next);
      },
      () => {
        // Aborted on unmount.
      },
    );
    return () => controller.abort();
  }, []);

  // A request refused with 401 while signed in means the session expired or was ended elsewhere.
  useEffect(
    () =>
      onUnauthorized(() =>
        setState((current) =>
          current.status === 'authenticated' ? { status: 'anonymous', reason: 'expired' } : current,
        ),
      ),
    [],
  );

  const signedIn = useCallback((me: Me) => setState({ status: 'authenticated', me }), []);

  const signOut = useCallback(async () => {
    await endedEvenIfExpired(postSignOut());
    setState({ status: 'anonymous', reason: 'signed-out' });
  }, []);

  const signOutEverywhere = useCallback(async () => {
    await endedEvenIfExpired(postSignOutEverywhere());
    setState({ status: 'anonymous', reason: 'signed-out-everywhere' });
  }, []);

  const refresh = useCallback(async () => {
    setState((current) => (current.status === 'error' ? { status: 'loading' } : current));
    setState(await loadSession());
  }, []);

  const session = useMemo<Session>(
    () => ({
      state,
      me: state.status === 'authenticated' ? state.me : null,
      signedIn,
      signOut,
      signOutEverywhere,
      refresh,
    }),
    [state, signedIn, signOut, signOutEverywhere, refresh],
  );

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
