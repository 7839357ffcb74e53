import { createCheckpoint, leafHashes } from '../../platform/audit/checkpointer.ts';
import type { InstallationKey } from '../../platform/audit/installation-key.ts';
import { rowToEntry } from '../../platform/audit/ledger-rows.ts';
import type { Database } from '../../platform/db/database.ts';
import { inclusionProofs } from '../../platform/ledger/batch-inclusion.ts';
import type { Checkpoint } from '../../platform/ledger/checkpoint.ts';
import type { EntryProof } from '../../platform/ledger/proof-bundle.ts';
import type { DossierLedger } from './dossier-file.ts';

export class DossierLedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DossierLedgerError';
  }
}

async function latestCheckpoint(database: Database): Promise<Checkpoint | undefined> {
  const row = await database.db
    .selectFrom('ledger_checkpoints')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row
    ? {
        origin: row.origin,
        treeSize: row.tree_size,
        rootHash: row.root_hash,
        issuedAt: row.issued_at.toISOString(),
        keyId: row.key_id,
        signature: row.signature,
      }
    : undefined;
}

async function readStreams(database: Database, streams: string[]) {
  if (streams.length === 0) return [];
  return database.db
    .selectFrom('ledger_entries as e')
    .leftJoin('ledger_leaves as l', 'l.entry_id', 'e.id')
    .selectAll('e')
    .select('l.leaf_index')
    .where('e.stream', 'in', streams)
    .orderBy('e.stream')
    .orderBy('e.seq')
    .execute();
}

/**
 * Everything the dossier file needs from the ledger: each stream complete from its first entry, the
 * newest signed checkpoint, and an inclusion proof for every entry. If the newest entries are not yet
 * under a checkpoint one is signed now (through the checkpointer, like the periodic one), so the
 * file never waits for the timer and every entry in it is proven.
 */
export async function collectDossierLedger(
  database: Database,
  streams: string[],
  key: InstallationKey,
  now = new Date(),
): Promise<DossierLedger> {
  const unique = [...new Set(streams)];
  let rows = await readStreams(database, unique);
  if (rows.some((row) => row.leaf_index === null)) {
    await createCheckpoint(database, key, now);
    const read = new Set(rows.map((row) => row.id));
    // Entries appended meanwhile are left out: the dossier is as of the first read.
    const reread = await readStreams(database, unique);
    const byId = new Map(reread.map((row) => [row.id, row]));
    rows = rows.map((row) => byId.get(row.id) ?? row).filter((row) => read.has(row.id));
  }
  const checkpoint = await latestCheckpoint(database);
  // Only possible for streams with no entries in a ledger that has never been written to.
  if (!checkpoint) throw new DossierLedgerError('the ledger has no signed checkpoint yet');
  if (checkpoint.keyId !== key.keyId) {
    throw new DossierLedgerError(
      `the newest checkpoint is signed by key ${checkpoint.keyId}, not by this installation's key ${key.keyId}`,
    );
  }
  const effective = checkpoint;
  const indices: number[] = [];
  for (const row of rows) {
    if (row.leaf_index === null || row.leaf_index >= effective.treeSize) {
      throw new DossierLedgerError(`entry ${row.id} is not under the newest checkpoint`);
    }
    indices.push(row.leaf_index);
  }
  const proofs = new Map<string, EntryProof>();
  if (rows.length > 0) {
    const leaves: Buffer[] = [];
    for await (const hash of leafHashes(database.db, effective.treeSize))
      leaves.push(Buffer.from(hash, 'hex'));
    const paths = inclusionProofs(leaves, indices, effective.treeSize);
    for (const row of rows) {
      const leafIndex = row.leaf_index as number;
      if (leaves[leafIndex]?.toString('hex') !== row.hash) {
        throw new DossierLedgerError(
          `leaf ${leafIndex} does not hold entry ${row.id}: the ledger is damaged`,
        );
      }
      proofs.set(row.id, {
        leafIndex,
        proof: (paths.get(leafIndex) ?? []).map((node) => node.toString('hex')),
      });
    }
  }
  return {
    origin: key.origin,
    publicKeyPem: key.publicKeyPem,
    streams: unique,
    entries: rows.map(rowToEntry),
    checkpoint: effective,
    proofs,
  };
}
