import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../support/test-databases.ts';
import {
  type AccessTestServer,
  Authenticator,
  call,
  type Response,
  signInDemo,
  snapshot,
  startAccessTestServer,
} from './access-test-server.ts';

async function token(
  server: AccessTestServer,
  params: Record<string, string>,
  options: { json?: boolean; basic?: [string, string] } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': options.json ? 'application/json' : 'application/x-www-form-urlencoded',
  };
  if (options.basic)
    headers.authorization = `Basic ${Buffer.from(options.basic.map(encodeURIComponent).join(':')).toString('base64')}`;
  const response = await fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers,
    body: options.json ? JSON.stringify(params) : new URLSearchParams(params).toString(),
  });
  return { status: response.status, headers: response.headers, body: await response.json(), cookie: null };
}

function assertOAuthError(response: Response, status: number, error: string) {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(response.body.error, error);
  assert.equal(typeof response.body.error_description, 'string');
  assert.equal(response.headers.get('cache-control'), 'no-store');
}

describeEachDatabase('OAuth client credentials for partner systems', (target) => {
  let server: AccessTestServer;
  let admin: string;
  let authenticator: Authenticator;
  let client: { id: string; clientId: string };
  let secret: string;
  before(async () => {
    server = await startAccessTestServer(target);
    authenticator = new Authenticator(server.clock);
    admin = await signInDemo(server, authenticator, 'admin@aurora.example');
  });
  after(() => server.close());

  const partnerId = async (code: string) => {
    const partners = await call(server, 'GET', '/api/admin/partners', { cookie: admin });
    return partners.body.partners.find((p: { code: string }) => p.code === code).id as string;
  };

  test('an administrator registers a client; its secret is shown once and stored only as a hash', async () => {
    const refused = await call(server, 'POST', '/api/admin/api-clients', {
      cookie: admin,
      body: { name: 'ColdPath TMS', partnerId: await partnerId('COLDPATH'), scopes: ['patients:read'] },
    });
    assert.equal(refused.status, 422);
    assert.match(refused.body.errors[0].reason, /cannot be granted to a courier/);

    const created = await call(server, 'POST', '/api/admin/api-clients', {
      cookie: admin,
      body: {
        name: 'St. Elisabeth EHR',
        partnerId: await partnerId('ST-ELISABETH'),
        scopes: ['patients:read', 'network:read'],
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get('cache-control'), 'no-store');
    client = created.body.client;
    secret = created.body.clientSecret;
    assert.match(secret, /^cws_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(created.body.client.scopes, ['patients:read', 'network:read']);

    const listed = await call(server, 'GET', '/api/admin/api-clients', { cookie: admin });
    assert.equal(listed.body.clients.length, 1);
    assert.ok(!JSON.stringify(listed.body).includes(secret));
    const row = await server.database.db.selectFrom('api_clients').selectAll().executeTakeFirstOrThrow();
    assert.notEqual(row.secret_hash, secret);
    const ledger = await server.database.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('record_id', '=', client.id)
      .execute();
    assert.deepEqual(
      ledger.map((e) => e.action),
      ['api_client.created'],
    );
    assert.ok(!JSON.stringify(ledger).includes(secret) && !JSON.stringify(ledger).includes(row.secret_hash));
  });

  test('POST /oauth/token issues a short-lived scoped token: form-encoded, JSON or HTTP Basic', async () => {
    const form = await token(server, {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: secret,
    });
    assert.equal(form.status, 200, JSON.stringify(form.body));
    assert.equal(form.body.token_type, 'Bearer');
    assert.equal(form.body.expires_in, 900);
    assert.equal(form.body.scope, 'patients:read network:read');
    assert.equal(form.headers.get('cache-control'), 'no-store');
    const json = await token(
      server,
      {
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: secret,
        scope: 'network:read',
      },
      { json: true },
    );
    assert.equal(json.status, 200);
    assert.equal(json.body.scope, 'network:read');
    const basic = await token(
      server,
      { grant_type: 'client_credentials' },
      { basic: [client.clientId, secret] },
    );
    assert.equal(basic.status, 200);

    const patients = await call(server, 'GET', '/api/patients', { bearer: form.body.access_token });
    assert.equal(patients.status, 200);
    assert.deepEqual(
      patients.body.patients.map((p: { familyName: string }) => p.familyName),
      ['Schulz', 'Weber'],
      "a centre's system sees that centre's patients only",
    );
    const logged = await server.database.db
      .selectFrom('phi_access_log')
      .selectAll()
      .where('actor_type', '=', 'client')
      .execute();
    assert.equal(logged.length, 2);
    assert.equal(logged[0]?.actor_id, client.id);

    // A token limited to network:read may not read patients: 403 with the missing scope named.
    const before = await snapshot(server.database);
    const narrow = await call(server, 'GET', '/api/patients', { bearer: json.body.access_token });
    assert.equal(narrow.status, 403);
    assert.match(narrow.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.match(
      narrow.headers.get('www-authenticate') ?? '',
      /error="insufficient_scope", scope="patients:read"/,
    );
    // Account administration is never delegated to a machine.
    assert.equal(
      (await call(server, 'GET', '/api/admin/users', { bearer: form.body.access_token })).status,
      403,
    );
    assert.equal((await call(server, 'GET', '/api/auth/me', { bearer: form.body.access_token })).status, 403);
    assert.deepEqual(await snapshot(server.database), before);
  });

  test('token errors follow RFC 6749: {error, error_description}, never a problem document', async () => {
    assertOAuthError(
      await token(server, {
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: 'cws_wrong',
      }),
      401,
      'invalid_client',
    );
    assertOAuthError(
      await token(server, {
        grant_type: 'client_credentials',
        client_id: 'cw_nobody',
        client_secret: secret,
      }),
      401,
      'invalid_client',
    );
    assertOAuthError(
      await token(server, { grant_type: 'password', username: 'x', password: 'y' }),
      400,
      'unsupported_grant_type',
    );
    assertOAuthError(
      await token(server, { client_id: client.clientId, client_secret: secret }),
      400,
      'invalid_request',
    );
    assertOAuthError(
      await token(server, {
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: secret,
        scope: 'audit:read',
      }),
      400,
      'invalid_scope',
    );
    const malformed = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type": ',
    });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: string }).error, 'invalid_request');
    const basicWrong = await token(
      server,
      { grant_type: 'client_credentials' },
      { basic: [client.clientId, 'nope'] },
    );
    assertOAuthError(basicWrong, 401, 'invalid_client');
    assert.match(basicWrong.headers.get('www-authenticate') ?? '', /^Basic/);
  });

  test('forged, expired and malformed bearer tokens: 401 problem, with WWW-Authenticate', async () => {
    const forged = await call(server, 'GET', '/api/patients', {
      bearer: 'cwt_forgedforgedforgedforgedforgedforgedforged',
    });
    assert.equal(forged.status, 401);
    assert.match(forged.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.match(
      forged.headers.get('www-authenticate') ?? '',
      /Bearer realm="cellway", error="invalid_token"/,
    );
    const malformed = await call(server, 'GET', '/api/patients', { headers: { authorization: 'Token abc' } });
    assert.equal(malformed.status, 401);
    const none = await call(server, 'GET', '/api/patients');
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer realm="cellway"$/);

    const issued = await token(server, {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: secret,
    });
    assert.equal(
      (await call(server, 'GET', '/api/patients', { bearer: issued.body.access_token })).status,
      200,
    );
    server.clock.advance(15 * 60_000);
    const expired = await call(server, 'GET', '/api/patients', { bearer: issued.body.access_token });
    assert.equal(expired.status, 401);
    assert.match(expired.body.detail, /invalid, expired or revoked/);
    const stored = await server.database.db.selectFrom('access_tokens').select('token_hash').execute();
    assert.ok(
      stored.every((row) => row.token_hash !== issued.body.access_token),
      'only hashes are stored',
    );
    // The administrator's session went idle meanwhile.
    admin = await signInDemo(server, authenticator, 'admin@aurora.example');
  });

  test('rotating the secret: the old secret and its tokens stop working, the new one works', async () => {
    const old = await token(server, {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: secret,
    });
    const rotated = await call(server, 'POST', `/api/admin/api-clients/${client.id}/rotate-secret`, {
      cookie: admin,
      body: {},
    });
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.clientSecret, secret);
    assertOAuthError(
      await token(server, {
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: secret,
      }),
      401,
      'invalid_client',
    );
    assert.equal((await call(server, 'GET', '/api/patients', { bearer: old.body.access_token })).status, 401);
    secret = rotated.body.clientSecret;
    const fresh = await token(server, {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: secret,
    });
    assert.equal(fresh.status, 200);
    const listed = await call(server, 'GET', '/api/admin/api-clients', { cookie: admin });
    assert.ok(listed.body.clients[0].secretRotatedAt);
  });

  test('revoking a client: its tokens stop working and no new ones are issued', async () => {
    const live = await token(server, {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: secret,
    });
    assert.equal(
      (await call(server, 'POST', `/api/admin/api-clients/${client.id}/revoke`, { cookie: admin, body: {} }))
        .status,
      422,
      'a reason is required',
    );
    const revoked = await call(server, 'POST', `/api/admin/api-clients/${client.id}/revoke`, {
      cookie: admin,
      body: { reason: 'EHR integration replaced' },
    });
    assert.equal(revoked.status, 204);
    assert.equal(
      (await call(server, 'GET', '/api/patients', { bearer: live.body.access_token })).status,
      401,
    );
    assertOAuthError(
      await token(server, {
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: secret,
      }),
      401,
      'invalid_client',
    );
    assert.equal(
      (
        await call(server, 'POST', `/api/admin/api-clients/${client.id}/rotate-secret`, {
          cookie: admin,
          body: {},
        })
      ).status,
      409,
    );
    const ledger = await server.database.db
      .selectFrom('ledger_entries')
      .select(['action', 'reason', 'actor_id'])
      .where('record_id', '=', client.id)
      .orderBy('position')
      .execute();
    assert.deepEqual(
      ledger.map((e) => e.action),
      ['api_client.created', 'api_client.secret_rotated', 'api_client.revoked'],
    );
    assert.equal(ledger.at(-1)?.reason, 'EHR integration replaced');
  });
});
