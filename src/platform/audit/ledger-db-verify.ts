import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { ChainVerifier } from '../ledger/chain-verify.ts';
import { type Checkpoint, verifyCheckpoint } from '../ledger/checkpoint.ts';
import { MerkleAccumulator } from '../ledger/merkle-tree.ts';
import { listCheckpoints } from './checkpointer.ts';
import { rowToEntry } from './ledger-rows.ts';

export type LedgerProblem = {
  entryId?: string;
  stream?: string;
  seq?: number;
  leafIndex?: number;
  reason: string;
};
export type LedgerVerification =
  | { ok: true; entries: number; streams: number; checkpoints: number; uncheckpointed: number }
  | { ok: false; problem: LedgerProblem; entriesChecked: number };
export type LedgerProgress = (done: number, total: number, phase: 'chains' | 'checkpoints') => void;

const BATCH = 5_000;

/**
 * Re-derives everything from the stored columns: each stream's hash chain (any changed field,
 * missing or reordered entry breaks it), then the Merkle roots of every checkpoint and their
 * signatures (a deleted last entry, a rewritten chain or a moved leaf breaks those).
 */
export async function verifyLedgerInDatabase(
  database: Database,
  options: { onProgress?: LedgerProgress; trustedPublicKeyPem?: string } = {},
): Promise<LedgerVerification> {
  const { db } = database;
  const progress = options.onProgress ?? (() => {});
  const { total } = (await db
    .selectFrom('ledger_entries')
    .select(sql<number>`count(*)::int`.as('total'))
    .executeTakeFirstOrThrow()) as { total: number };

  const chains = new ChainVerifier();
  let after: { stream: string; seq: number } | null = null;
  for (;;) {
    let query = db.selectFrom('ledger_entries').selectAll().orderBy('stream').orderBy('seq').limit(BATCH);
    if (after) {
      const { stream, seq } = after;
      query = query.where((eb) =>
        eb.or([eb('stream', '>', stream), eb.and([eb('stream', '=', stream), eb('seq', '>', seq)])]),
      );
    }
    const rows = await query.execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const broken = chains.add(rowToEntry(row));
      if (broken)
        return {
          ok: false,
          entriesChecked: chains.entries,
          problem: { entryId: broken.entryId, stream: broken.stream, seq: broken.seq, reason: broken.reason },
        };
    }
    const last = rows[rows.length - 1] as { stream: string; seq: number };
    after = { stream: last.stream, seq: last.seq };
    progress(chains.entries, total, 'chains');
  }

  const checkpoints = await listCheckpoints(db);
  const keys = new Map(
    (await db.selectFrom('ledger_keys').select(['key_id', 'public_key_pem']).execute()).map((k) => [
      k.key_id,
      k.public_key_pem,
    ]),
  );
  const problem = await verifyCheckpoints(database, checkpoints, keys, options.trustedPublicKeyPem, (done) =>
    progress(done, total, 'checkpoints'),
  );
  if (problem) return { ok: false, problem, entriesChecked: chains.entries };
  const { leaves } = (await db
    .selectFrom('ledger_leaves')
    .select(sql<number>`count(*)::int`.as('leaves'))
    .executeTakeFirstOrThrow()) as { leaves: number };
  return {
    ok: true,
    entries: chains.entries,
    streams: chains.streams,
    checkpoints: checkpoints.length,
    uncheckpointed: chains.entries - leaves,
  };
}

async function verifyCheckpoints(
  database: Database,
  checkpoints: Checkpoint[],
  keys: Map<string, string>,
  trustedPublicKeyPem: string | undefined,
  progress: (done: number) => void,
): Promise<LedgerProblem | null> {
  const tree = new MerkleAccumulator();
  let next = 0;
  let expectedIndex = 0;
  const lastSize = checkpoints.at(-1)?.treeSize ?? 0;
  for (;;) {
    const rows = await database.db
      .selectFrom('ledger_leaves as l')
      .leftJoin('ledger_entries as e', 'e.id', 'l.entry_id')
      .select(['l.leaf_index', 'l.entry_id', 'e.hash'])
      .where('l.leaf_index', '>=', expectedIndex)
      .orderBy('l.leaf_index')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      if (row.leaf_index !== expectedIndex)
        return {
          leafIndex: expectedIndex,
          reason: `leaf ${expectedIndex} is missing from the tree: an entry was removed`,
        };
      if (!row.hash)
        return {
          leafIndex: row.leaf_index,
          entryId: row.entry_id,
          reason: `leaf ${row.leaf_index} refers to entry ${row.entry_id}, which no longer exists`,
        };
      tree.appendHex(row.hash);
      expectedIndex++;
      while (next < checkpoints.length && (checkpoints[next] as Checkpoint).treeSize === tree.size) {
        const problem = checkCheckpoint(
          checkpoints[next] as Checkpoint,
          tree.rootHex(),
          keys,
          trustedPublicKeyPem,
        );
        if (problem) return problem;
        next++;
      }
    }
    progress(expectedIndex);
    if (rows.length < BATCH) break;
  }
  if (next < checkpoints.length)
    return {
      leafIndex: expectedIndex,
      reason: `checkpoint at tree size ${(checkpoints[next] as Checkpoint).treeSize} covers more entries than the ${expectedIndex} in the tree: entries were removed`,
    };
  if (expectedIndex < lastSize) return { reason: 'the tree is smaller than its last checkpoint' };
  return null;
}

function checkCheckpoint(
  checkpoint: Checkpoint,
  rootHex: string,
  keys: Map<string, string>,
  trustedPublicKeyPem: string | undefined,
): LedgerProblem | null {
  const where = `checkpoint at tree size ${checkpoint.treeSize}`;
  if (checkpoint.rootHash !== rootHex)
    return {
      leafIndex: checkpoint.treeSize - 1,
      reason: `${where}: the entries no longer produce its signed root (an entry, or the leaf order, was changed)`,
    };
  const publicKeyPem = trustedPublicKeyPem ?? keys.get(checkpoint.keyId);
  if (!publicKeyPem) return { reason: `${where}: signed by unknown key ${checkpoint.keyId}` };
  const check = verifyCheckpoint(checkpoint, publicKeyPem);
  if (!check.ok) return { reason: `${where}: ${check.reason}` };
  return null;
}
