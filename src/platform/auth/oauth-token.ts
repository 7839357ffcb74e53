import { ACCESS_TOKEN_SECONDS, findActiveClientByClientId, insertAccessToken } from './api-client-store.ts';
import type { AuthContext } from './auth-context.ts';
import { constantTimeEqual, sha256Hex } from './secret-tokens.ts';

/** An RFC 6749 §5.2 error: the token endpoint's own error format, not a problem document. */
export class OAuthError extends Error {
  constructor(
    readonly error:
      | 'invalid_request'
      | 'invalid_client'
      | 'invalid_grant'
      | 'unsupported_grant_type'
      | 'invalid_scope',
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
  ) {
    super(description);
  }

  toBody() {
    return { error: this.error, error_description: this.description };
  }
}

export type TokenRequest = {
  grantType: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  scope: string | undefined;
};

export type TokenResponse = { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string };

// Hashed once so an unknown client id costs the same comparison as a known one.
const NO_SECRET = sha256Hex('no such client');

/** OAuth 2.0 client credentials grant (RFC 6749 §4.4): a partner system trades its secret for a short-lived token. */
export async function issueAccessToken(ctx: AuthContext, request: TokenRequest): Promise<TokenResponse> {
  if (!request.grantType) throw new OAuthError('invalid_request', 'grant_type is required');
  if (request.grantType !== 'client_credentials')
    throw new OAuthError('unsupported_grant_type', 'only grant_type=client_credentials is supported');
  if (!request.clientId || !request.clientSecret)
    throw new OAuthError(
      'invalid_client',
      'client authentication is required (HTTP Basic or client_id and client_secret)',
    );
  const client = await findActiveClientByClientId(ctx.db, request.clientId);
  const secretMatches = constantTimeEqual(sha256Hex(request.clientSecret), client?.secret_hash ?? NO_SECRET);
  if (!client || !secretMatches)
    throw new OAuthError('invalid_client', 'unknown client, wrong secret, or revoked client');
  const requested = request.scope?.trim() ? [...new Set(request.scope.trim().split(/\s+/))] : client.scopes;
  const missing = requested.filter((scope) => !client.scopes.includes(scope));
  if (missing.length)
    throw new OAuthError(
      'invalid_scope',
      `the client is not allowed the scope ${missing.join(' ')} (allowed: ${client.scopes.join(' ')})`,
    );
  const { token } = await insertAccessToken(ctx.db, {
    apiClientId: client.id,
    scopes: requested,
    now: ctx.now(),
  });
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    scope: requested.join(' '),
  };
}
