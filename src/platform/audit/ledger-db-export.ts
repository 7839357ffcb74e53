import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/database.ts';
import { type ExportSummary, exportHeader, writeExport } from '../ledger/export-file.ts';
import type { LedgerEntry } from '../ledger/ledger-entry.ts';
import { listCheckpoints } from './checkpointer.ts';
import type { InstallationKey } from './installation-key.ts';
import { rowToEntry } from './ledger-rows.ts';

const BATCH = 5_000;

/** Entries in leaf order, then those not yet under a checkpoint in insertion order. */
async function* entriesInExportOrder(database: Database): AsyncGenerator<LedgerEntry> {
  let from = 0;
  for (;;) {
    const rows = await database.db
      .selectFrom('ledger_leaves as l')
      .innerJoin('ledger_entries as e', 'e.id', 'l.entry_id')
      .selectAll('e')
      .select('l.leaf_index')
      .where('l.leaf_index', '>=', from)
      .orderBy('l.leaf_index')
      .limit(BATCH)
      .execute();
    for (const row of rows) yield rowToEntry(row);
    if (rows.length < BATCH) break;
    from = (rows.at(-1)?.leaf_index ?? from) + 1;
  }
  let position = 0;
  for (;;) {
    const rows = await database.db
      .selectFrom('ledger_entries as e')
      .leftJoin('ledger_leaves as l', 'l.entry_id', 'e.id')
      .where('l.entry_id', 'is', null)
      .where('e.position', '>', position)
      .selectAll('e')
      .orderBy('e.position')
      .limit(BATCH)
      .execute();
    for (const row of rows) yield rowToEntry(row);
    if (rows.length < BATCH) break;
    position = rows.at(-1)?.position ?? position;
  }
}

/** Writes a self-contained export (entries, checkpoints, public key); atomically: temp file, then rename. */
export async function exportLedgerToFile(
  database: Database,
  key: InstallationKey,
  file: string,
  now = new Date(),
): Promise<ExportSummary> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  const out = fs.createWriteStream(temp);
  try {
    const summary = await writeExport(out, {
      header: exportHeader({
        origin: key.origin,
        publicKeyPem: key.publicKeyPem,
        exportedAt: now.toISOString(),
      }),
      entries: entriesInExportOrder(database),
      checkpoints: await listCheckpoints(database.db),
    });
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    fs.renameSync(temp, file);
    return summary;
  } catch (error) {
    out.destroy();
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
