import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { type Checkpoint, signCheckpoint } from '../ledger/checkpoint.ts';
import { ledgerTimestamp } from '../ledger/ledger-entry.ts';
import { MerkleAccumulator } from '../ledger/merkle-tree.ts';
import type { Logger } from '../logger.ts';
import type { InstallationKey } from './installation-key.ts';

const CHECKPOINT_LOCK = 7_240_221_002; // one checkpointer at a time across all processes
const BATCH = 5_000;

/** The leaf hashes of the tree, in leaf order, read in batches. */
export async function* leafHashes(
  db: Database['db'] | Tx,
  upTo = Number.MAX_SAFE_INTEGER,
): AsyncGenerator<string> {
  let from = 0;
  while (from < upTo) {
    const rows = await db
      .selectFrom('ledger_leaves as l')
      .innerJoin('ledger_entries as e', 'e.id', 'l.entry_id')
      .select(['l.leaf_index', 'e.hash'])
      .where('l.leaf_index', '>=', from)
      .where('l.leaf_index', '<', Math.min(upTo, from + BATCH))
      .orderBy('l.leaf_index')
      .execute();
    if (rows.length === 0) return;
    for (const row of rows) yield row.hash;
    from += BATCH;
  }
}

/**
 * Folds every entry not yet in the tree into it (in commit-visible order), and signs the new root.
 * Returns null when nothing was appended since the last checkpoint.
 */
export async function createCheckpoint(
  database: Database,
  key: InstallationKey,
  now = new Date(),
): Promise<Checkpoint | null> {
  return inTransaction(database, async (trx) => {
    await sql`select pg_advisory_xact_lock(${CHECKPOINT_LOCK})`.execute(trx);
    const pending = await trx
      .selectFrom('ledger_entries as e')
      .leftJoin('ledger_leaves as l', 'l.entry_id', 'e.id')
      .where('l.entry_id', 'is', null)
      .select(['e.id', 'e.hash'])
      .orderBy('e.position')
      .execute();
    if (pending.length === 0) return null;
    const tree = await treeSoFar(trx);
    for (let i = 0; i < pending.length; i += BATCH)
      await trx
        .insertInto('ledger_leaves')
        .values(
          pending.slice(i, i + BATCH).map((row, j) => ({ leaf_index: tree.size + i + j, entry_id: row.id })),
        )
        .execute();
    for (const row of pending) tree.appendHex(row.hash);
    const checkpoint = signCheckpoint(
      { origin: key.origin, treeSize: tree.size, rootHash: tree.rootHex(), issuedAt: ledgerTimestamp(now) },
      key.privateKeyPem,
    );
    await trx
      .insertInto('ledger_checkpoints')
      .values({
        tree_size: checkpoint.treeSize,
        root_hash: checkpoint.rootHash,
        issued_at: new Date(checkpoint.issuedAt),
        origin: checkpoint.origin,
        key_id: checkpoint.keyId,
        signature: checkpoint.signature,
        frontier: tree.frontier(),
      })
      .execute();
    return checkpoint;
  });
}

/**
 * The tree as of the last checkpoint, from its stored frontier: each checkpoint then costs the new
 * entries, not the whole ledger. Rebuilt from the leaves if the frontier does not match them.
 */
async function treeSoFar(trx: Tx): Promise<MerkleAccumulator> {
  const { size } = (await trx
    .selectFrom('ledger_leaves')
    .select(sql<number>`count(*)::int`.as('size'))
    .executeTakeFirstOrThrow()) as { size: number };
  const last = await trx
    .selectFrom('ledger_checkpoints')
    .select('frontier')
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last && last.frontier.size === size) return MerkleAccumulator.fromFrontier(last.frontier);
  const tree = new MerkleAccumulator();
  for await (const hash of leafHashes(trx)) tree.appendHex(hash);
  return tree;
}

export async function listCheckpoints(db: Database['db']): Promise<Checkpoint[]> {
  const rows = await db.selectFrom('ledger_checkpoints').selectAll().orderBy('tree_size').execute();
  return rows.map((row) => ({
    origin: row.origin,
    treeSize: row.tree_size,
    rootHash: row.root_hash,
    issuedAt: row.issued_at.toISOString(),
    keyId: row.key_id,
    signature: row.signature,
  }));
}

/** Checkpoints on a timer, so what is written is sealed within `intervalMs` without anyone asking. */
export function startCheckpointTimer(
  database: Database,
  key: InstallationKey,
  intervalMs: number,
  logger: Logger,
) {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => createCheckpoint(database, key))
      .then((checkpoint) => {
        if (checkpoint) logger.info({ treeSize: checkpoint.treeSize }, 'ledger checkpoint signed');
      })
      .catch((error) => logger.error({ err: error }, 'ledger checkpoint failed'));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    /** Stops the timer and seals what was written since the last checkpoint. */
    async stop() {
      clearInterval(timer);
      tick();
      await running;
    },
  };
}
