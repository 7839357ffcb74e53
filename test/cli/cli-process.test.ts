import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { loadMigrations } from '../../src/platform/db/migrations.ts';
import { listeningUrl, runCli, waitForReady } from '../support/cli-process.ts';
import { serverTarget } from '../support/test-databases.ts';

const tempDirs: string[] = [];
function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-cli-'));
  tempDirs.push(dir);
  return path.join(dir, 'data');
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const NO_STACK = /^\s+at /m;

function requireServer() {
  if (!serverTarget) throw new Error('DATABASE_URL is not set');
  return serverTarget;
}

describe('cellway CLI: bad settings stop start-up with one clear line', () => {
  test('PORT=abc', async () => {
    const cli = runCli(['start', '--no-web-build'], { PORT: 'abc', CELLWAY_DATA_DIR: tempDataDir() });
    const { code } = await cli.exited;
    assert.equal(code, 1);
    assert.equal(
      cli.stderr().trim(),
      'cellway: invalid setting PORT: must be a whole number between 0 and 65535 (got "abc")',
    );
    assert.doesNotMatch(cli.stderr(), NO_STACK);
  });

  test('an unreachable DATABASE_URL', async () => {
    const cli = runCli(['start', '--no-web-build'], {
      DATABASE_URL: 'postgres://cellway@127.0.0.1:1/cellway',
    });
    const { code } = await cli.exited;
    assert.equal(code, 1);
    const lines = cli.stderr().trim().split('\n');
    assert.equal(lines.length, 1, cli.stderr());
    assert.match(
      lines[0] ?? '',
      /^cellway: cannot reach the PostgreSQL server at 127\.0\.0\.1:1\/cellway \(DATABASE_URL\)/,
    );
  });

  test('an unknown command', async () => {
    const cli = runCli(['launch'], {});
    assert.equal((await cli.exited).code, 2);
    assert.match(cli.stderr(), /unknown command "launch"/);
  });
});

describe('cellway CLI on the embedded database', () => {
  test('start serves /ready; a second process on the same data folder is refused; SIGTERM stops cleanly', async () => {
    const dataDir = tempDataDir();
    const server = runCli(['start', '--no-web-build'], { PORT: '0', CELLWAY_DATA_DIR: dataDir });
    await server.waitForOutput(/Cellway is running at/);
    const url = listeningUrl(server.stderr());
    await waitForReady(url);

    const intruder = runCli(['migrate'], { CELLWAY_DATA_DIR: dataDir });
    assert.equal((await intruder.exited).code, 1);
    assert.match(intruder.stderr(), /is in use by process \d+; stop it, or set DATABASE_URL/);

    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    assert.equal(code, 0);
    assert.match(server.stdout(), /"msg":"stopped cleanly"/);
    assert.equal(fs.existsSync(`${dataDir}.pid`), false, 'the data folder is released');
  });

  test('SIGKILL in the middle of the demo seed: the next start works and the seed completes', async () => {
    const dataDir = tempDataDir();
    const seeding = runCli(['seed', '--demo'], { CELLWAY_DATA_DIR: dataDir });
    await seeding.waitForOutput(/ 2\/\d+ /);
    seeding.child.kill('SIGKILL');
    assert.equal((await seeding.exited).signal, 'SIGKILL');

    const reseed = runCli(['seed', '--demo'], { CELLWAY_DATA_DIR: dataDir });
    assert.equal((await reseed.exited).code, 0, reseed.stderr());
    assert.match(reseed.stderr(), /Demo data ready/);

    const server = runCli(['start', '--no-web-build'], { PORT: '0', CELLWAY_DATA_DIR: dataDir });
    await server.waitForOutput(/Cellway is running at/);
    const url = listeningUrl(server.stderr());
    const ready = (await (await fetch(`${url}/ready`)).json()) as { migrations: number };
    assert.equal(ready.migrations, loadMigrations().length);
    const summary = (await (await fetch(`${url}/api/network/summary`)).json()) as { partners: unknown[] };
    assert.equal(summary.partners.length, 8, 'each demo partner exactly once');
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0);
  });

  test('doctor prints a report of Node, database, data folder and port', async () => {
    const cli = runCli(['doctor'], { CELLWAY_DATA_DIR: tempDataDir(), PORT: '0' });
    assert.equal((await cli.exited).code, 0, cli.stderr());
    for (const check of ['Node.js', 'Data folder', 'Database', 'Port', 'Web app'])
      assert.match(cli.stderr(), new RegExp(`[✔!] ${check}`));
  });
});

describe('[postgres] cellway CLI on a PostgreSQL server', {
  skip: serverTarget ? false : 'DATABASE_URL is not set',
}, () => {
  test('two processes started together against one database: migrations applied once, both serve', async () => {
    const fresh = await requireServer().create();
    const url = (fresh.settings as { url: string }).url;
    try {
      const first = runCli(['start', '--no-web-build'], { PORT: '0', DATABASE_URL: url });
      const second = runCli(['start', '--no-web-build'], { PORT: '0', DATABASE_URL: url });
      await Promise.all([
        first.waitForOutput(/Cellway is running at/),
        second.waitForOutput(/Cellway is running at/),
      ]);
      for (const cli of [first, second]) await waitForReady(listeningUrl(cli.stderr()));

      const applying = (cli: typeof first) =>
        (cli.stdout().match(/"msg":"applying migration"/g) ?? []).length;
      assert.equal(
        applying(first) + applying(second),
        loadMigrations().length,
        'each migration applied by one process',
      );
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query('select count(*)::int as n from schema_migrations');
      await client.end();
      assert.equal(rows[0].n, loadMigrations().length);

      for (const cli of [first, second]) cli.child.kill('SIGTERM');
      for (const cli of [first, second]) assert.equal((await cli.exited).code, 0);
    } finally {
      await fresh.drop();
    }
  });

  test('SIGKILL during the demo seed on the server, then start: it completes', async () => {
    const fresh = await requireServer().create();
    const url = (fresh.settings as { url: string }).url;
    try {
      const seeding = runCli(['seed', '--demo'], { DATABASE_URL: url });
      await seeding.waitForOutput(/ 2\/\d+ /);
      seeding.child.kill('SIGKILL');
      await seeding.exited;
      const server = runCli(['start', '--demo', '--no-web-build'], { PORT: '0', DATABASE_URL: url });
      await server.waitForOutput(/Cellway is running at/);
      const base = listeningUrl(server.stderr());
      const summary = (await (await fetch(`${base}/api/network/summary`)).json()) as { partners: unknown[] };
      assert.equal(summary.partners.length, 8);
      server.child.kill('SIGTERM');
      assert.equal((await server.exited).code, 0);
    } finally {
      await fresh.drop();
    }
  });
});
