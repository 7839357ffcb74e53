import { createHash } from 'node:crypto';
import type { Actor } from '../platform/access/actor.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction, type Tx } from '../platform/db/transaction.ts';
import { HttpProblem } from '../platform/http/problem.ts';
import { canonicalJson } from '../platform/ledger/canonical-json.ts';
import { jsonb } from './network-store.ts';

export type StoredResponse = { status: number; body: Record<string, unknown>; replayed: boolean };

class SameKeyInFlight extends Error {}

const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * Runs a state change at most once per Idempotency-Key and caller: the first success is stored in
 * the same transaction as the change, so a client retrying after a lost response gets the same
 * answer (and nothing twice). The same key with a different request is refused. A refused request
 * stores nothing: fixing the input and retrying with the same key is allowed.
 */
export async function idempotent(
  database: Database,
  actor: Actor,
  key: string | undefined,
  operation: string,
  request: unknown,
  work: (trx: Tx) => Promise<{ status: number; body: Record<string, unknown> }>,
): Promise<StoredResponse> {
  if (key === undefined) return { ...(await inTransaction(database, work)), replayed: false };
  if (!KEY.test(key))
    throw new HttpProblem(422, 'headers.idempotency-key: must be 1–200 letters, digits, or . _ : -', {
      errors: [{ field: 'headers.idempotency-key', reason: 'must be 1–200 letters, digits, or . _ : -' }],
    });
  const hash = hashOf(operation, request);
  const replay = () => storedAnswer(database, actor, key, hash);
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    const result = await inTransaction(database, async (trx) => {
      const done = await work(trx);
      const inserted = await trx
        .insertInto('scheduling_idempotency')
        .values({
          key,
          actor_id: actor.id,
          operation,
          request_hash: hash,
          status: done.status,
          response: jsonb(done.body),
        })
        .onConflict((oc) => oc.columns(['actor_id', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
      // The same key committed meanwhile by a concurrent request: undo this one, answer with that one.
      if (!inserted) throw new SameKeyInFlight();
      return done;
    });
    return { ...result, replayed: false };
  } catch (error) {
    if (!(error instanceof SameKeyInFlight)) throw error;
    const stored = await replay();
    if (!stored) throw new HttpProblem(409, 'A request with the same Idempotency-Key is in progress; retry.');
    return stored;
  }
}

const hashOf = (operation: string, request: unknown) =>
  createHash('sha256')
    .update(canonicalJson({ operation, request: request ?? null }))
    .digest('hex');

/**
 * The stored answer to this caller's key, if the request was already done: routes that prepare
 * (read, search) before their transaction ask first, so a retry replays instead of re-deciding.
 */
export async function replayOf(
  database: Database,
  actor: Actor,
  key: string | undefined,
  operation: string,
  request: unknown,
): Promise<StoredResponse | undefined> {
  if (key === undefined || !KEY.test(key)) return undefined;
  return storedAnswer(database, actor, key, hashOf(operation, request));
}

async function storedAnswer(
  database: Database,
  actor: Actor,
  key: string,
  hash: string,
): Promise<StoredResponse | undefined> {
  const stored = await database.db
    .selectFrom('scheduling_idempotency')
    .selectAll()
    .where('actor_id', '=', actor.id)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!stored) return undefined;
  if (stored.request_hash !== hash)
    throw new HttpProblem(
      422,
      `The Idempotency-Key "${key}" was already used for a different request (${stored.operation}); use a new key for a new request.`,
      { errors: [{ field: 'headers.idempotency-key', reason: 'already used for a different request' }] },
    );
  return { status: stored.status, body: stored.response as Record<string, unknown>, replayed: true };
}
