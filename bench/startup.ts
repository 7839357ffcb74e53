// Start-up cost: process start → /ready 200, on the embedded database and on a PostgreSQL server,
// and resident memory after the demo seed. Baseline: a bare Node HTTP server started the same way
// in the same run, so the ratios survive a noisy machine.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { CLI } from '../test/support/cli-process.ts';
import { median, round, writeResults } from './support/bench-results.ts';

const RUNS = 3;

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function timeToReady(args: string[], env: Record<string, string>, probe = '/ready') {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited before ready: ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}${probe}`)).status === 200) break;
    } catch {
      // not yet listening
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (performance.now() - started > 120_000) throw new Error(`not ready after 120 s: ${stderr}`);
  }
  const readyMs = performance.now() - started;
  const rssMb =
    Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
  child.kill('SIGTERM');
  await exited;
  return { readyMs, rssMb };
}

const bareServer = [
  '-e',
  "require('node:http').createServer((q,s)=>s.end('ok')).listen(+process.env.PORT,'127.0.0.1')",
];

async function main() {
  const baseline = median(
    await Promise.all([0, 1, 2].map(async () => (await timeToReady(bareServer, {}, '/')).readyMs)),
  );

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-bench-'));
  const dataDir = path.join(dir, 'data');
  const cli = [CLI, 'start', '--no-web-build'];
  try {
    // First start on an empty folder: creates the database, migrates, seeds the demo network.
    const first = await timeToReady([...cli, '--demo'], { CELLWAY_DATA_DIR: dataDir });
    const embedded: number[] = [];
    for (let i = 0; i < RUNS; i++)
      embedded.push((await timeToReady(cli, { CELLWAY_DATA_DIR: dataDir })).readyMs);

    const serverBase = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `cellway_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverBase });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(serverBase);
    url.pathname = `/${name}`;
    const server: number[] = [];
    let serverRssMb = 0;
    try {
      serverRssMb = (await timeToReady([...cli, '--demo'], { DATABASE_URL: url.toString() })).rssMb;
      for (let i = 0; i < RUNS; i++)
        server.push((await timeToReady(cli, { DATABASE_URL: url.toString() })).readyMs);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }

    const readyEmbedded = median(embedded);
    const readyServer = median(server);
    writeResults(
      'startup',
      {
        ready_ms_embedded: round(readyEmbedded, 0),
        ready_ms_server: round(readyServer, 0),
        rss_mb_after_seed: round(first.rssMb, 1),
        rss_mb_after_seed_server_database: round(serverRssMb, 1),
        ready_ms_embedded_first_start: round(first.readyMs, 0),
        baseline_ms_bare_node_http: round(baseline, 0),
        ready_ratio_embedded_to_baseline: round(readyEmbedded / baseline, 1),
        ready_ratio_server_to_baseline: round(readyServer / baseline, 1),
      },
      {
        method:
          'median of 3 restarts from process spawn to /ready 200 (data already migrated and seeded); first start on an empty data folder includes database creation, migrations and the demo seed; RSS read from /proc after that first start',
      },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
