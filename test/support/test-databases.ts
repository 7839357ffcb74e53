import { randomBytes } from 'node:crypto';
import { describe } from 'node:test';
import pg from 'pg';
import type { Config } from '../../src/platform/config.ts';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';

/**
 * Store and HTTP tests run on the embedded PGlite always, and on the PostgreSQL server too when
 * DATABASE_URL is set (as in CI). Suites are titled "[pglite] …" / "[postgres] …" so the test
 * report counts each kind separately.
 */
export type DatabaseTarget = {
  kind: 'pglite' | 'postgres';
  /** A fresh, empty database of this kind; `drop` removes it. */
  create(): Promise<FreshDatabase>;
};

export type FreshDatabase = {
  settings: Config['database'];
  open(): Promise<Database>;
  drop(): Promise<void>;
};

const serverUrl = process.env.DATABASE_URL;

async function createServerDatabase(baseUrl: string): Promise<FreshDatabase> {
  const name = `cellway_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const settings = { kind: 'postgres' as const, url: url.toString(), poolSize: 10 };
  return {
    settings,
    open: () => openDatabase(settings),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export const pgliteTarget: DatabaseTarget = {
  kind: 'pglite',
  async create() {
    const settings = { kind: 'pglite' as const, dataDir: undefined };
    return { settings, open: () => openDatabase(settings), drop: async () => {} };
  },
};

export const serverTarget: DatabaseTarget | undefined = serverUrl
  ? { kind: 'postgres', create: () => createServerDatabase(serverUrl) }
  : undefined;

export function databaseTargets(): DatabaseTarget[] {
  return serverTarget ? [pgliteTarget, serverTarget] : [pgliteTarget];
}

export function describeEachDatabase(title: string, body: (target: DatabaseTarget) => void): void {
  for (const target of databaseTargets()) describe(`[${target.kind}] ${title}`, () => body(target));
}
