import { sql } from 'kysely';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrations.ts';
import type { DatabaseTarget } from '../support/test-databases.ts';

export type MigratedDatabase = { database: Database; close(): Promise<void> };

/** A fresh database of the target's kind with every migration applied, plus a side-effect table. */
export async function migratedDatabase(target: DatabaseTarget): Promise<MigratedDatabase> {
  const fresh = await target.create();
  const database = await fresh.open();
  await migrate(database);
  await createEffectsTable(database);
  return {
    database,
    async close() {
      await database.close();
      await fresh.drop();
    },
  };
}

/**
 * What test handlers write: one row per effect, keyed by job id, deliberately without a unique
 * constraint so a duplicated effect shows up as a second row.
 */
export async function createEffectsTable(database: Database): Promise<void> {
  await sql`create table if not exists test_job_effects (
    job_id uuid not null,
    worker text,
    note text,
    created_at timestamptz not null default now()
  )`.execute(database.db);
}

export async function effectsOf(database: Database, jobId?: string): Promise<number> {
  const { rows } = jobId
    ? await sql<{
        n: number;
      }>`select count(*)::int as n from test_job_effects where job_id = ${jobId}`.execute(database.db)
    : await sql<{ n: number }>`select count(*)::int as n from test_job_effects`.execute(database.db);
  return rows[0]?.n ?? 0;
}
