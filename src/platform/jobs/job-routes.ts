import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import type { Database } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { App } from '../http/app-type.ts';
import { HttpProblem, notFound } from '../http/problem.ts';
import {
  findJob,
  JobNotDeadError,
  JobNotFoundError,
  type JobRow,
  listJobs,
  retryDeadJob,
} from './job-store.ts';
import { JOB_STATUSES } from './job-tables.ts';

const jobSummary = z.object({
  id: z.string().uuid(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  runAt: z.string().describe('When the job is (or was) due, ISO 8601 UTC'),
  updatedAt: z.string().describe('Last change of status, ISO 8601 UTC'),
});

// The payload is not shown: it may carry identifiers of patients; the job's kind and error say enough.
function summaryOf(job: JobRow): z.infer<typeof jobSummary> {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    attempts: job.attempts,
    maxAttempts: job.max_attempts,
    lastError: job.last_error,
    runAt: job.run_at.toISOString(),
    updatedAt: job.updated_at.toISOString(),
  };
}

/**
 * The administrator behind the request, as access control established it. A permission route
 * always has one; if it ever had none, the change is refused rather than recorded unattributed.
 */
function actingAdministrator(request: FastifyRequest): Actor {
  if (!request.actor) throw new HttpProblem(401, 'Sign in to retry a job.');
  return request.actor;
}

export function registerJobRoutes(app: App, database: Database): void {
  app.get(
    '/api/admin/jobs',
    {
      config: { access: { permission: 'jobs:manage' } },
      schema: {
        summary: 'Background jobs and timers, most recently changed first (e.g. the dead-lettered ones)',
        tags: ['jobs'],
        querystring: z.object({
          status: z.enum(JOB_STATUSES).optional().describe('Only jobs in this status'),
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(500)
            .default(50)
            .describe('At most this many jobs (1–500)'),
        }),
        response: { 200: z.object({ jobs: z.array(jobSummary) }) },
      },
    },
    async (request) => {
      const jobs = await listJobs(database.db, { status: request.query.status, limit: request.query.limit });
      return { jobs: jobs.map(summaryOf) };
    },
  );

  app.post(
    '/api/admin/jobs/:id/retry',
    {
      config: { access: { permission: 'jobs:manage' } },
      schema: {
        summary: 'Send a dead-lettered job back to the queue, due now, with a fresh set of attempts',
        description:
          'Recorded in the ledger with the administrator and the reason. 409 if the job is not dead.',
        tags: ['jobs'],
        params: z.object({ id: z.string().uuid() }),
        body: z.object({
          reason: z
            .string()
            .trim()
            .min(1, 'must say why the job is retried')
            .max(1000)
            .describe('Why the job is retried (recorded in the ledger)'),
        }),
        response: { 200: z.object({ job: jobSummary }) },
      },
    },
    async (request) => {
      const actor = actingAdministrator(request);
      try {
        const job = await inTransaction(database, (trx) =>
          retryDeadJob(trx, request.params.id, actor, request.body.reason),
        );
        return { job: summaryOf(job) };
      } catch (error) {
        if (error instanceof JobNotFoundError) throw notFound('The job');
        if (error instanceof JobNotDeadError) {
          const current = await findJob(database.db, request.params.id);
          throw new HttpProblem(409, `Only a dead job can be retried; this job is ${error.status}.`, {
            extensions: current ? { job: summaryOf(current) } : {},
          });
        }
        throw error;
      }
    },
  );
}
