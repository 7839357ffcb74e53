// Ledger costs, each as a ratio to a baseline measured in the same run:
// - appends through the service layer (transaction + per-stream lock + hash chain) with 16 concurrent
//   writers, against raw single-row INSERTs with 16 concurrent writers on the same database;
// - offline verification of 1,000,000 exported entries against plain SHA-256 of the same bytes.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { systemActor } from '../src/platform/access/actor.ts';
import { appendLedgerEntry, appendStandaloneLedgerEntry } from '../src/platform/audit/ledger-writer.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrations.ts';
import { inTransaction } from '../src/platform/db/transaction.ts';
import { benchOfflineVerify } from './ledger-offline-verify.ts';
import { percentile, round, writeResults } from './support/bench-results.ts';

const WRITERS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

async function runWriters(work: (writer: number, n: number) => Promise<void>) {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const t = performance.now();
        await work(writer, n);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / elapsed, p99: percentile(latencies, 99), count: latencies.length };
}

async function main() {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `cellway_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: WRITERS });
  try {
    await migrate(database);
    await sql`create table bench_raw_insert (id bigint generated always as identity primary key, stream text not null, body text not null)`.execute(
      database.db,
    );
    const body = JSON.stringify({ step: 'apheresis', status: 'completed', note: 'x'.repeat(120) });
    // Warm both paths so neither pays for first-use costs.
    await runWritersFor(1, database, body);

    const raw = await runWriters(async (writer) => {
      await database.db
        .insertInto('bench_raw_insert' as never)
        .values({ stream: `w${writer}`, body } as never)
        .execute();
    });
    const change = (writer: number, n: number) => ({
      stream: `bench:${writer}`,
      actor: systemActor('bench'),
      action: 'case.step_completed',
      recordType: 'case',
      recordId: `case-${writer}`,
      before: { n },
      after: { n: n + 1, body },
    });
    // Like for like with a single-row INSERT: one statement, one commit.
    const appends = await runWriters(async (writer, n) => {
      await appendStandaloneLedgerEntry(database, change(writer, n));
    });
    // As part of a business transaction: BEGIN, the append, COMMIT (the business writes would add theirs).
    const inTransactionAppends = await runWriters(async (writer, n) => {
      await inTransaction(database, (trx) => appendLedgerEntry(trx, change(writer, n)));
    });
    const oneStream = await runWriters(async (_writer, n) => {
      await inTransaction(database, (trx) =>
        appendLedgerEntry(trx, {
          stream: 'bench:hot',
          actor: systemActor('bench'),
          action: 'case.step_completed',
          recordType: 'case',
          recordId: 'hot',
          after: { n, body },
        }),
      );
    });

    process.stdout.write('offline verification of 1,000,000 entries…\n');
    const offline = await benchOfflineVerify({
      entries: Number(process.env.BENCH_VERIFY_ENTRIES ?? 1_000_000),
      streams: 1000,
    });

    writeResults(
      'ledger',
      {
        append_ratio_to_insert: round(appends.perSecond / raw.perSecond, 3),
        append_p99_ms: round(appends.p99, 2),
        verify_ratio_to_sha256: round(offline.verify_ratio_to_sha256, 3),
        append_per_s: round(appends.perSecond, 0),
        append_in_transaction_ratio_to_insert: round(inTransactionAppends.perSecond / raw.perSecond, 3),
        append_in_transaction_p99_ms: round(inTransactionAppends.p99, 2),
        raw_insert_per_s: round(raw.perSecond, 0),
        raw_insert_p99_ms: round(raw.p99, 2),
        one_stream_append_per_s: round(oneStream.perSecond, 0),
        one_stream_ratio_to_insert: round(oneStream.perSecond / raw.perSecond, 3),
        verify_cpu_ratio_to_sha256: round(offline.verify_cpu_ratio_to_sha256, 3),
        verify_entries_per_s: round(offline.verify_entries_per_s, 0),
        sha256_entries_per_s: round(offline.sha256_entries_per_s, 0),
      },
      {
        goals: { append_ratio_to_insert: '>= 0.35', verify_ratio_to_sha256: '>= 0.5' },
        method: `${WRITERS} concurrent writers for ${SECONDS} s each phase on one PostgreSQL server database; appends on ${WRITERS} distinct streams through appendStandaloneLedgerEntry (one statement, like the baseline) and, separately, inTransaction + appendLedgerEntry; raw baseline = single-row autocommit INSERT of a comparable row; verification wall-clock ratio (verify_cpu_ratio counts CPU time of all threads)`,
      },
    );
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function runWritersFor(
  seconds: number,
  database: Awaited<ReturnType<typeof openDatabase>>,
  body: string,
) {
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    await database.db
      .insertInto('bench_raw_insert' as never)
      .values({ stream: 'warm', body } as never)
      .execute();
    await inTransaction(database, (trx) =>
      appendLedgerEntry(trx, {
        stream: 'warm',
        actor: systemActor('bench'),
        action: 'warm',
        recordType: 'warm',
        recordId: 'w',
      }),
    );
  }
}

await main();
