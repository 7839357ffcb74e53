import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { HttpProblem } from '../http/problem.ts';
import type { RouteAccess } from '../http/route-access.ts';
import type { Actor } from './actor.ts';
import { PERMISSIONS } from './permissions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: set on every route that requires a permission; on public routes only when asked for. */
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** A public route that still wants to know who calls when credentials come along (e.g. logout). */
    optionalActor?: boolean;
  }
}

export const SESSION_COOKIE = 'cellway_session';

/** A credential as the request presents it; not yet checked. */
export type Credential = { kind: 'session'; token: string } | { kind: 'bearer'; token: string };

/** A checked credential: the actor, and what to record once the request is allowed (sliding sessions). */
export type Authenticated = { actor: Actor; afterAllowed?: () => Promise<void> };

export type Authenticator = (
  credential: Credential,
  request: FastifyRequest,
) => Promise<Authenticated | null>;

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A refusal that tells a bearer-token client how to authenticate (RFC 6750 WWW-Authenticate). */
class AccessProblem extends HttpProblem {
  constructor(
    status: number,
    detail: string,
    readonly wwwAuthenticate: string | null,
    extensions: Record<string, unknown> = {},
  ) {
    super(status, detail, { extensions });
  }
}

const unauthenticated = (detail: string, bearer: boolean, error?: string) =>
  new AccessProblem(
    401,
    detail,
    bearer ? `Bearer realm="cellway"${error ? `, error="${error}"` : ''}` : null,
  );

/** Reads the credential a request presents: an `Authorization: Bearer` token wins over the session cookie. */
export function credentialOf(request: FastifyRequest): Credential | null {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/i.exec(authorization.trim());
    if (!match?.[1])
      throw unauthenticated(
        'The Authorization header must be "Bearer <access token>".',
        true,
        'invalid_request',
      );
    return { kind: 'bearer', token: match[1] };
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie ? { kind: 'session', token: cookie } : null;
}

/**
 * Cross-site request forgery: the session cookie is SameSite=Strict, so browsers do not send it on
 * requests started by another site. As a second line, a state-changing request authenticated by the
 * cookie must be `application/json` (a cross-site page cannot send that without a CORS preflight,
 * which Cellway never grants) and must not be labelled cross-site by the browser (Sec-Fetch-Site).
 */
export function csrfProblem(request: FastifyRequest, credential: Credential): HttpProblem | null {
  if (credential.kind !== 'session' || !UNSAFE_METHODS.has(request.method)) return null;
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site')
    return new HttpProblem(403, 'Requests from another site cannot change anything here.', {
      title: 'Cross-site request refused',
    });
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/json')
    return new HttpProblem(
      415,
      'A signed-in request that changes something must send content-type: application/json (a JSON body, {} when there is nothing to say).',
      { title: 'Unsupported media type' },
    );
  return null;
}

/**
 * Deny by default, enforced before a route's body is even read: no credential → 401; a credential
 * that is forged, expired, revoked or of a disabled account → 401; a valid one without the route's
 * permission (or scope) → 403. A refused request changes nothing. The resolved actor is put on
 * `request.actor` for the handler and for the store's partner scoping.
 */
export function installAccessControl(app: FastifyInstance, authenticate: Authenticator): void {
  app.decorateRequest('actor', null);

  // A permission that does not exist can never be held: a typo would lock a route forever, so it stops start-up.
  app.addHook('onRoute', (route: RouteOptions) => {
    const access = (route.config as { access?: RouteAccess } | undefined)?.access;
    if (access && 'permission' in access && !Object.hasOwn(PERMISSIONS, access.permission))
      throw new Error(
        `route ${String(route.method)} ${route.url} requires permission "${access.permission}", which is not defined in src/platform/access/permissions.ts`,
      );
  });

  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config as
      | { access?: RouteAccess; optionalActor?: boolean }
      | undefined;
    const access = config?.access;
    // Only the web app's static files and the not-found handler have no declaration: every other
    // route is refused at registration without one (route-access.ts).
    if (!access) return;
    try {
      if ('public' in access) {
        if (!config?.optionalActor) return;
        const credential = credentialOf(request);
        const authenticated = credential ? await authenticate(credential, request) : null;
        if (!credential || !authenticated) return;
        const csrf = csrfProblem(request, credential);
        if (csrf) throw csrf;
        request.actor = authenticated.actor;
        await authenticated.afterAllowed?.();
        return;
      }
      const credential = credentialOf(request);
      if (!credential)
        throw unauthenticated(
          'Sign in, or send an OAuth access token as "Authorization: Bearer <token>".',
          true,
        );
      const authenticated = await authenticate(credential, request);
      if (!authenticated)
        throw credential.kind === 'bearer'
          ? unauthenticated('The access token is invalid, expired or revoked.', true, 'invalid_token')
          : unauthenticated('Your session has ended or is not valid. Sign in again.', false);
      const csrf = csrfProblem(request, credential);
      if (csrf) throw csrf;
      const { actor } = authenticated;
      if (actor.kind === 'system' || !(actor.permissions as ReadonlySet<string>).has(access.permission))
        throw actor.kind === 'client'
          ? new AccessProblem(
              403,
              `The access token lacks the scope ${access.permission}.`,
              `Bearer realm="cellway", error="insufficient_scope", scope="${access.permission}"`,
              { requiredPermission: access.permission },
            )
          : new AccessProblem(403, `Your roles do not include the permission ${access.permission}.`, null, {
              requiredPermission: access.permission,
            });
      request.actor = actor;
      await authenticated.afterAllowed?.();
    } catch (error) {
      if (error instanceof AccessProblem && error.wwwAuthenticate)
        reply.header('www-authenticate', error.wwwAuthenticate);
      throw error;
    }
  });
}

/** The caller of a route that requires a permission (the hook guarantees there is one). */
export function actorOf(request: FastifyRequest): Exclude<Actor, { kind: 'system' }> {
  const actor = request.actor;
  if (!actor || actor.kind === 'system') throw new HttpProblem(401, 'Sign in first.');
  return actor;
}

/** The signed-in person calling a route meant for people (sessions), not for partner systems. */
export function userOf(request: FastifyRequest): Extract<Actor, { kind: 'user' }> {
  const actor = actorOf(request);
  if (actor.kind !== 'user')
    throw new HttpProblem(403, 'Only a signed-in person can do this, not an API client.');
  return actor;
}
