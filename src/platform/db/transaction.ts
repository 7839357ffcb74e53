import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.ts';
import type { Schema } from './schema.ts';

export type Tx = Transaction<Schema>;

// deadlock_detected, serialization_failure: PostgreSQL aborted the transaction; running it again
// from the start is always correct, so a user never sees them.
const RETRYABLE = new Set(['40P01', '40001']);

export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has((error as { code?: string })?.code ?? '');
}

/** Runs `work` in one transaction, retrying from scratch when PostgreSQL aborts it for a deadlock. */
export async function inTransaction<T>(
  database: Database | Kysely<Schema>,
  work: (trx: Tx) => Promise<T>,
  attempts = 5,
): Promise<T> {
  const db = 'db' in database ? database.db : database;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
