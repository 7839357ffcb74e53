import { createSession } from '../../src/platform/auth/session-store.ts';
import type { AuthSettings } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { App } from '../../src/platform/http/app-type.ts';
import type { DeclaredRoute } from '../../src/platform/http/route-access.ts';
import { buildServer } from '../../src/platform/http/server.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { seedDemo } from '../../src/platform/seed/demo-seed.ts';
import type { DatabaseTarget } from '../support/test-databases.ts';
import { type MigratedDatabase, migratedDatabase } from './migrated-database.ts';

const AUTH: AuthSettings = {
  sessionIdleMinutes: 15,
  sessionAbsoluteHours: 12,
  cookieSecure: false,
  demoSignIn: true,
};

export type SignedInServer = {
  app: App;
  routes: DeclaredRoute[];
  database: Database;
  /** A session cookie for a demo user, straight from the session store (these tests are not about sign-in). */
  cookieFor(email: string): Promise<string>;
  close(): Promise<void>;
};

/**
 * The HTTP server over a fresh database with the demo network and people, with a capability's
 * routes added unless the server already registers them, for requests made with app.inject.
 */
export async function signedInServer(
  target: DatabaseTarget,
  routes: { probe: { method: 'GET' | 'POST'; url: string }; register(app: App, database: Database): void },
): Promise<SignedInServer> {
  const handle: MigratedDatabase = await migratedDatabase(target);
  const { database } = handle;
  try {
    await seedDemo(database);
    const built = await buildServer({
      database,
      logger: createLogger('silent'),
      expectedMigrations: 0,
      auth: AUTH,
    });
    if (!built.app.hasRoute(routes.probe)) routes.register(built.app, database);
    await built.app.ready();
    return {
      app: built.app,
      routes: built.routes,
      database,
      async cookieFor(email) {
        const user = await database.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirstOrThrow();
        const { token } = await createSession(database.db, {
          userId: user.id,
          policy: { idleMinutes: AUTH.sessionIdleMinutes, absoluteHours: AUTH.sessionAbsoluteHours },
          now: new Date(),
        });
        return `cellway_session=${token}`;
      },
      async close() {
        await built.app.close();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}
