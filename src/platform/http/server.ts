import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { registerCaseRoutes } from '../../cases/case-routes.ts';
import { registerWorkQueueRoutes } from '../../cases/work-queue-routes.ts';
import { registerCustodyRoutes } from '../../custody/custody-routes.ts';
import { registerPartnerAdminRoutes } from '../../partners/partner-admin-routes.ts';
import { registerPartnerRoutes } from '../../partners/partner-routes.ts';
import { registerPatientRoutes } from '../../patients/patient-routes.ts';
import { registerSchedulingApi } from '../../scheduling/scheduling-api.ts';
import { registerSignatureRoutes } from '../../signatures/signature-routes.ts';
import { registerTemplateRoutes } from '../../therapy/template-routes.ts';
import { installAccessControl } from '../access/access-hook.ts';
import { registerAuditRoutes } from '../audit/audit-routes.ts';
import { ephemeralInstallationKey, type InstallationKey } from '../audit/installation-key.ts';
import { registerApiClientAdminRoutes } from '../auth/api-client-admin-routes.ts';
import type { AuthContext } from '../auth/auth-context.ts';
import { registerAuthRoutes } from '../auth/auth-routes.ts';
import { commonPasswords } from '../auth/common-passwords.ts';
import { registerOAuthRoutes } from '../auth/oauth-routes.ts';
import { authenticatorFor } from '../auth/request-authentication.ts';
import { registerUserAdminRoutes } from '../auth/user-admin-routes.ts';
import { type AuthSettings, loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { registerJobRoutes } from '../jobs/job-routes.ts';
import type { Logger } from '../logger.ts';
import { registerOutboxRoutes } from '../outbox/outbox-routes.ts';
import type { App } from './app-type.ts';
import { installErrorHandling } from './error-handling.ts';
import { type DeclaredRoute, enforceRouteAccessDeclarations } from './route-access.ts';
import { registerSystemRoutes } from './system-routes.ts';
import { registerWebApp, WEB_DIST_DIR } from './web-app.ts';

export type ServerDeps = {
  database: Database;
  logger: Logger;
  expectedMigrations: number;
  webDistDir?: string;
  version?: string;
  /** Sessions, cookies and demo sign-in; read from the environment when not given. */
  auth?: AuthSettings;
  /** The clock of authentication (sessions, lockouts, TOTP); tests may move it. */
  now?: () => Date;
  /** The key that signs ledger checkpoints (the dossier proves against them); ephemeral when not given. */
  ledgerKey?: InstallationKey;
  /** ISBT 128 facility identifier for chains of identity; the documented demo value when not given. */
  isbtFacilityId?: string;
  /** Default length of a slot-chain hold; the documented default when not given. */
  schedulingHoldMinutes?: number;
};

export type BuiltServer = { app: App; routes: DeclaredRoute[] };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildServer(deps: ServerDeps): Promise<BuiltServer> {
  const routes: DeclaredRoute[] = [];
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // A caller's request id is kept (so a trace spans systems) only when it is a sane token.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    forceCloseConnections: 'idle',
    bodyLimit: 1_048_576,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>() as App;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });
  installErrorHandling(app);
  await app.register(fastifyCookie);
  // The static files of the web app are public by nature and registered before the access check,
  // which every other route must pass.
  await registerWebApp(app, deps.webDistDir ?? WEB_DIST_DIR);
  enforceRouteAccessDeclarations(app, routes);
  const auth: AuthContext = {
    db: deps.database.db,
    // Without explicit settings: the documented defaults, never whatever this process environment holds.
    settings: deps.auth ?? loadConfig({}).auth,
    now: deps.now ?? (() => new Date()),
    commonPasswords: commonPasswords(),
  };
  installAccessControl(app, authenticatorFor(auth));

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cellway API',
        version: deps.version ?? '0.1.0',
        description:
          'Advanced therapy management: therapy programmes, cases, scheduling, chain of identity and custody. Errors are RFC 9457 problem details (application/problem+json).',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.get(
    '/api/openapi.json',
    { config: { access: { public: true, why: 'API description' } }, schema: { hide: true } },
    async () => app.swagger(),
  );
  registerSystemRoutes(app, deps.database, deps.expectedMigrations);
  registerPartnerRoutes(app, deps.database);
  registerAuditRoutes(app, deps.database);
  registerAuthRoutes(app, auth);
  await registerOAuthRoutes(app, auth);
  registerUserAdminRoutes(app, auth);
  registerApiClientAdminRoutes(app, auth);
  registerPartnerAdminRoutes(app, deps.database);
  registerPatientRoutes(app, deps.database);
  registerJobRoutes(app, deps.database);
  registerOutboxRoutes(app, deps.database);
  registerTemplateRoutes(app, deps.database, auth.now);
  registerCaseRoutes(app, deps.database, auth.now);
  registerSignatureRoutes(app, deps.database, auth.settings, auth.now);
  registerWorkQueueRoutes(app, deps.database, auth.now);
  registerSchedulingApi(app, deps.database, auth.now, {
    holdSeconds: (deps.schedulingHoldMinutes ?? loadConfig({}).schedulingHoldMinutes) * 60,
  });
  const ledgerKey = deps.ledgerKey ?? ephemeralInstallationKey();
  const facility = deps.isbtFacilityId ?? loadConfig({}).isbtFacilityId;
  registerCustodyRoutes(
    app,
    deps.database,
    auth.now,
    () => facility,
    () => ledgerKey,
  );
  return { app, routes };
}
