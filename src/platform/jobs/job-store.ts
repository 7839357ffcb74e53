import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { systemActor } from '../access/actor.ts';
import { appendLedgerEntry } from '../audit/ledger-writer.ts';
import type { Schema } from '../db/schema.ts';
import type { Tx } from '../db/transaction.ts';
import { checkJobInput, DEFAULT_MAX_ATTEMPTS, type FailureOutcome } from './job-rules.ts';
import type { JobStatus, JobTables, JsonObject } from './job-tables.ts';
import { jsonbValue } from './jsonb-value.ts';

export type JobRow = Selectable<JobTables['jobs']>;

export type NewJob = {
  kind: string;
  payload?: JsonObject;
  /** When the job becomes due; a future time makes it a timer. Default: now (at commit). */
  runAt?: Date;
  /** Work that must exist once (e.g. `case:<id>:escalate:<step>`): a second enqueue returns the first job. */
  dedupeKey?: string;
  maxAttempts?: number;
};

const SYSTEM = systemActor('job-runner');
const stream = (jobId: string) => `job:${jobId}`;

/**
 * Adds a job inside the caller's business transaction, so the job exists exactly when the change
 * that asks for it commits. With a dedupe key already taken, nothing is written and the existing
 * job is returned (`created: false`).
 */
export async function enqueueJob(trx: Tx, job: NewJob): Promise<{ id: string; created: boolean }> {
  const payload = jsonbValue(job.payload ?? {});
  checkJobInput({
    kind: job.kind,
    payloadBytes: payload.bytes,
    runAt: job.runAt,
    dedupeKey: job.dedupeKey,
    maxAttempts: job.maxAttempts,
  });
  const id = randomUUID();
  const inserted = await trx
    .insertInto('jobs')
    .values({
      id,
      kind: job.kind,
      payload: payload.value,
      run_at: job.runAt ?? sql<Date>`now()`,
      max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      dedupe_key: job.dedupeKey ?? null,
    })
    .onConflict((oc) => oc.column('dedupe_key').where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id, created: true };
  // A concurrent enqueue of the same key waited for the first to commit, so the row is visible now.
  const existing = await trx
    .selectFrom('jobs')
    .select('id')
    .where('dedupe_key', '=', job.dedupeKey ?? '')
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

const millis = (ms: number) => sql`(${Math.round(ms)}::int * interval '1 millisecond')`;

/**
 * Claims up to `limit` due jobs for this process under a lease: queued jobs whose time has come,
 * and running jobs whose lease expired (their process died). SKIP LOCKED lets processes claim side
 * by side without waiting for each other, and skips a job whose handler is still running (its
 * transaction holds the row), whatever its lease says. Kinds this process has no handler for are
 * left to other processes (a rolling upgrade) for `unknownKindGraceMs`, then claimed to be
 * dead-lettered.
 */
export async function claimJobs(
  db: Kysely<Schema>,
  claim: { processId: string; limit: number; leaseMs: number; kinds: string[]; unknownKindGraceMs: number },
): Promise<JobRow[]> {
  if (claim.limit <= 0) return [];
  const known = claim.kinds.length > 0 ? sql`kind in (${sql.join(claim.kinds)})` : sql`false`;
  const { rows } = await sql<JobRow>`
    with next as materialized (
      select id from jobs
      where ((status = 'queued' and run_at <= now()) or (status = 'running' and locked_until < now()))
        and (${known} or run_at <= now() - ${millis(claim.unknownKindGraceMs)})
      order by run_at
      limit ${claim.limit}::int
      for update skip locked
    )
    update jobs
    set status = 'running', locked_by = ${claim.processId}, locked_until = now() + ${millis(claim.leaseMs)},
      attempts = jobs.attempts + 1, updated_at = now()
    from next
    where jobs.id = next.id
    returning jobs.*`.execute(db);
  return rows;
}

type Attempt = { id: string; attempts: number };

/**
 * First statement of the transaction in which a handler runs: marks the job done and so locks its
 * row until that transaction ends. Fenced by (process, attempt): false means another process took
 * the job over after this one's lease expired, and this attempt must not run.
 */
export async function completeAttempt(trx: Tx, attempt: Attempt, processId: string): Promise<boolean> {
  const row = await trx
    .updateTable('jobs')
    .set({ status: 'done', done_at: sql<Date>`now()`, locked_until: null, updated_at: sql<Date>`now()` })
    .where('id', '=', attempt.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', processId)
    .where('attempts', '=', attempt.attempts)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Last statement of the handler's transaction: done_at says when the work finished, not when it began. */
export async function stampCompletion(trx: Tx, id: string): Promise<void> {
  await trx
    .updateTable('jobs')
    .set({ done_at: sql<Date>`clock_timestamp()`, updated_at: sql<Date>`clock_timestamp()` })
    .where('id', '=', id)
    .execute();
}

/** Keeps a claimed job this process's while work outside the database runs (the heartbeat). */
export async function extendLease(
  db: Kysely<Schema>,
  attempt: Attempt,
  processId: string,
  leaseMs: number,
): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set({ locked_until: sql<Date>`now() + ${millis(leaseMs)}`, updated_at: sql<Date>`now()` })
    .where('id', '=', attempt.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', processId)
    .where('attempts', '=', attempt.attempts)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a failed attempt: back to the queue after the backoff, or dead-lettered with a ledger
 * entry. Fenced like completeAttempt; returns the new status, or undefined if the job was taken over.
 */
export async function recordFailedAttempt(
  trx: Tx,
  job: Attempt & { kind: string },
  processId: string,
  outcome: FailureOutcome,
  error: string,
): Promise<JobStatus | undefined> {
  const row = await trx
    .updateTable('jobs')
    .set({
      status: outcome.status,
      ...(outcome.status === 'queued' ? { run_at: sql<Date>`now() + ${millis(outcome.delayMs)}` } : {}),
      last_error: error,
      locked_until: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', processId)
    .where('attempts', '=', job.attempts)
    .returning(['id', 'status'])
    .executeTakeFirst();
  if (!row) return undefined;
  if (outcome.status === 'dead')
    await appendLedgerEntry(trx, {
      stream: stream(job.id),
      actor: SYSTEM,
      action: 'job.dead_lettered',
      recordType: 'job',
      recordId: job.id,
      before: { status: 'running', kind: job.kind, attempts: job.attempts },
      after: { status: 'dead', kind: job.kind, attempts: job.attempts, lastError: error },
      reason: 'no attempts left; an administrator can retry it',
    });
  return row.status;
}

/**
 * The embedded database has one process (its data folder is claimed), so at start every job still
 * marked running was interrupted by the previous process stopping: it is due again at once instead
 * of waiting for its lease. Never used on a PostgreSQL server, where other processes may be alive.
 */
export async function requeueInterruptedJobs(db: Kysely<Schema>): Promise<number> {
  const rows = await db
    .updateTable('jobs')
    .set({
      status: 'queued',
      run_at: sql<Date>`now()`,
      locked_until: null,
      last_error: 'interrupted: the process stopped during this attempt',
      updated_at: sql<Date>`now()`,
    })
    .where('status', '=', 'running')
    .returning('id')
    .execute();
  return rows.length;
}

export async function listJobs(
  db: Kysely<Schema>,
  filter: { status?: JobStatus | undefined; limit: number },
): Promise<JobRow[]> {
  let query = db.selectFrom('jobs').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.orderBy('updated_at', 'desc').orderBy('id').limit(filter.limit).execute();
}

export async function findJob(db: Kysely<Schema>, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export class JobNotFoundError extends Error {}
export class JobNotDeadError extends Error {
  constructor(readonly status: JobStatus) {
    super(`only a dead job can be retried; this job is ${status}`);
  }
}

/**
 * An administrator sends a dead job back to the queue, due now, with a fresh attempt budget (the
 * ledger keeps the history). Attributed to the administrator, with their reason.
 */
export async function retryDeadJob(trx: Tx, id: string, actor: Actor, reason: string): Promise<JobRow> {
  const job = await trx.selectFrom('jobs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!job) throw new JobNotFoundError(`job ${id} does not exist`);
  if (job.status !== 'dead') throw new JobNotDeadError(job.status);
  const retried = await trx
    .updateTable('jobs')
    .set({
      status: 'queued',
      run_at: sql<Date>`now()`,
      attempts: 0,
      locked_until: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendLedgerEntry(trx, {
    stream: stream(id),
    actor,
    action: 'job.retried',
    recordType: 'job',
    recordId: id,
    before: { status: 'dead', kind: job.kind, attempts: job.attempts, lastError: job.last_error },
    after: { status: 'queued', kind: job.kind, attempts: 0 },
    reason,
  });
  return retried;
}
