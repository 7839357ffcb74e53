import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemActor } from '../../src/platform/access/actor.ts';
import {
  type InstallationKey,
  loadOrCreateInstallationKey,
  registerPublicKey,
} from '../../src/platform/audit/installation-key.ts';
import { appendLedgerEntry } from '../../src/platform/audit/ledger-writer.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { RawClient } from '../../src/platform/db/raw-client.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import type { LedgerEntry } from '../../src/platform/ledger/ledger-entry.ts';

export function tempInstallationKey(): InstallationKey {
  return loadOrCreateInstallationKey(
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-key-')), 'key.pem'),
  );
}

/** A few streams of realistic-looking changes, appended through the service layer. */
export async function appendSampleEntries(
  database: Database,
  key: InstallationKey,
  streams = 4,
  perStream = 5,
): Promise<LedgerEntry[]> {
  await registerPublicKey(database, key);
  const entries: LedgerEntry[] = [];
  for (let n = 0; n < perStream; n++)
    for (let s = 0; s < streams; s++)
      entries.push(
        await inTransaction(database, (trx) =>
          appendLedgerEntry(trx, {
            stream: `case:sample-${s}`,
            actor: systemActor('test'),
            action: n === 0 ? 'case.opened' : 'case.step_completed',
            recordType: 'case',
            recordId: `sample-${s}`,
            before: n === 0 ? null : { step: n - 1 },
            after: { step: n, note: `step ${n} of case ${s}` },
            reason: n % 2 ? 'scheduled' : null,
          }),
        ),
      );
  return entries;
}

/**
 * Runs SQL as a superuser with the append-only triggers (and foreign keys) switched off, the way
 * an insider with database access would try to rewrite history.
 */
export async function tamper(database: Database, statement: string, params: unknown[] = []): Promise<void> {
  const client: RawClient = await database.connectRaw();
  try {
    await client.exec('set session_replication_role = replica');
    await client.query(statement, params);
  } finally {
    await client.exec('set session_replication_role = origin');
    client.release();
  }
}

/** One raw query on a connection of its own, released afterwards. */
export async function queryOnce<Row = Record<string, unknown>>(
  database: Database,
  statement: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const client = await database.connectRaw();
  try {
    return (await client.query<Row>(statement, params)).rows;
  } finally {
    client.release();
  }
}
