import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  test('defaults to the embedded database in ./.cellway/data on 127.0.0.1:8080', () => {
    const config = loadConfig({}, '/srv/cellway');
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.deepEqual(config.database, { kind: 'pglite', dataDir: path.resolve('/srv/cellway/.cellway/data') });
  });

  test('DATABASE_URL switches to the PostgreSQL server with a pool', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/cellway', DATABASE_POOL_SIZE: '25' });
    assert.deepEqual(config.database, { kind: 'postgres', url: 'postgres://u:p@db:5432/cellway', poolSize: 25 });
  });

  test('an empty value means the default', () => {
    assert.equal(loadConfig({ PORT: '' }).port, 8080);
  });

  const badValues: Array<[Record<string, string>, string, RegExp]> = [
    [{ PORT: 'abc' }, 'PORT', /PORT: must be a whole number between 0 and 65535 \(got "abc"\)/],
    [{ PORT: '70000' }, 'PORT', /between 0 and 65535 \(got "70000"\)/],
    [{ PORT: '80.5' }, 'PORT', /whole number/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL', /must be a PostgreSQL URL/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE', /positive whole number/],
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
