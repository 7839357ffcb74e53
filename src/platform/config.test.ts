import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  test('defaults to the embedded database in ./.cellway/data on 127.0.0.1:8080', () => {
    const config = loadConfig({}, '/srv/cellway');
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.deepEqual(config.database, {
      kind: 'pglite',
      dataDir: path.resolve('/srv/cellway/.cellway/data'),
    });
  });

  test('DATABASE_URL switches to the PostgreSQL server with a pool', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/cellway', DATABASE_POOL_SIZE: '25' });
    assert.deepEqual(config.database, {
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/cellway',
      poolSize: 25,
    });
  });

  test('mail and jobs default to: no relay (email held), 4 jobs at once, polling every 500 ms', () => {
    const config = loadConfig({});
    assert.deepEqual(config.mail, { smtpUrl: undefined, from: 'Cellway <no-reply@cellway.local>' });
    assert.deepEqual(config.jobs, {
      concurrency: 4,
      pollMs: 500,
      leaseMs: 60_000,
      testHandlersModule: undefined,
    });
  });

  test('SMTP_URL, MAIL_FROM and the JOBS_ settings are read', () => {
    const config = loadConfig({
      SMTP_URL: 'smtps://cellway:s3cret@mail.example.org:465',
      MAIL_FROM: 'Cellway Hospital <cellway@hospital.example>',
      JOBS_CONCURRENCY: '0',
      JOBS_POLL_MS: '250',
      JOBS_LEASE_MS: '30000',
    });
    assert.deepEqual(config.mail, {
      smtpUrl: 'smtps://cellway:s3cret@mail.example.org:465',
      from: 'Cellway Hospital <cellway@hospital.example>',
    });
    assert.deepEqual(config.jobs, {
      concurrency: 0,
      pollMs: 250,
      leaseMs: 30_000,
      testHandlersModule: undefined,
    });
  });

  test('a malformed SMTP_URL is refused without repeating it (it may carry a password)', () => {
    assert.throws(
      () => loadConfig({ SMTP_URL: 'mail.example.org:25 password=hunter2' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.setting, 'SMTP_URL');
        assert.match(error.message, /must be an SMTP URL such as smtp:\/\//);
        assert.ok(!error.message.includes('hunter2'), 'the secret is not echoed');
        return true;
      },
    );
  });

  test('sessions: 15 minutes idle, 12 hours at most; on loopback the cookie may travel over http and demo accounts sign in', () => {
    assert.deepEqual(loadConfig({}).auth, {
      sessionIdleMinutes: 15,
      sessionAbsoluteHours: 12,
      cookieSecure: false,
      demoSignIn: true,
      signatureSecondFactor: 'required',
    });
    assert.equal(loadConfig({ HOST: 'localhost' }).auth.cookieSecure, false);
    assert.equal(loadConfig({ HOST: '::1' }).auth.demoSignIn, true);
  });

  test('off loopback the cookie is Secure and demo accounts cannot sign in, unless said otherwise', () => {
    assert.deepEqual(loadConfig({ HOST: '0.0.0.0' }).auth, {
      sessionIdleMinutes: 15,
      sessionAbsoluteHours: 12,
      cookieSecure: true,
      demoSignIn: false,
      signatureSecondFactor: 'required',
    });
    const overridden = loadConfig({
      HOST: '0.0.0.0',
      COOKIE_SECURE: 'false',
      DEMO_SIGN_IN: 'on',
      SESSION_IDLE_MINUTES: '30',
      SESSION_ABSOLUTE_HOURS: '8',
    }).auth;
    assert.deepEqual(overridden, {
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 8,
      cookieSecure: false,
      demoSignIn: true,
      signatureSecondFactor: 'required',
    });
    assert.equal(loadConfig({ DEMO_SIGN_IN: 'off' }).auth.demoSignIn, false);
    assert.equal(loadConfig({ COOKIE_SECURE: 'true' }).auth.cookieSecure, true);
    assert.equal(loadConfig({ SIGNATURE_SECOND_FACTOR: 'off' }).auth.signatureSecondFactor, 'off');
    assert.throws(
      () => loadConfig({ SIGNATURE_SECOND_FACTOR: 'sometimes' }),
      /SIGNATURE_SECOND_FACTOR: must be required or off/,
    );
  });

  test('an empty value means the default', () => {
    assert.equal(loadConfig({ PORT: '' }).port, 8080);
  });

  const badValues: Array<[Record<string, string>, string, RegExp]> = [
    [{ PORT: 'abc' }, 'PORT', /PORT: must be a whole number between 0 and 65535 \(got "abc"\)/],
    [{ PORT: '70000' }, 'PORT', /between 0 and 65535 \(got "70000"\)/],
    [{ PORT: '80.5' }, 'PORT', /whole number/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL', /must be a PostgreSQL URL/],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL',
      /one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/,
    ],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE', /positive whole number/],
    [{ SMTP_URL: 'http://mail.example.org' }, 'SMTP_URL', /must be an SMTP URL/],
    [
      { MAIL_FROM: 'no-reply' },
      'MAIL_FROM',
      /must be an address such as no-reply@example\.org.*\(got "no-reply"\)/,
    ],
    [{ JOBS_CONCURRENCY: '-1' }, 'JOBS_CONCURRENCY', /whole number, 0 or more \(jobs run at once/],
    [{ JOBS_CONCURRENCY: '1000' }, 'JOBS_CONCURRENCY', /\(got "1000"\)/],
    [{ JOBS_POLL_MS: '5' }, 'JOBS_POLL_MS', /at least 10 \(milliseconds\) \(got "5"\)/],
    [{ SCHEDULING_HOLD_MINUTES: '0' }, 'SCHEDULING_HOLD_MINUTES', /positive whole number \(minutes\)/],
    [{ SCHEDULING_HOLD_MINUTES: '2000' }, 'SCHEDULING_HOLD_MINUTES', /at most 1440 \(a day\)/],
    [{ JOBS_POLL_MS: 'often' }, 'JOBS_POLL_MS', /positive whole number \(milliseconds\)/],
    [{ JOBS_LEASE_MS: '100' }, 'JOBS_LEASE_MS', /at least 1000/],
    [{ CELLWAY_TEST_JOB_HANDLERS: 'relative/handlers.ts' }, 'CELLWAY_TEST_JOB_HANDLERS', /absolute path/],
    [{ SESSION_IDLE_MINUTES: '0' }, 'SESSION_IDLE_MINUTES', /positive whole number \(minutes\)/],
    [{ SESSION_ABSOLUTE_HOURS: '1000' }, 'SESSION_ABSOLUTE_HOURS', /at most 720 hours/],
    [{ COOKIE_SECURE: 'yes' }, 'COOKIE_SECURE', /must be true or false \(got "yes"\)/],
    [{ DEMO_SIGN_IN: 'maybe' }, 'DEMO_SIGN_IN', /must be auto, on or off/],
  ];
  for (const [env, setting, message] of badValues) {
    test(`${setting}=${Object.values(env)[0]} is refused in one line naming the setting`, () => {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.setting, setting);
          assert.match(error.message, message);
          assert.ok(!error.message.includes('\n'), 'the message is one line');
          return true;
        },
      );
    });
  }
});
