import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase, type FreshDatabase } from '../../../test/support/test-databases.ts';
import type { Database } from './database.ts';
import { loadMigrations, type Migration, MigrationError, migrate } from './migrations.ts';

const migration = (version: number, name: string, text: string): Migration => ({
  version,
  name,
  sql: text,
  checksum: createHash('sha256').update(text).digest('hex'),
});

async function tableExists(database: Database, table: string): Promise<boolean> {
  const { rows } = await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(
    database.db,
  );
  return rows[0]?.found != null;
}

describeEachDatabase('migrations', (target) => {
  let fresh: FreshDatabase;
  let database: Database;
  before(async () => {
    fresh = await target.create();
    database = await fresh.open();
  });
  after(async () => {
    await database.close();
    await fresh.drop();
  });

  test('the shipped migrations apply once; a second run applies nothing', async () => {
    const first = await migrate(database);
    assert.equal(first.applied.length, loadMigrations().length);
    assert.ok(await tableExists(database, 'partners'));
    const second = await migrate(database);
    assert.equal(second.applied.length, 0);
  });

  test('a failing migration leaves nothing behind: not its tables, not its bookkeeping row', async () => {
    const shipped = loadMigrations();
    const broken = migration(
      shipped.length + 1,
      'broken',
      'create table half_done (id int); insert into half_done values (1); select * from no_such_table;',
    );
    await assert.rejects(migrate(database, { migrations: [...shipped, broken] }), (error: unknown) => {
      assert.ok(error instanceof MigrationError);
      assert.match(error.message, /migration \d+ \(broken\) failed: .*no_such_table/);
      return true;
    });
    assert.equal(await tableExists(database, 'half_done'), false);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from schema_migrations`.execute(
      database.db,
    );
    assert.equal(rows[0]?.n, shipped.length);
  });

  test('an applied migration whose file changed is refused (forward-only)', async () => {
    const shipped = loadMigrations();
    const edited = shipped.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await assert.rejects(migrate(database, { migrations: edited }), /was changed after it was applied/);
  });

  test('a database migrated by a newer release is refused rather than run by older code', async () => {
    const shipped = loadMigrations();
    await sql`insert into schema_migrations (version, name, checksum) values (${shipped.length + 50}, 'from_the_future', 'x')`.execute(
      database.db,
    );
    try {
      await assert.rejects(migrate(database), /does not know: it was migrated by a newer release/);
    } finally {
      await sql`delete from schema_migrations where version = ${shipped.length + 50}`.execute(database.db);
    }
  });
});

describeEachDatabase('concurrent start-up', (target) => {
  test('processes migrating at the same moment apply each migration exactly once', async () => {
    const fresh = await target.create();
    // PGlite is one process by design; its "concurrency" is two callers on one handle.
    const handles =
      target.kind === 'postgres'
        ? await Promise.all([fresh.open(), fresh.open(), fresh.open()])
        : [await fresh.open()];
    const callers = target.kind === 'postgres' ? handles : [handles[0], handles[0], handles[0]];
    try {
      const reports = await Promise.all(callers.map((database) => migrate(database as Database)));
      const total = loadMigrations().length;
      assert.equal(
        reports.reduce((sum, r) => sum + r.applied.length, 0),
        total,
      );
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from schema_migrations`.execute(
        (handles[0] as Database).db,
      );
      assert.equal(rows[0]?.n, total);
    } finally {
      for (const database of handles) await database.close();
      await fresh.drop();
    }
  });
});

describeEachDatabase('result types', (target) => {
  test('dates stay calendar dates and bigints are numbers, identically on both databases', async () => {
    const fresh = await target.create();
    const database = await fresh.open();
    try {
      const { rows } = await sql<{
        day: unknown;
        big: unknown;
        at: unknown;
      }>`select '2026-03-29'::date as day, 9007199254740991::int8 as big, '2026-03-29T01:30:00Z'::timestamptz as at`.execute(
        database.db,
      );
      assert.deepEqual(rows[0], {
        day: '2026-03-29',
        big: 9007199254740991,
        at: new Date('2026-03-29T01:30:00Z'),
      });
    } finally {
      await database.close();
      await fresh.drop();
    }
  });
});
