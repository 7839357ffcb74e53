import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Tx } from '../db/transaction.ts';
import type { Logger } from '../logger.ts';
import type { JsonObject } from './job-tables.ts';

/** A job as its handler sees it, claimed by this process for this attempt. */
export type ClaimedJob = {
  id: string;
  kind: string;
  payload: JsonObject;
  runAt: Date;
  /** This attempt's number, from 1. */
  attempts: number;
  maxAttempts: number;
  dedupeKey: string | null;
};

export type JobContext = { trx: Tx; logger: Logger };

/**
 * The usual handler: its work is database work, done in `trx`, the transaction that also marks the
 * job done. It commits once or not at all, so its effects happen exactly once even if the process
 * is killed mid-job (the killed attempt rolls back and a later attempt runs it again). Keep it
 * short: it holds the job's row, and on the embedded database the only connection.
 */
export type TransactionalJobHandler = (job: ClaimedJob, context: JobContext) => Promise<void>;

export type JobFailure = { error: string; dead: boolean };

/**
 * For work that leaves the database (SMTP, HTTP). `perform` runs outside any transaction, so no
 * connection waits on the network, while the runner extends the job's lease; it is at-least-once
 * (a crash after it succeeded and before `record` committed runs it again), so what it sends must
 * be recognisable as the same thing (a stable message id). `record` then writes the outcome in the
 * transaction that marks the job done; `onFailure` writes a failed attempt's outcome.
 */
export type ExternalJobHandler<Result> = {
  perform(job: ClaimedJob, context: { db: Kysely<Schema>; logger: Logger }): Promise<Result>;
  record(job: ClaimedJob, context: JobContext, result: Result): Promise<void>;
  onFailure?(job: ClaimedJob, context: JobContext, failure: JobFailure): Promise<void>;
};

export type JobHandler = TransactionalJobHandler | ExternalJobHandler<unknown>;

/** Handlers by job kind. A process runs only the kinds it has a handler for. */
export type JobHandlers = Record<string, JobHandler>;

/** Keeps `Result` checked between `perform` and `record` while storing the handler untyped. */
export function externalJobHandler<Result>(handler: ExternalJobHandler<Result>): JobHandler {
  return handler as ExternalJobHandler<unknown>;
}
