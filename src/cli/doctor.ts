import fs from 'node:fs';
import net from 'node:net';
import type { Config } from '../platform/config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { DataDirInUseError } from '../platform/db/embedded-lock.ts';
import { appliedMigrationCount, loadMigrations } from '../platform/db/migrations.ts';
import { webBuildIsCurrent } from './web-build.ts';

export type Check = { name: string; status: 'ok' | 'warn' | 'fail'; detail: string };

function checkNode(): Check {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 10);
  return {
    name: 'Node.js',
    status: ok ? 'ok' : 'fail',
    detail: ok ? `v${process.versions.node}` : `v${process.versions.node}; Cellway needs Node 20.10 or newer`,
  };
}

function checkDataFolder(config: Config): Check {
  if (config.database.kind !== 'pglite')
    return {
      name: 'Data folder',
      status: 'ok',
      detail: 'not used: DATABASE_URL points at a PostgreSQL server',
    };
  const dir = config.database.dataDir;
  if (!dir) return { name: 'Data folder', status: 'ok', detail: 'not used: in-memory database' };
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    const free = fs.statfsSync(dir);
    const freeMb = Math.round((free.bavail * free.bsize) / 1_048_576);
    return {
      name: 'Data folder',
      status: freeMb < 500 ? 'warn' : 'ok',
      detail: `${dir} is writable, ${freeMb} MB free${freeMb < 500 ? ' (low)' : ''}`,
    };
  } catch (error) {
    return { name: 'Data folder', status: 'fail', detail: `${dir}: ${(error as Error).message}` };
  }
}

async function checkDatabase(config: Config): Promise<Check> {
  const known = loadMigrations().length;
  try {
    const database = await openDatabase(config.database);
    try {
      const applied = await appliedMigrationCount(database);
      const where = database.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL server';
      if (applied === known)
        return { name: 'Database', status: 'ok', detail: `${where}, ${applied}/${known} migrations` };
      return {
        name: 'Database',
        status: 'warn',
        detail: `${where} reachable, ${applied}/${known} migrations applied: run \`cellway migrate\` (start does it too)`,
      };
    } finally {
      await database.close();
    }
  } catch (error) {
    if (error instanceof DataDirInUseError)
      return {
        name: 'Database',
        status: 'ok',
        detail: `embedded database in use by a running Cellway (pid ${error.pid})`,
      };
    return { name: 'Database', status: 'fail', detail: (error as Error).message };
  }
}

function checkPort(config: Config): Promise<Check> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve({
        name: 'Port',
        status: 'warn',
        detail:
          error.code === 'EADDRINUSE'
            ? `${config.host}:${config.port} is in use (a running Cellway, or set PORT)`
            : `${config.host}:${config.port}: ${error.message}`,
      }),
    );
    server.listen(config.port, config.host, () =>
      server.close(() =>
        resolve({ name: 'Port', status: 'ok', detail: `${config.host}:${config.port} is free` }),
      ),
    );
  });
}

function checkWebApp(): Check {
  return webBuildIsCurrent()
    ? { name: 'Web app', status: 'ok', detail: 'built and current' }
    : { name: 'Web app', status: 'warn', detail: 'not built or out of date: `cellway start` builds it' };
}

export async function runDoctor(config: Config): Promise<Check[]> {
  return [
    checkNode(),
    checkDataFolder(config),
    await checkDatabase(config),
    await checkPort(config),
    checkWebApp(),
  ];
}

export function formatReport(checks: Check[]): string {
  const mark = { ok: '✔', warn: '!', fail: '✖' } as const;
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => `  ${mark[c.status]} ${c.name.padEnd(width)}  ${c.detail}`);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  const verdict = failed ? `${failed} problem(s) to fix` : warned ? `ready, ${warned} note(s)` : 'all good';
  return ['Cellway doctor', ...lines, `  → ${verdict}`].join('\n');
}
