import { createContext, useContext } from 'react';
import type { ProblemDetail } from '../api-client.ts';
import type { Me } from './auth-api.ts';

/** Why nobody is signed in: shown on the sign-in screen so people know what happened. */
export type SignedOutReason = 'signed-out' | 'signed-out-everywhere' | 'expired';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; reason?: SignedOutReason }
  | { status: 'authenticated'; me: Me }
  | { status: 'error'; problem: ProblemDetail };

export interface Session {
  state: SessionState;
  /** The signed-in user, or null. */
  me: Me | null;
  /** Record a completed sign-in. */
  signedIn: (me: Me) => void;
  /** Ends this session on the server; rejects (and stays signed in) when the server refuses. */
  signOut: () => Promise<void>;
  /** Ends every session of this user on the server. */
  signOutEverywhere: () => Promise<void>;
  /** Reloads the user (after a profile change, or to retry a failed check). */
  refresh: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

/** The current session: who is signed in, and how to sign out. Must be used inside `SessionProvider`. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>.');
  return session;
}
