import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO_PASSWORD } from '../../src/platform/auth/demo-users.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import {
  type AccessTestServer,
  Authenticator,
  call,
  sessionCookieFor,
  signInDemo,
  snapshot,
  startAccessTestServer,
} from './access-test-server.ts';

describeEachDatabase('administration of partners, sites and users', (target) => {
  let server: AccessTestServer;
  let admin: string;
  let partners: Array<{ id: string; code: string; type: string; sites: Array<{ code: string }> }>;
  const partner = (code: string) => partners.find((p) => p.code === code) as (typeof partners)[number];
  const ledgerOf = (recordId: string) =>
    server.database.db
      .selectFrom('ledger_entries')
      .select(['action', 'actor_id', 'before', 'after', 'reason'])
      .where('record_id', '=', recordId)
      .orderBy('position')
      .execute();

  before(async () => {
    server = await startAccessTestServer(target);
    admin = await signInDemo(server, new Authenticator(server.clock), 'admin@aurora.example');
    partners = (await call(server, 'GET', '/api/admin/partners', { cookie: admin })).body.partners;
  });
  after(() => server.close());

  test('GET /api/admin/partners lists every partner with its sites', () => {
    assert.equal(partners.length, 8);
    assert.deepEqual(
      partner('COLDPATH').sites.map((s) => s.code),
      ['CPL-AMS', 'CPL-EWR'],
    );
    const site = (partners.find((p) => p.code === 'ST-ELISABETH')?.sites ?? [])[0] as Record<string, unknown>;
    assert.deepEqual(Object.keys(site).sort(), ['city', 'code', 'country', 'id', 'kind', 'name', 'timeZone']);
  });

  test('partners and sites are created with a ledger entry; bad input names the field; a taken code is 409', async () => {
    const created = await call(server, 'POST', '/api/admin/partners', {
      cookie: admin,
      body: { code: 'NORDLAB', name: 'Nord Laboratories', type: 'laboratory', country: 'DK' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.partner.sites, []);
    const id = created.body.partner.id;
    assert.deepEqual(
      (await ledgerOf(id)).map((e) => e.action),
      ['partner.created'],
    );
    const taken = await call(server, 'POST', '/api/admin/partners', {
      cookie: admin,
      body: { code: 'NORDLAB', name: 'Another', type: 'laboratory', country: 'DK' },
    });
    assert.equal(taken.status, 409);
    const invalid = await call(server, 'POST', '/api/admin/partners', {
      cookie: admin,
      body: { code: 'x', name: '', type: 'hospital', country: 'Denmark' },
    });
    assert.equal(invalid.status, 422);
    assert.deepEqual(invalid.body.errors.map((e: { field: string }) => e.field).sort(), [
      'body.code',
      'body.country',
      'body.name',
      'body.type',
    ]);

    const site = await call(server, 'POST', `/api/admin/partners/${id}/sites`, {
      cookie: admin,
      body: {
        code: 'NORDLAB-CPH',
        name: 'Copenhagen lab',
        kind: 'laboratory',
        timeZone: 'Europe/Copenhagen',
        city: 'Copenhagen',
        country: 'DK',
      },
    });
    assert.equal(site.status, 201, JSON.stringify(site.body));
    assert.equal(site.body.site.timeZone, 'Europe/Copenhagen');
    const siteEntry = (await ledgerOf(site.body.site.id))[0];
    assert.equal(siteEntry?.action, 'site.created');
    const badZone = await call(server, 'POST', `/api/admin/partners/${id}/sites`, {
      cookie: admin,
      body: {
        code: 'NORDLAB-X',
        name: 'X',
        kind: 'laboratory',
        timeZone: 'Mars/Olympus',
        city: 'X',
        country: 'DK',
      },
    });
    assert.equal(badZone.status, 422);
    assert.equal(badZone.body.errors[0].field, 'body.timeZone');
    const nowhere = await call(
      server,
      'POST',
      '/api/admin/partners/00000000-0000-4000-8000-000000000000/sites',
      {
        cookie: admin,
        body: { code: 'NOWHERE-1', name: 'X', kind: 'laboratory', timeZone: 'UTC', city: 'X', country: 'DK' },
      },
    );
    assert.equal(nowhere.status, 404);
  });

  test('users: a role must fit the partner type; an email is unique; portal users are linked to their record', async () => {
    const courierAsQa = await call(server, 'POST', '/api/admin/users', {
      cookie: admin,
      body: {
        email: 'x@coldpath.example',
        displayName: 'X',
        partnerId: partner('COLDPATH').id,
        roles: ['qa'],
      },
    });
    assert.equal(courierAsQa.status, 422);
    assert.match(courierAsQa.body.errors[0].reason, /qa cannot be held at a courier partner/);
    assert.equal(courierAsQa.body.errors[0].field, 'body.roles');

    const taken = await call(server, 'POST', '/api/admin/users', {
      cookie: admin,
      body: {
        email: 'COURIER@coldpath.example',
        displayName: 'Dup',
        partnerId: partner('COLDPATH').id,
        roles: ['courier'],
      },
    });
    assert.equal(taken.status, 409);

    const unlinkedPatient = await call(server, 'POST', '/api/admin/users', {
      cookie: admin,
      body: {
        email: 'p2@mail.example',
        displayName: 'P',
        partnerId: partner('AURORA-BIO').id,
        roles: ['patient'],
      },
    });
    assert.equal(unlinkedPatient.status, 422);
    assert.equal(unlinkedPatient.body.errors[0].field, 'body.patientId');

    const lakesidePatient = await server.database.db
      .selectFrom('patients')
      .select('id')
      .where('mrn', '=', 'LCC-55821')
      .executeTakeFirstOrThrow();
    const linked = await call(server, 'POST', '/api/admin/users', {
      cookie: admin,
      body: {
        email: 'daniel.brooks@mail.example',
        displayName: 'Daniel Brooks',
        partnerId: partner('AURORA-BIO').id,
        roles: ['patient'],
        patientId: lakesidePatient.id,
      },
    });
    assert.equal(linked.status, 201, JSON.stringify(linked.body));
    assert.equal(linked.body.user.secondFactorEnabled, false);
    assert.deepEqual(linked.body.user.roles, ['patient']);
  });

  test('PATCH a user: name, roles and active with a reason, before/after in the ledger; deactivation ends sessions', async () => {
    const nurse = await sessionCookieFor(server, 'apheresis@st-elisabeth.example');
    const users = await call(server, 'GET', `/api/admin/users?partnerId=${partner('ST-ELISABETH').id}`, {
      cookie: admin,
    });
    assert.ok(users.body.users.length >= 4);
    assert.ok(
      users.body.users.every((u: { partner: { id: string } }) => u.partner.id === partner('ST-ELISABETH').id),
    );
    const target = users.body.users.find(
      (u: { email: string }) => u.email === 'apheresis@st-elisabeth.example',
    );

    assert.equal(
      (
        await call(server, 'PATCH', `/api/admin/users/${target.id}`, {
          cookie: admin,
          body: { displayName: 'A. Hofmann' },
        })
      ).status,
      422,
      'a reason is required',
    );
    const renamed = await call(server, 'PATCH', `/api/admin/users/${target.id}`, {
      cookie: admin,
      body: {
        displayName: 'Anna Hofmann-Lenz',
        roles: ['collection_staff', 'infusion_nurse'],
        reason: 'married; cross-trained',
      },
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.deepEqual(renamed.body.user.roles, ['collection_staff', 'infusion_nurse']);
    const change = (await ledgerOf(target.id)).at(-1);
    assert.equal(change?.action, 'user.changed');
    assert.equal(change?.reason, 'married; cross-trained');
    assert.equal(JSON.parse(change?.before ?? '{}').displayName, 'Anna Hofmann');
    assert.equal(JSON.parse(change?.after ?? '{}').displayName, 'Anna Hofmann-Lenz');
    assert.doesNotMatch(`${change?.before}${change?.after}`, /argon2|totp|Secret/);

    const badRole = await call(server, 'PATCH', `/api/admin/users/${target.id}`, {
      cookie: admin,
      body: { roles: ['courier'], reason: 'mistake' },
    });
    assert.equal(badRole.status, 422);

    assert.equal((await call(server, 'GET', '/api/auth/me', { cookie: nurse })).status, 200);
    const deactivated = await call(server, 'PATCH', `/api/admin/users/${target.id}`, {
      cookie: admin,
      body: { active: false, reason: 'left the hospital' },
    });
    assert.equal(deactivated.body.user.active, false);
    assert.equal((await call(server, 'GET', '/api/auth/me', { cookie: nurse })).status, 401);
    const login = await call(server, 'POST', '/api/auth/login', {
      body: { email: 'apheresis@st-elisabeth.example', password: DEMO_PASSWORD },
    });
    assert.equal(login.status, 401);
  });

  test('an administrator cannot deactivate themself or drop their own admin role', async () => {
    const me = (await call(server, 'GET', '/api/auth/me', { cookie: admin })).body;
    for (const body of [
      { active: false, reason: 'oops' },
      { roles: ['inspector'], reason: 'oops' },
    ])
      assert.equal(
        (await call(server, 'PATCH', `/api/admin/users/${me.id}`, { cookie: admin, body })).status,
        409,
      );
  });

  test('without the permission: 403 problem and nothing changes; an unknown user id is 404', async () => {
    const coordinator = await sessionCookieFor(server, 'centre.coordinator@st-elisabeth.example');
    const before = await snapshot(server.database);
    for (const [method, path, body] of [
      ['GET', '/api/admin/users', undefined],
      [
        'POST',
        '/api/admin/users',
        {
          email: 'a@b.example',
          displayName: 'A',
          partnerId: partner('ST-ELISABETH').id,
          roles: ['infusion_nurse'],
        },
      ],
      ['POST', '/api/admin/partners', { code: 'EVIL', name: 'Evil', type: 'courier', country: 'NL' }],
      ['GET', '/api/admin/api-clients', undefined],
    ] as const) {
      const response = await call(server, method, path, { cookie: coordinator, ...(body ? { body } : {}) });
      assert.equal(response.status, 403, `${method} ${path}`);
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.match(response.body.detail, /do not include the permission/);
    }
    assert.deepEqual(await snapshot(server.database), before);
    const unknown = await call(
      server,
      'POST',
      '/api/admin/users/00000000-0000-4000-8000-000000000000/unlock',
      {
        cookie: admin,
        body: { reason: 'no such user' },
      },
    );
    assert.equal(unknown.status, 404);
  });
});
