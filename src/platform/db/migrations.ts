import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

/**
 * Forward-only migrations: numbered SQL files in /migrations, each applied once in its own
 * transaction together with its bookkeeping row, so a crash leaves it either fully applied or not
 * at all. An advisory lock makes concurrent starts take turns: the first migrates, the rest find
 * nothing left to do.
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
const ADVISORY_LOCK_KEY = 7_240_221_001; // arbitrary, fixed: "cellway migrations"

export type Migration = { version: number; name: string; sql: string; checksum: string };

export class MigrationError extends Error {}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new MigrationError(`migration file ${file} must be named NNNN_snake_name.sql`);
      const sql = fs.readFileSync(`${dir}/${file}`, 'utf8');
      return {
        version: Number(match[1]),
        name: match[2] as string,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new MigrationError(
        `migration versions must run 1, 2, 3… without gaps; found ${migration.version}`,
      );
  });
  return migrations;
}

const BOOKKEEPING = `create table if not exists schema_migrations (
  version integer primary key,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null default now()
)`;

type Applied = { version: number; name: string; checksum: string };

function checkHistory(applied: Applied[], known: Migration[]): void {
  for (const row of applied) {
    const migration = known.find((m) => m.version === row.version);
    if (!migration)
      throw new MigrationError(
        `the database has migration ${row.version} (${row.name}) that this version of Cellway does not know: it was migrated by a newer release`,
      );
    if (migration.checksum !== row.checksum)
      throw new MigrationError(
        `migration ${row.version} (${row.name}) was changed after it was applied; migrations are forward-only: add a new one instead`,
      );
  }
}

export type MigrateReport = { applied: Migration[]; total: number };

export async function migrate(
  database: Database,
  options: { migrations?: Migration[]; onApply?: (migration: Migration) => void } = {},
): Promise<MigrateReport> {
  const migrations = options.migrations ?? loadMigrations();
  const client = await database.connectRaw();
  try {
    await client.query('select pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    try {
      await client.exec(BOOKKEEPING);
      const { rows } = await client.query<Applied>(
        'select version, name, checksum from schema_migrations order by version',
      );
      checkHistory(rows, migrations);
      const done = new Set(rows.map((row) => row.version));
      const applied: Migration[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        options.onApply?.(migration);
        await client.exec('begin');
        try {
          await client.exec(migration.sql);
          await client.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
            migration.version,
            migration.name,
            migration.checksum,
          ]);
          await client.exec('commit');
        } catch (error) {
          await client.exec('rollback');
          const reason = error instanceof Error ? error.message : String(error);
          throw new MigrationError(`migration ${migration.version} (${migration.name}) failed: ${reason}`);
        }
        applied.push(migration);
      }
      return { applied, total: migrations.length };
    } finally {
      await client.query('select pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

/** For /ready: how many of the migrations this code knows are applied. */
export async function appliedMigrationCount(database: Database): Promise<number> {
  const client = await database.connectRaw();
  try {
    // Checked first: a query naming a missing table fails while it is parsed, whatever its CASE says.
    const { rows } = await client.query<{ found: boolean }>(
      `select to_regclass('schema_migrations') is not null as found`,
    );
    if (!rows[0]?.found) return 0;
    const counted = await client.query<{ applied: number }>(
      'select count(*)::int as applied from schema_migrations',
    );
    return counted.rows[0]?.applied ?? 0;
  } finally {
    client.release();
  }
}
