import type { Authenticated, Authenticator, Credential } from '../access/access-hook.ts';
import { actorForAccessToken } from './api-client-store.ts';
import type { AuthContext } from './auth-context.ts';
import { sessionStatus, shouldTouch } from './session-rules.ts';
import { findSessionByToken, touchSession } from './session-store.ts';
import { userActor } from './user-store.ts';

const PLAUSIBLE_TOKEN = /^[A-Za-z0-9_-]{20,200}$/;

/**
 * Turns a presented credential into an actor, or null when it does not hold: unknown (forged),
 * ended, idle or past its absolute lifetime, an inactive account, an expired or revoked token. A
 * session's idle clock restarts only once the request is allowed.
 */
export function authenticatorFor(ctx: AuthContext): Authenticator {
  return async (credential: Credential): Promise<Authenticated | null> => {
    if (!PLAUSIBLE_TOKEN.test(credential.token)) return null;
    const now = ctx.now();
    if (credential.kind === 'bearer') {
      const actor = await actorForAccessToken(ctx.db, credential.token, now);
      return actor ? { actor } : null;
    }
    const found = await findSessionByToken(ctx.db, credential.token);
    if (!found || sessionStatus(found.session, now) !== 'active' || !found.user.active) return null;
    const sessionId = found.session.id;
    return {
      actor: userActor(found.user, sessionId),
      ...(shouldTouch(found.session, now)
        ? { afterAllowed: () => touchSession(ctx.db, sessionId, now) }
        : {}),
    };
  };
}
