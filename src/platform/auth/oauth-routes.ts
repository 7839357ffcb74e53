import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../http/app-type.ts';
import type { AuthContext } from './auth-context.ts';
import { issueAccessToken, OAuthError, type TokenRequest } from './oauth-token.ts';

const tokenRequestSchema = z.object({
  grant_type: z.string().max(100).optional().describe('client_credentials'),
  client_id: z.string().max(200).optional(),
  client_secret: z.string().max(200).optional(),
  scope: z.string().max(1000).optional().describe('space-separated; defaults to every scope of the client'),
});

const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string() });

/** RFC 6749 §2.3.1: the Basic credentials are form-urlencoded before base64. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null | 'malformed' {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match?.[1]) return 'malformed';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  const form = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
  try {
    return { id: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

function sendOAuthError(reply: FastifyReply, error: OAuthError, basic: boolean) {
  if (error.status === 401)
    reply.header('www-authenticate', basic ? 'Basic realm="cellway"' : 'Bearer realm="cellway"');
  return reply.status(error.status).header('cache-control', 'no-store').send(error.toBody());
}

export async function registerOAuthRoutes(app: App, ctx: AuthContext): Promise<void> {
  // Form bodies are accepted here only (RFC 6749 requires them): nowhere else can an HTML form post.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8192 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    (scope as App).post(
      '/oauth/token',
      {
        config: { access: { public: true, why: 'OAuth token endpoint: the client secret is the proof' } },
        schema: {
          summary: 'OAuth 2.0 client credentials grant: a partner system gets a short-lived bearer token',
          description:
            'Form-encoded (RFC 6749) or JSON. Client authentication by HTTP Basic or client_id and client_secret in the body. Errors follow RFC 6749 §5.2 ({error, error_description}).',
          tags: ['oauth'],
          body: tokenRequestSchema,
          response: {
            200: z.object({
              access_token: z.string(),
              token_type: z.literal('Bearer'),
              expires_in: z.number().int(),
              scope: z.string(),
            }),
            400: oauthErrorSchema,
            401: oauthErrorSchema,
          },
        },
        errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
          if (error instanceof OAuthError)
            return sendOAuthError(reply, error, Boolean(request.headers.authorization));
          const status = error.statusCode ?? 500;
          if (status >= 500) {
            request.log.error({ err: error }, 'token request failed');
            return reply.status(500).header('cache-control', 'no-store').send({
              error: 'server_error',
              error_description:
                'Something went wrong on our side. The request id identifies it in the logs.',
            });
          }
          return sendOAuthError(
            reply,
            new OAuthError(
              'invalid_request',
              'the request must be form-encoded or JSON with string parameters',
            ),
            false,
          );
        },
      },
      async (request, reply) => {
        const body = request.body ?? {};
        const basic = basicCredentials(request.headers.authorization);
        if (basic === 'malformed')
          throw new OAuthError('invalid_client', 'the Authorization header is not valid HTTP Basic');
        if (basic && (body.client_id || body.client_secret))
          throw new OAuthError(
            'invalid_request',
            'authenticate the client one way only: HTTP Basic or the body',
          );
        const tokenRequest: TokenRequest = {
          grantType: body.grant_type,
          clientId: basic ? basic.id : body.client_id,
          clientSecret: basic ? basic.secret : body.client_secret,
          scope: body.scope,
        };
        const token = await issueAccessToken(ctx, tokenRequest);
        return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(token);
      },
    );
  });
}
