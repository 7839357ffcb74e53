import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { PERMISSIONS, permissionsOf } from '../../src/platform/access/permissions.ts';
import { ROLE_NAMES, type Role } from '../../src/platform/access/roles.ts';
import { insertAccessToken, insertApiClient } from '../../src/platform/auth/api-client-store.ts';
import { buildServer } from '../../src/platform/http/server.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import {
  type AccessTestServer,
  call,
  sessionCookieFor,
  startAccessTestServer,
} from './access-test-server.ts';

/**
 * Every registered route × every role (one demo account each), anonymous and a partner system,
 * against a record of the caller's own partner and one of another partner. The expectation is
 * written independently of the code under test: a route's declared permission and the role table
 * say 401/403/allowed; for patient records, the scoping rules of the product brief say 200 or 404.
 */

const ROLE_ACCOUNTS: Record<Role, string> = {
  program_coordinator: 'coordinator@aurora.example',
  case_manager: 'case.manager@aurora.example',
  centre_coordinator: 'centre.coordinator@st-elisabeth.example',
  collection_staff: 'apheresis@st-elisabeth.example',
  infusion_nurse: 'nurse@st-elisabeth.example',
  courier: 'courier@coldpath.example',
  manufacturing: 'manufacturing@aurora-leiden.example',
  lab: 'lab@aurora-leiden.example',
  qa: 'qa@aurora-leiden.example',
  msl: 'msl@aurora.example',
  admin: 'admin@aurora.example',
  inspector: 'inspector@aurora.example',
  provider: 'provider@st-elisabeth.example',
  patient: 'patient@mail.example',
};

const SHORT: Record<string, string> = {
  anonymous: 'anon',
  program_coordinator: 'coord',
  case_manager: 'casemgr',
  centre_coordinator: 'centre',
  collection_staff: 'collect',
  infusion_nurse: 'nurse',
  courier: 'courier',
  manufacturing: 'mfg',
  lab: 'lab',
  qa: 'qa',
  msl: 'msl',
  admin: 'admin',
  inspector: 'inspect',
  provider: 'provider',
  patient: 'patient',
  client: 'client',
};

/** The product brief's answer to "may this caller see this patient?" (own = Weber at St. Elisabeth, other = Brooks at Lakeside). */
const SEES_PATIENT: Record<string, { own: boolean; other: boolean }> = {
  program_coordinator: { own: true, other: true },
  case_manager: { own: true, other: true },
  inspector: { own: true, other: true },
  centre_coordinator: { own: true, other: false },
  collection_staff: { own: true, other: false },
  infusion_nurse: { own: true, other: false },
  provider: { own: true, other: false },
  patient: { own: true, other: false },
  client: { own: true, other: false }, // St. Elisabeth's EHR with patients:read
};

/** The partner system column: St. Elisabeth's EHR holding a token with these scopes. */
const CLIENT_SCOPES = ['patients:read', 'network:read'];

const NIL = '00000000-0000-4000-8000-000000000000';
type Column = 'anonymous' | Role | 'client';
type Scope = 'own' | 'other';
type Expectation = { kind: 'status'; status: number } | { kind: 'allowed' } | { kind: 'any' };

describeEachDatabase('authorization matrix: every route × every role × own or other partner', (target) => {
  let server: AccessTestServer;
  let clientToken: string;
  const ids = {
    patient: { own: '', other: '' },
    partner: {} as Record<string, string>,
    user: {} as Record<string, string>,
  };
  const partnerOf: Record<string, string> = {};

  before(async () => {
    server = await startAccessTestServer(target);
    const db = server.database.db;
    for (const row of await db.selectFrom('patients').select(['id', 'mrn']).execute()) {
      if (row.mrn === 'STE-100234') ids.patient.own = row.id;
      if (row.mrn === 'LCC-55821') ids.patient.other = row.id;
    }
    for (const row of await db.selectFrom('partners').select(['id', 'code']).execute())
      ids.partner[row.code] = row.id;
    for (const row of await db.selectFrom('users').select(['id', 'email', 'partner_id', 'roles']).execute()) {
      ids.user[row.email] = row.id;
      partnerOf[row.email] = row.partner_id;
    }
    const stElisabeth = ids.partner['ST-ELISABETH'] as string;
    const client = await insertApiClient(db, {
      partnerId: stElisabeth,
      name: 'St. Elisabeth EHR',
      scopes: CLIENT_SCOPES,
      createdBy: null,
      secret: 'cws_matrix-test-secret',
      now: server.clock.now(),
    });
    clientToken = (
      await insertAccessToken(db, { apiClientId: client.id, scopes: CLIENT_SCOPES, now: server.clock.now() })
    ).token;
  });
  after(() => server.close());

  test('each demo account holds exactly the role it stands for in the matrix', async () => {
    const rows = await server.database.db.selectFrom('users').select(['email', 'roles']).execute();
    for (const [role, email] of Object.entries(ROLE_ACCOUNTS))
      assert.deepEqual(rows.find((row) => row.email === email)?.roles, [role], email);
  });

  test('every registered route declares its access; a route without a declaration cannot be registered', async () => {
    assert.ok(server.routes.length >= 30, `${server.routes.length} routes`);
    for (const route of server.routes) {
      const access = route.access as { public?: true; why?: string; permission?: string } | undefined;
      assert.ok(access, `${route.method} ${route.url} declares no access`);
      if (access.public)
        assert.ok(access.why && access.why.length > 3, `${route.method} ${route.url}: public needs a why`);
      else
        assert.ok(
          access.permission && access.permission in PERMISSIONS,
          `${route.method} ${route.url}: ${access.permission}`,
        );
    }
    const { app } = await buildServer({
      database: server.database,
      logger: createLogger('silent'),
      expectedMigrations: 0,
      auth: { sessionIdleMinutes: 15, sessionAbsoluteHours: 12, cookieSecure: false, demoSignIn: false },
    });
    try {
      assert.throws(() => app.get('/api/undeclared', async () => 'open'), /declares no access/);
      assert.throws(
        () =>
          app.get('/api/misspelt', { config: { access: { permission: 'patient:read' } } }, async () => 'x'),
        /not defined in src\/platform\/access\/permissions.ts/,
      );
    } finally {
      await app.close();
    }
  });

  function pathFor(url: string, column: Column, scope: Scope): string {
    const email =
      column === 'anonymous' || column === 'client'
        ? ROLE_ACCOUNTS.centre_coordinator
        : ROLE_ACCOUNTS[column];
    if (url === '/api/patients/:id') return `/api/patients/${ids.patient[scope]}`;
    if (url.startsWith('/api/admin/users/:id')) {
      const own =
        Object.keys(partnerOf).find((e) => e !== email && partnerOf[e] === partnerOf[email]) ?? email;
      const other = Object.keys(partnerOf).find((e) => partnerOf[e] !== partnerOf[email]) as string;
      return url.replace(':id', ids.user[scope === 'own' ? own : other] as string);
    }
    if (url.startsWith('/api/admin/partners/:id')) {
      const own = partnerOf[email] as string;
      const other = Object.values(ids.partner).find((id) => id !== own) as string;
      return url.replace(':id', scope === 'own' ? own : other);
    }
    return url.replace(/:[A-Za-z_]+/g, NIL).replace(/\*/g, 'index.html');
  }

  function expectation(
    access: { public?: true; permission?: string },
    url: string,
    column: Column,
    scope: Scope,
  ): Expectation {
    if (access.public) return { kind: 'any' };
    if (column === 'anonymous') return { kind: 'status', status: 401 };
    const held: ReadonlySet<string> = column === 'client' ? new Set(CLIENT_SCOPES) : permissionsOf([column]);
    if (!held.has(access.permission as string)) return { kind: 'status', status: 403 };
    if (url === '/api/patients/:id') {
      const sees = SEES_PATIENT[column];
      // Holding patients:read without a patient scope (e.g. apheresis staff of a collection centre) sees none.
      return { kind: 'status', status: sees?.[scope] ? 200 : 404 };
    }
    return { kind: 'allowed' };
  }

  /** Counts that any change would move: a refused request must leave every one of them as it was. */
  async function fingerprint(): Promise<string> {
    const { rows } = await sql<Record<string, unknown>>`
      select (select count(*) from ledger_entries) as ledger,
             (select count(*) from phi_access_log) as phi,
             (select count(*) from users) as users,
             (select max(updated_at) from users) as users_changed,
             (select count(*) from api_clients) as clients,
             (select count(*) from partners) as partners,
             (select count(*) from sites) as sites,
             (select count(*) from sessions where ended_at is not null) as ended_sessions
    `.execute(server.database.db);
    return JSON.stringify(rows[0]);
  }

  test('the matrix: every route, every role, own and other partner', async (t) => {
    const columns: Column[] = ['anonymous', ...ROLE_NAMES, 'client'];
    const seen = new Set<string>();
    const routes = server.routes.filter((route) => {
      const key = `${route.method} ${route.url}`;
      if (route.method === 'HEAD' || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    routes.sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));

    const failures: string[] = [];
    const table: string[][] = [];
    for (const route of routes) {
      const access = route.access as { public?: true; permission?: string };
      const row = [`${route.method} ${route.url}`, access.public ? 'public' : (access.permission as string)];
      for (const column of columns) {
        const statuses: Record<Scope, number> = { own: 0, other: 0 };
        let wrong = false;
        for (const scope of ['own', 'other'] as const) {
          const unsafe = route.method !== 'GET';
          // Every probe gets a session of its own, so one that ends sessions (logout everywhere) disturbs no other.
          const cookie =
            column === 'anonymous' || column === 'client'
              ? undefined
              : await sessionCookieFor(server, ROLE_ACCOUNTS[column]);
          const before = await fingerprint();
          const response = await call(server, route.method, pathFor(route.url, column, scope), {
            ...(cookie ? { cookie } : {}),
            ...(column === 'client' ? { bearer: clientToken } : {}),
            ...(unsafe ? { body: {} } : {}),
          });
          statuses[scope] = response.status;
          const expected = expectation(access, route.url, column, scope);
          const refused = response.status === 401 || response.status === 403;
          let ok: boolean;
          if (expected.kind === 'status') ok = response.status === expected.status;
          else if (expected.kind === 'allowed') ok = !refused;
          else ok = response.status !== 403;
          if (refused && response.status === (expected.kind === 'status' ? expected.status : -1)) {
            assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
            if ((await fingerprint()) !== before) {
              ok = false;
              failures.push(
                `${route.method} ${route.url} as ${column} (${scope}): refused, but something changed`,
              );
            }
          }
          if (!ok) {
            wrong = true;
            failures.push(
              `${route.method} ${route.url} as ${column} (${scope}): got ${response.status}, expected ${expected.kind === 'status' ? expected.status : expected.kind === 'allowed' ? 'not 401/403' : 'not 403'}`,
            );
          }
        }
        const cell =
          statuses.own === statuses.other ? String(statuses.own) : `${statuses.own}/${statuses.other}`;
        row.push(wrong ? `!${cell}` : cell);
      }
      table.push(row);
    }

    const header = ['route', 'access', ...columns.map((c) => SHORT[c] ?? c)];
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ');
    const printed = [
      `Authorization matrix (${target.kind}): status for a record of the caller's own partner / another partner (one number when both agree; ! marks a mismatch)`,
      'client = St. Elisabeth EHR with scopes patients:read network:read',
      line(header),
      widths.map((w) => '-'.repeat(w)).join('-|-'),
      ...table.map(line),
    ];
    for (const text of printed) t.diagnostic(text);
    if (process.env.CELLWAY_PRINT_MATRIX) console.log(printed.join('\n'));
    assert.deepEqual(failures, []);
  });
});
