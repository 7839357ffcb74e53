import type { Database } from '../db/database.ts';
import type { Checkpoint } from '../ledger/checkpoint.ts';
import type { LedgerEntry } from '../ledger/ledger-entry.ts';
import { inclusionProof } from '../ledger/merkle-tree.ts';
import { leafHashes, listCheckpoints } from './checkpointer.ts';
import { rowToEntry } from './ledger-rows.ts';

export type InclusionProof = {
  entry: LedgerEntry;
  leafIndex: number;
  checkpoint: Checkpoint;
  proof: string[];
};

/**
 * The RFC 9162 audit path from an entry to the latest signed checkpoint: with it, anyone holding
 * the installation's public key can check this entry is in the ledger without seeing the rest.
 * Null when the entry does not exist or is not yet under a checkpoint.
 */
export async function inclusionProofFor(database: Database, entryId: string): Promise<InclusionProof | null> {
  const row = await database.db
    .selectFrom('ledger_entries as e')
    .innerJoin('ledger_leaves as l', 'l.entry_id', 'e.id')
    .selectAll('e')
    .select('l.leaf_index')
    .where('e.id', '=', entryId)
    .executeTakeFirst();
  if (!row) return null;
  const checkpoint = (await listCheckpoints(database.db)).at(-1);
  if (!checkpoint || checkpoint.treeSize <= row.leaf_index) return null;
  const leaves: Buffer[] = [];
  for await (const hash of leafHashes(database.db, checkpoint.treeSize))
    leaves.push(Buffer.from(hash, 'hex'));
  const proof = inclusionProof(leaves, row.leaf_index, checkpoint.treeSize).map((node) =>
    node.toString('hex'),
  );
  return { entry: rowToEntry(row), leafIndex: row.leaf_index, checkpoint, proof };
}
