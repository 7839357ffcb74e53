import { z } from 'zod';
import { recordPhiAccess } from '../patients/patient-store.ts';
import { actorOf } from '../platform/access/access-hook.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/app-type.ts';
import { HttpProblem, notFound } from '../platform/http/problem.ts';
import { loadCase, patientEntitled } from './case-store.ts';
import { claimWork, listWork, reassignWork, type WorkResult } from './work-queue-store.ts';

const tags = ['work queue'];
const access = { access: { permission: 'cases:work' } } as const;
const itemParams = z.object({
  caseId: z.string().uuid(),
  step: z.string().min(1).max(64),
  taskKey: z.string().min(1).max(100),
});

const workTask = z.object({
  caseId: z.string(),
  patientLabel: z.string(),
  therapyType: z.string(),
  step: z.string(),
  stepTitle: z.string(),
  taskKey: z.string(),
  taskTitle: z.string(),
  role: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  claimedBy: z.object({ userId: z.string(), name: z.string() }).nullable(),
});

function problemOf(result: WorkResult): HttpProblem | null {
  if (result.ok) return null;
  const { error } = result;
  if (error.kind === 'not_found') return notFound('The work item');
  if (error.kind === 'invalid_input')
    return new HttpProblem(422, `${error.field}: ${error.reason}`, {
      errors: [{ field: error.field ?? 'body', reason: error.reason }],
    });
  return new HttpProblem(error.kind === 'forbidden' ? 403 : 409, error.reason);
}

/** "My work": the tasks for the caller's roles at the caller's partner; claim and reassign. */
export function registerWorkQueueRoutes(app: App, database: Database, now: () => Date): void {
  app.get(
    '/api/work',
    {
      config: access,
      schema: {
        summary: 'Your work: open tasks for your roles and partner, soonest due first',
        tags,
        response: { 200: z.object({ tasks: z.array(workTask) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const result = await listWork(database.db, actor, patientEntitled(actor), now());
      await recordPhiAccess(database.db, {
        actor,
        patientIds: result.patientIdsShown,
        action: 'work.listed',
        route: 'GET /api/work',
        requestId: String(request.id),
      });
      return { tasks: result.tasks };
    },
  );

  const ok = z.object({ ok: z.literal(true) });
  app.post(
    '/api/work/:caseId/:step/:taskKey/claim',
    {
      config: access,
      schema: {
        summary: 'Claim a work item of your partner and role',
        tags,
        params: itemParams,
        response: { 200: ok },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const result = await inTransaction(database, async (trx) => {
        // Outside the caller's scope the case does not exist (404), whatever the item says.
        if (!(await loadCase(trx, actor, request.params.caseId)))
          return { ok: false, error: { kind: 'not_found', reason: '' } } as const;
        return claimWork(trx, actor, request.params, now());
      });
      const problem = problemOf(result);
      if (problem) throw problem;
      return { ok: true as const };
    },
  );

  app.post(
    '/api/work/:caseId/:step/:taskKey/reassign',
    {
      config: access,
      schema: {
        summary: 'Hand a work item to a colleague of your partner who holds its role, with a reason',
        tags,
        params: itemParams,
        body: z.object({
          toUserId: z.string().min(1).max(100),
          reason: z.string().trim().min(1, 'must say why').max(2000),
        }),
        response: { 200: ok },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const result = await inTransaction(database, async (trx) => {
        if (!(await loadCase(trx, actor, request.params.caseId)))
          return { ok: false, error: { kind: 'not_found', reason: '' } } as const;
        return reassignWork(trx, actor, request.params, request.body, now());
      });
      const problem = problemOf(result);
      if (problem) throw problem;
      return { ok: true as const };
    },
  );
}
