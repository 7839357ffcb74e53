import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/platform/auth/demo-users.ts';
import { totpCodeForStep, totpStepAt } from '../../src/platform/auth/totp.ts';
import { describeEachDatabase, pgliteTarget } from '../support/test-databases.ts';
import {
  type AccessTestServer,
  Authenticator,
  call,
  type Response,
  signInDemo,
  snapshot,
  startAccessTestServer,
} from './access-test-server.ts';

const MINUTE = 60_000;

function assertProblem(response: Response, status: number, detail?: RegExp) {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(response.body.status, status);
  if (detail) assert.match(response.body.detail, detail);
}

async function userId(server: AccessTestServer, email: string): Promise<string> {
  const row = await server.database.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function ledgerOf(server: AccessTestServer, recordId: string) {
  return server.database.db
    .selectFrom('ledger_entries')
    .select(['action', 'actor_type', 'actor_id', 'before', 'after', 'reason'])
    .where('record_id', '=', recordId)
    .orderBy('position')
    .execute();
}

describeEachDatabase('sign-in, sessions and second factor over HTTP', (target) => {
  let server: AccessTestServer;
  let authenticator: Authenticator;
  before(async () => {
    server = await startAccessTestServer(target);
    authenticator = new Authenticator(server.clock);
  });
  after(() => server.close());

  test('a wrong password and an unknown email get the same 401 problem; an unknown email changes nothing', async () => {
    const before = await snapshot(server.database);
    const unknown = await call(server, 'POST', '/api/auth/login', {
      body: { email: 'nobody@nowhere.example', password: DEMO_PASSWORD },
    });
    assertProblem(unknown, 401, /^email or password is wrong$/);
    assert.deepEqual(await snapshot(server.database), before);
    const wrong = await call(server, 'POST', '/api/auth/login', {
      body: { email: 'msl@aurora.example', password: 'not-the-password-at-all' },
    });
    assertProblem(wrong, 401, /^email or password is wrong$/);
    assert.equal(wrong.cookie, null);
    assert.deepEqual(
      { ...unknown.body, instance: null, requestId: null },
      { ...wrong.body, instance: null, requestId: null },
      'the two refusals are indistinguishable',
    );
    const entries = await ledgerOf(server, await userId(server, 'msl@aurora.example'));
    assert.equal(entries.at(-1)?.action, 'user.login_failed');
  });

  test('staff sign in with password then authenticator; the cookie is httpOnly and SameSite=Strict', async () => {
    const login = await call(server, 'POST', '/api/auth/login', {
      body: { email: 'Nurse@St-Elisabeth.example', password: DEMO_PASSWORD },
    });
    assert.equal(login.status, 200);
    assert.equal(login.body.status, 'second_factor_required');
    assert.equal(login.cookie, null, 'no session before the second factor');
    const verify = await call(server, 'POST', '/api/auth/second-factor/verify', {
      body: { challengeId: login.body.challengeId, code: authenticator.code('nurse@st-elisabeth.example') },
    });
    assert.equal(verify.status, 200, JSON.stringify(verify.body));
    assert.equal(verify.body.status, 'authenticated');
    const setCookie = verify.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^cellway_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\//);
    assert.doesNotMatch(setCookie, /Secure/, 'a loopback server runs over plain http');

    const me = await call(server, 'GET', '/api/auth/me', { cookie: verify.cookie });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, 'nurse@st-elisabeth.example');
    assert.equal(me.body.partner.name, 'St. Elisabeth University Hospital');
    assert.equal(me.body.partner.type, 'treatment_centre');
    assert.deepEqual(me.body.roles, ['infusion_nurse']);
    assert.ok(me.body.permissions.includes('patients:read'));
    assert.equal(me.body.secondFactorEnabled, true);
    assert.equal(me.body.patientId, null);

    // The database holds only a hash of the cookie value.
    const token = verify.cookie?.split('=')[1] ?? '';
    const stored = await server.database.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('token_hash', '=', token)
      .executeTakeFirst();
    assert.equal(stored, undefined);
  });

  test('no credentials, a forged cookie, an idle or too old session: 401 problem, nothing changed', async () => {
    const cookie = await signInDemo(server, authenticator, 'centre.coordinator@st-elisabeth.example');
    const before = await snapshot(server.database);
    assertProblem(await call(server, 'GET', '/api/auth/me'), 401, /Sign in/);
    assertProblem(
      await call(server, 'GET', '/api/auth/me', {
        cookie: 'cellway_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      }),
      401,
      /session has ended or is not valid/,
    );
    assertProblem(
      await call(server, 'POST', '/api/admin/users/00000000-0000-4000-8000-000000000000/unlock', {
        cookie: 'cellway_session=forged',
        body: { reason: 'forged' },
      }),
      401,
    );
    assert.deepEqual(await snapshot(server.database), before);

    // Used every 10 minutes the session stays alive (sliding); 15 minutes unused ends it.
    for (let i = 0; i < 3; i++) {
      server.clock.advance(10 * MINUTE);
      assert.equal((await call(server, 'GET', '/api/auth/me', { cookie })).status, 200, `use ${i}`);
    }
    server.clock.advance(15 * MINUTE);
    assertProblem(await call(server, 'GET', '/api/auth/me', { cookie }), 401, /session has ended/);

    // However busy, a session ends 12 hours after sign-in.
    const busy = await signInDemo(server, authenticator, 'centre.coordinator@st-elisabeth.example');
    for (let elapsed = 0; elapsed < 12 * 60 - 14; elapsed += 14) {
      server.clock.advance(14 * MINUTE);
      assert.equal((await call(server, 'GET', '/api/auth/me', { cookie: busy })).status, 200);
    }
    server.clock.advance(14 * MINUTE);
    assertProblem(await call(server, 'GET', '/api/auth/me', { cookie: busy }), 401);
  });

  test('five failed sign-ins lock the account (423 says until when), in the ledger; an administrator unlocks', async () => {
    const email = 'courier@coldpath.example';
    const id = await userId(server, email);
    for (let i = 1; i <= 4; i++)
      assertProblem(
        await call(server, 'POST', '/api/auth/login', { body: { email, password: `wrong-password-${i}` } }),
        401,
      );
    const fifth = await call(server, 'POST', '/api/auth/login', {
      body: { email, password: 'wrong-password-5' },
    });
    assertProblem(fifth, 423, /locked .* until \d{4}-\d{2}-\d{2}T/);
    const lockedUntil = new Date(fifth.body.lockedUntil);
    assert.equal(lockedUntil.getTime() - server.clock.now().getTime(), 15 * MINUTE);
    // Even the right password is refused while locked.
    assertProblem(
      await call(server, 'POST', '/api/auth/login', { body: { email, password: DEMO_PASSWORD } }),
      423,
    );

    const entries = await ledgerOf(server, id);
    const actions = entries.map((e) => e.action);
    assert.deepEqual(actions.slice(-6), [...Array(5).fill('user.login_failed'), 'user.locked_out']);
    const lockout = entries.at(-1);
    assert.deepEqual(JSON.parse(lockout?.after ?? '{}'), { lockedUntil: lockedUntil.toISOString() });
    assert.match(lockout?.reason ?? '', /5 consecutive failed sign-ins/);

    const admin = await signInDemo(server, authenticator, 'admin@aurora.example');
    const listed = await call(server, 'GET', '/api/admin/users', { cookie: admin });
    assert.equal(
      listed.body.users.find((u: { email: string }) => u.email === email).lockedUntil,
      lockedUntil.toISOString(),
    );
    assertProblem(
      await call(server, 'POST', `/api/admin/users/${id}/unlock`, { cookie: admin, body: {} }),
      422,
      /reason/,
    );
    const unlock = await call(server, 'POST', `/api/admin/users/${id}/unlock`, {
      cookie: admin,
      body: { reason: 'courier called the service desk; identity checked' },
    });
    assert.equal(unlock.status, 204);
    const unlocked = (await ledgerOf(server, id)).at(-1);
    assert.equal(unlocked?.action, 'user.unlocked');
    assert.equal(unlocked?.reason, 'courier called the service desk; identity checked');
    await signInDemo(server, authenticator, email);

    for (const entry of await ledgerOf(server, id))
      assert.doesNotMatch(`${entry.before} ${entry.after}`, /argon2|password_hash|totp_secret|CELLWAY/i);
  });

  test('wrong authenticator codes count towards the lockout, even with the right password each time', async () => {
    const email = 'qa@aurora-leiden.example';
    for (let attempt = 1; attempt <= 5; attempt++) {
      const login = await call(server, 'POST', '/api/auth/login', {
        body: { email, password: DEMO_PASSWORD },
      });
      assert.equal(login.body.status, 'second_factor_required', `attempt ${attempt}`);
      const verify = await call(server, 'POST', '/api/auth/second-factor/verify', {
        body: { challengeId: login.body.challengeId, code: wrongCode(server, DEMO_TOTP_SECRET) },
      });
      assertProblem(verify, attempt < 5 ? 401 : 423);
    }
    assertProblem(
      await call(server, 'POST', '/api/auth/login', { body: { email, password: DEMO_PASSWORD } }),
      423,
    );
    const actions = (await ledgerOf(server, await userId(server, email))).map((e) => e.action);
    assert.deepEqual(actions.slice(-2), ['user.login_failed', 'user.locked_out']);
    server.clock.advance(15 * MINUTE);
  });

  test('a lockout runs out after 15 minutes by itself', async () => {
    const email = 'lab@aurora-leiden.example';
    for (let i = 1; i <= 5; i++)
      await call(server, 'POST', '/api/auth/login', { body: { email, password: `nope-nope-${i}` } });
    assertProblem(
      await call(server, 'POST', '/api/auth/login', { body: { email, password: DEMO_PASSWORD } }),
      423,
    );
    server.clock.advance(15 * MINUTE);
    await signInDemo(server, authenticator, email);
  });

  test('a new staff account: temporary password, new password, authenticator enrolment, recovery codes', async () => {
    const admin = await signInDemo(server, authenticator, 'admin@aurora.example');
    const partners = await call(server, 'GET', '/api/admin/partners', { cookie: admin });
    const stElisabeth = partners.body.partners.find((p: { code: string }) => p.code === 'ST-ELISABETH');
    const created = await call(server, 'POST', '/api/admin/users', {
      cookie: admin,
      body: {
        email: 'j.roth@st-elisabeth.example',
        displayName: 'Julia Roth',
        partnerId: stElisabeth.id,
        roles: ['infusion_nurse'],
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { temporaryPassword } = created.body;
    const email = 'j.roth@st-elisabeth.example';

    const login = await call(server, 'POST', '/api/auth/login', {
      body: { email, password: temporaryPassword },
    });
    assert.deepEqual(Object.keys(login.body).sort(), ['challengeId', 'status']);
    assert.equal(login.body.status, 'password_change_required');
    const challengeId = login.body.challengeId;

    const weak = await call(server, 'POST', '/api/auth/password/change-required', {
      body: { challengeId, newPassword: 'Password1234!' },
    });
    assertProblem(weak, 422);
    assert.equal(weak.body.errors[0].field, 'body.newPassword');
    assert.match(weak.body.errors[0].reason, /commonly used/);

    const newPassword = 'Ward 7 night shift, blue kettle';
    const changed = await call(server, 'POST', '/api/auth/password/change-required', {
      body: { challengeId, newPassword },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body, { status: 'second_factor_enrolment_required', challengeId });
    assert.equal(changed.cookie, null, 'staff get no session without a second factor');

    const offer = await call(server, 'POST', '/api/auth/second-factor/enrol', { body: { challengeId } });
    assert.equal(offer.status, 200);
    assert.match(offer.body.secret, /^[A-Z2-7]{32}$/);
    assert.match(
      offer.body.otpauthUri,
      /^otpauth:\/\/totp\/Cellway:j\.roth%40st-elisabeth\.example\?secret=/,
    );
    assert.match(offer.body.qrCodeDataUrl, /^data:image\/png;base64,/);
    const secret: string = offer.body.secret;

    assertProblem(
      await call(server, 'POST', '/api/auth/second-factor/enrol/confirm', {
        body: { challengeId, code: '000000' },
      }),
      422,
    );
    const confirmed = await call(server, 'POST', '/api/auth/second-factor/enrol/confirm', {
      body: { challengeId, code: authenticator.code(email, secret) },
    });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.status, 'authenticated');
    assert.equal(confirmed.body.user.secondFactorEnabled, true);
    assert.equal(confirmed.body.recoveryCodes.length, 10);
    assert.ok(confirmed.cookie);
    const recoveryCodes: string[] = confirmed.body.recoveryCodes;

    // The challenge is spent.
    assertProblem(
      await call(server, 'POST', '/api/auth/second-factor/enrol/confirm', {
        body: { challengeId, code: authenticator.code(email, secret) },
      }),
      401,
    );

    const id = await userId(server, email);
    const actions = (await ledgerOf(server, id)).map((e) => e.action);
    assert.deepEqual(actions, ['user.created', 'user.password_changed', 'user.second_factor_enrolled']);
    const everything = JSON.stringify(await ledgerOf(server, id));
    assert.ok(!everything.includes(secret), 'the TOTP secret is never in the ledger');
    assert.ok(
      !everything.includes(temporaryPassword) && !everything.includes('argon2'),
      'nor a password or hash',
    );
    const stored = await server.database.db
      .selectFrom('user_recovery_codes')
      .select('code_hash')
      .where('user_id', '=', id)
      .execute();
    assert.equal(stored.length, 10);
    assert.ok(
      stored.every((row) => !recoveryCodes.some((code) => row.code_hash.includes(code.replace(/-/g, '')))),
    );

    // Sign out, then in again with the authenticator.
    assert.equal(
      (await call(server, 'POST', '/api/auth/logout', { cookie: confirmed.cookie, body: {} })).status,
      204,
    );
    assertProblem(await call(server, 'GET', '/api/auth/me', { cookie: confirmed.cookie }), 401);
    const again = await call(server, 'POST', '/api/auth/login', { body: { email, password: newPassword } });
    assert.equal(again.body.status, 'second_factor_required');
    assertProblem(
      await call(server, 'POST', '/api/auth/second-factor/verify', {
        body: { challengeId: again.body.challengeId, code: wrongCode(server, secret) },
      }),
      401,
      /wrong, expired or was already used/,
    );
    const code = authenticator.code(email, secret);
    const verified = await call(server, 'POST', '/api/auth/second-factor/verify', {
      body: { challengeId: again.body.challengeId, code },
    });
    assert.equal(verified.body.status, 'authenticated');

    // The same code again is refused: no reuse within its window.
    const third = await call(server, 'POST', '/api/auth/login', { body: { email, password: newPassword } });
    assertProblem(
      await call(server, 'POST', '/api/auth/second-factor/verify', {
        body: { challengeId: third.body.challengeId, code },
      }),
      401,
    );
    // A recovery code works once.
    const withRecovery = await call(server, 'POST', '/api/auth/second-factor/verify', {
      body: { challengeId: third.body.challengeId, code: recoveryCodes[0]?.toUpperCase() },
    });
    assert.equal(withRecovery.body.status, 'authenticated', JSON.stringify(withRecovery.body));
    const fourth = await call(server, 'POST', '/api/auth/login', { body: { email, password: newPassword } });
    assertProblem(
      await call(server, 'POST', '/api/auth/second-factor/verify', {
        body: { challengeId: fourth.body.challengeId, code: recoveryCodes[0] },
      }),
      401,
    );
    assert.equal(
      (await ledgerOf(server, id)).some((e) => e.action === 'user.recovery_code_used'),
      true,
    );
  });

  test('logout everywhere ends every session of the user', async () => {
    const first = await signInDemo(server, authenticator, 'case.manager@aurora.example');
    const second = await signInDemo(server, authenticator, 'case.manager@aurora.example');
    assert.equal((await call(server, 'GET', '/api/auth/me', { cookie: first })).status, 200);
    const out = await call(server, 'POST', '/api/auth/logout-everywhere', { cookie: second, body: {} });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /cellway_session=;/);
    assertProblem(await call(server, 'GET', '/api/auth/me', { cookie: first }), 401);
    assertProblem(await call(server, 'GET', '/api/auth/me', { cookie: second }), 401);
  });

  test('a password change needs the current password, follows the policy, and ends the other sessions', async () => {
    const email = 'patient@mail.example';
    const login = await call(server, 'POST', '/api/auth/login', { body: { email, password: DEMO_PASSWORD } });
    assert.equal(login.body.status, 'authenticated', 'patients need no second factor');
    const here = login.cookie;
    const elsewhere = (
      await call(server, 'POST', '/api/auth/login', { body: { email, password: DEMO_PASSWORD } })
    ).cookie;

    const wrongCurrent = await call(server, 'POST', '/api/auth/password', {
      cookie: here,
      body: { currentPassword: 'not my password', newPassword: 'Garden path in late October' },
    });
    assertProblem(wrongCurrent, 422);
    assert.deepEqual(wrongCurrent.body.errors, [
      { field: 'body.currentPassword', reason: 'is not your current password' },
    ]);
    const weak = await call(server, 'POST', '/api/auth/password', {
      cookie: here,
      body: { currentPassword: DEMO_PASSWORD, newPassword: 'short' },
    });
    assertProblem(weak, 422);
    assert.equal(weak.body.errors[0].field, 'body.newPassword');

    // Cross-site defences: not JSON, or labelled cross-site by the browser: refused before anything runs.
    const before = await snapshot(server.database);
    assertProblem(
      await call(server, 'POST', '/api/auth/password', {
        cookie: here,
        body: 'currentPassword=x&newPassword=y',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
    );
    assertProblem(
      await call(server, 'POST', '/api/auth/password', {
        cookie: here,
        body: { currentPassword: DEMO_PASSWORD, newPassword: 'Garden path in late October' },
        headers: { 'sec-fetch-site': 'cross-site' },
      }),
      403,
    );
    assert.deepEqual(await snapshot(server.database), before);

    const changed = await call(server, 'POST', '/api/auth/password', {
      cookie: here,
      body: { currentPassword: DEMO_PASSWORD, newPassword: 'Garden path in late October' },
    });
    assert.equal(changed.status, 204, JSON.stringify(changed.body));
    assert.equal(
      (await call(server, 'GET', '/api/auth/me', { cookie: here })).status,
      200,
      'this session stays',
    );
    assertProblem(await call(server, 'GET', '/api/auth/me', { cookie: elsewhere }), 401);
    assertProblem(
      await call(server, 'POST', '/api/auth/login', { body: { email, password: DEMO_PASSWORD } }),
      401,
    );
    const relogin = await call(server, 'POST', '/api/auth/login', {
      body: { email, password: 'Garden path in late October' },
    });
    assert.equal(relogin.body.status, 'authenticated');
  });

  test('a portal user (a provider) may enrol a second factor while signed in; sign-in then asks for it', async () => {
    const provider = 'provider@st-elisabeth.example';
    const login = await call(server, 'POST', '/api/auth/login', {
      body: { email: provider, password: DEMO_PASSWORD },
    });
    assert.equal(login.body.status, 'authenticated');
    const offer = await call(server, 'POST', '/api/auth/second-factor/enrol', {
      cookie: login.cookie,
      body: {},
    });
    assert.equal(offer.status, 200);
    const confirmed = await call(server, 'POST', '/api/auth/second-factor/enrol/confirm', {
      cookie: login.cookie,
      body: { code: authenticator.code(provider, offer.body.secret) },
    });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.user.secondFactorEnabled, true);
    assertProblem(
      await call(server, 'POST', '/api/auth/second-factor/enrol', { cookie: login.cookie, body: {} }),
      409,
    );
    const next = await call(server, 'POST', '/api/auth/login', {
      body: { email: provider, password: DEMO_PASSWORD },
    });
    assert.equal(next.body.status, 'second_factor_required');
    assertProblem(await call(server, 'POST', '/api/auth/second-factor/enrol', { body: {} }), 401);
  });

  test('an administrator resets a password: a temporary one, to be replaced at sign-in; sessions end', async () => {
    const email = 'manufacturing@aurora-leiden.example';
    const session = await signInDemo(server, authenticator, email);
    const admin = await signInDemo(server, authenticator, 'admin@aurora.example');
    const id = await userId(server, email);
    const reset = await call(server, 'POST', `/api/admin/users/${id}/reset-password`, {
      cookie: admin,
      body: { reason: 'forgotten password, identity checked by phone' },
    });
    assert.equal(reset.status, 200);
    assert.equal(reset.headers.get('cache-control'), 'no-store');
    assertProblem(await call(server, 'GET', '/api/auth/me', { cookie: session }), 401);
    const login = await call(server, 'POST', '/api/auth/login', {
      body: { email, password: reset.body.temporaryPassword },
    });
    // The enrolled second factor comes first, then the new password.
    assert.equal(login.body.status, 'second_factor_required');
    const verified = await call(server, 'POST', '/api/auth/second-factor/verify', {
      body: { challengeId: login.body.challengeId, code: authenticator.code(email) },
    });
    assert.deepEqual(verified.body, {
      status: 'password_change_required',
      challengeId: login.body.challengeId,
    });
    const done = await call(server, 'POST', '/api/auth/password/change-required', {
      body: { challengeId: login.body.challengeId, newPassword: 'Cleanroom grade B, gowning at 6' },
    });
    assert.equal(done.body.status, 'authenticated', JSON.stringify(done.body));
    assert.ok(done.cookie);
    const entry = (await ledgerOf(server, id)).find((e) => e.action === 'user.password_reset');
    assert.equal(entry?.reason, 'forgotten password, identity checked by phone');
    assert.equal(JSON.parse(entry?.after ?? '{}').mustChangePassword, true);
  });
});

/** Six digits the authenticator does not show at any step the server would accept now. */
function wrongCode(server: AccessTestServer, secret: string): string {
  const step = totpStepAt(server.clock.now());
  const valid = new Set([-1, 0, 1].map((offset) => totpCodeForStep(secret, step + offset)));
  return ['123456', '654321', '000000', '999999'].find((code) => !valid.has(code)) as string;
}

describe('[pglite] demo accounts where DEMO_SIGN_IN is off', () => {
  let server: AccessTestServer;
  before(async () => {
    server = await startAccessTestServer(pgliteTarget, { demoSignIn: false, cookieSecure: true });
  });
  after(() => server.close());

  test('a demo account cannot sign in; a wrong password still says only that it is wrong', async () => {
    const refused = await call(server, 'POST', '/api/auth/login', {
      body: { email: 'patient@mail.example', password: DEMO_PASSWORD },
    });
    assertProblem(refused, 403, /Demo accounts/);
    assertProblem(
      await call(server, 'POST', '/api/auth/login', {
        body: { email: 'patient@mail.example', password: 'wrong-wrong-wrong' },
      }),
      401,
    );
  });
});
