import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Config } from '../config.ts';
import { claimDataDir } from './embedded-lock.ts';
import { serverPool } from './pg-pool.ts';
import { openPglite, pglitePool } from './pglite-pool.ts';
import type { RawClient } from './raw-client.ts';
import type { Schema } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** One handle for the whole process: typed queries through Kysely, raw clients for locks and scripts. */
export type Database = {
  kind: DatabaseKind;
  db: Kysely<Schema>;
  connectRaw(): Promise<RawClient>;
  ping(): Promise<void>;
  close(): Promise<void>;
};

export class DatabaseUnreachableError extends Error {}

function describeConnectError(url: string, error: unknown): string {
  const target = new URL(url);
  const where = `${target.hostname}:${target.port || 5432}${target.pathname}`;
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `cannot reach the PostgreSQL server at ${where} (DATABASE_URL): ${reason}`;
}

export async function openDatabase(database: Config['database']): Promise<Database> {
  if (database.kind === 'postgres') {
    const pool = serverPool(database.url, database.poolSize);
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => {});
      throw new DatabaseUnreachableError(describeConnectError(database.url, error));
    }
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'postgres',
      db,
      connectRaw: () => pool.connectRaw(),
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: async () => {
        await db.destroy();
        if (!pool.ended) await pool.end();
      },
    };
  }
  // dataDir undefined means an in-memory database: used by tests that need a throwaway store.
  const releaseClaim = database.dataDir ? claimDataDir(database.dataDir) : () => {};
  try {
    const pool = pglitePool(await openPglite(database.dataDir));
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'pglite',
      db,
      connectRaw: () => pool.connectRaw(),
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: async () => {
        // Kysely ends the pool only if it ever ran a query; the database must close either way.
        await db.destroy();
        await pool.end();
        releaseClaim();
      },
    };
  } catch (error) {
    releaseClaim();
    throw error;
  }
}
