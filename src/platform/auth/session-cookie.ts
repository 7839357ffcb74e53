import type { FastifyReply } from 'fastify';
import { SESSION_COOKIE } from '../access/access-hook.ts';
import type { AuthSettings } from '../config.ts';

/**
 * The session cookie: httpOnly (no script can read it), SameSite=Strict (no other site's page can
 * make the browser send it), Secure unless the server only listens on loopback, for the whole site.
 * It lives as long as the session's absolute lifetime; the server decides about idleness.
 */
export function setSessionCookie(reply: FastifyReply, token: string, settings: AuthSettings): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.cookieSecure,
    maxAge: settings.sessionAbsoluteHours * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply, settings: AuthSettings): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.cookieSecure,
  });
}
