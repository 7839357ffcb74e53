import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/platform/auth/demo-users.ts';
import { createSession } from '../../src/platform/auth/session-store.ts';
import { totpCodeForStep, totpStepAt } from '../../src/platform/auth/totp.ts';
import type { AuthSettings } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrations.ts';
import type { App } from '../../src/platform/http/app-type.ts';
import type { DeclaredRoute } from '../../src/platform/http/route-access.ts';
import { buildServer } from '../../src/platform/http/server.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { seedDemo } from '../../src/platform/seed/demo-seed.ts';
import type { DatabaseTarget, FreshDatabase } from '../support/test-databases.ts';

/** A clock the tests move: sessions, lockouts and TOTP steps then expire when the test says so. */
export class TestClock {
  #ms = Date.parse('2026-03-02T09:00:00.000Z');
  now = () => new Date(this.#ms);
  advance(ms: number) {
    this.#ms += ms;
  }
}

export const TEST_AUTH_SETTINGS: AuthSettings = {
  sessionIdleMinutes: 15,
  sessionAbsoluteHours: 12,
  cookieSecure: false,
  demoSignIn: true,
};

export type AccessTestServer = {
  url: string;
  app: App;
  routes: DeclaredRoute[];
  database: Database;
  clock: TestClock;
  close(): Promise<void>;
};

/**
 * A Cellway server over a fresh, migrated database with the demo data, built with a test clock
 * (startCellway would use the wall clock, and these tests move time by hours).
 */
export async function startAccessTestServer(
  target: DatabaseTarget,
  auth: Partial<AuthSettings> = {},
): Promise<AccessTestServer> {
  const fresh: FreshDatabase = await target.create();
  const database = await fresh.open();
  const clock = new TestClock();
  try {
    const { total } = await migrate(database);
    await seedDemo(database);
    const { app, routes } = await buildServer({
      database,
      logger: createLogger('silent'),
      expectedMigrations: total,
      auth: { ...TEST_AUTH_SETTINGS, ...auth },
      now: clock.now,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    return {
      url,
      app,
      routes,
      database,
      clock,
      async close() {
        await app.close();
        await database.close();
        await fresh.drop();
      },
    };
  } catch (error) {
    await database.close().catch(() => {});
    await fresh.drop().catch(() => {});
    throw error;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies ad hoc, and assert on what they read
export type Response = { status: number; headers: Headers; body: any; cookie: string | null };

/** A small HTTP client: JSON in and out, the session cookie (if any) sent along. */
export async function call(
  server: { url: string },
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string | null; bearer?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  const setCookie = response.headers.get('set-cookie');
  const cookie = setCookie?.startsWith('cellway_session=') ? (setCookie.split(';')[0] ?? null) : null;
  return { status: response.status, headers: response.headers, body, cookie };
}

/** The code an authenticator shows now (by the test clock), for a step not used yet by this account. */
export class Authenticator {
  #lastStep = new Map<string, number>();
  constructor(private readonly clock: TestClock) {}

  code(account: string, secret = DEMO_TOTP_SECRET): string {
    const current = totpStepAt(this.clock.now());
    const last = this.#lastStep.get(account) ?? Number.NEGATIVE_INFINITY;
    // One step either side is accepted, so up to three sign-ins fit in one 30-second step.
    let step = Math.max(current - 1, last + 1);
    if (step > current + 1) {
      this.clock.advance(30_000 * (step - current - 1));
      step = Math.max(totpStepAt(this.clock.now()) - 1, last + 1);
    }
    this.#lastStep.set(account, step);
    return totpCodeForStep(secret, step);
  }
}

/** Signs a demo user in through the API (password, then their authenticator) and returns the cookie. */
export async function signInDemo(
  server: { url: string },
  authenticator: Authenticator,
  email: string,
  password = DEMO_PASSWORD,
): Promise<string> {
  const login = await call(server, 'POST', '/api/auth/login', { body: { email, password } });
  if (login.status !== 200)
    throw new Error(`sign-in of ${email}: ${login.status} ${JSON.stringify(login.body)}`);
  if (login.body.status === 'authenticated' && login.cookie) return login.cookie;
  if (login.body.status !== 'second_factor_required')
    throw new Error(`sign-in of ${email}: unexpected ${JSON.stringify(login.body)}`);
  const verify = await call(server, 'POST', '/api/auth/second-factor/verify', {
    body: { challengeId: login.body.challengeId, code: authenticator.code(email) },
  });
  if (verify.status !== 200 || !verify.cookie)
    throw new Error(`second factor of ${email}: ${verify.status} ${JSON.stringify(verify.body)}`);
  return verify.cookie;
}

/** A session for a demo user straight from the store: for tests about authorization, not sign-in. */
export async function sessionCookieFor(server: AccessTestServer, email: string): Promise<string> {
  const user = await server.database.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const { token } = await createSession(server.database.db, {
    userId: user.id,
    policy: { idleMinutes: 15, absoluteHours: 12 },
    now: server.clock.now(),
  });
  return `cellway_session=${token}`;
}

/** Everything a refused request must leave untouched, as one comparable snapshot. */
export async function snapshot(database: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'users',
    'sessions',
    'api_clients',
    'access_tokens',
    'partners',
    'sites',
    'ledger_entries',
    'phi_access_log',
  ] as const) {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const changed = await database.db
    .selectFrom('users')
    .select((eb) => eb.fn.max('updated_at').as('last'))
    .executeTakeFirstOrThrow();
  counts.usersLastUpdated = changed.last ? new Date(changed.last as unknown as string).getTime() : 0;
  return counts;
}
