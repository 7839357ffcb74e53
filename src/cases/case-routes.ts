import { z } from 'zod';
import { recordPhiAccess } from '../patients/patient-store.ts';
import { actorOf } from '../platform/access/access-hook.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/app-type.ts';
import { HttpProblem, notFound } from '../platform/http/problem.ts';
import { verifyCaseStepSigner } from '../signatures/case-step-signer.ts';
import { THERAPY_TYPES } from '../therapy/template-schema.ts';
import { caseDetail, listCases } from './case-queries.ts';
import { type CaseRefusal, openCase, runCaseCommand, type StaffActor } from './case-store.ts';

const tags = ['cases'];
const uuid = z.string().uuid();
const CASE_STATUSES = ['active', 'on_hold', 'quarantined', 'closed', 'cancelled', 'completed'] as const;

const currentStep = z.object({
  key: z.string(),
  title: z.string(),
  stage: z.string(),
  openedAt: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
});
export const caseSummarySchema = z.object({
  id: z.string(),
  reference: z.string().describe('shown instead of the patient’s name to those not entitled to it'),
  patientLabel: z.string(),
  templateCode: z.string(),
  templateVersion: z.number().int(),
  therapyType: z.string(),
  status: z.enum(CASE_STATUSES),
  treatmentCentre: z.object({ id: z.string(), name: z.string() }),
  openedAt: z.string(),
  currentSteps: z.array(currentStep),
  waitingFor: z.string(),
});
const person = z.object({ userId: z.string(), name: z.string(), partnerName: z.string(), role: z.string() });
const openStep = z.looseObject({
  key: z.string(),
  title: z.string(),
  stage: z.string(),
  attempt: z.number().int(),
  openedAt: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  responsible: z.object({
    partnerType: z.string(),
    partnerId: z.string().nullable(),
    partnerName: z.string(),
    role: z.string(),
  }),
  waitingFor: z.looseObject({
    fields: z.array(
      z.looseObject({
        key: z.string(),
        label: z.string(),
        type: z.string(),
        unit: z.string().optional(),
        required: z.boolean(),
      }),
    ),
    tasks: z.array(
      z.looseObject({ key: z.string(), title: z.string(), role: z.string(), done: z.boolean() }),
    ),
    approvals: z.array(z.looseObject({ role: z.string(), needed: z.number(), given: z.number() })),
    signatures: z.looseObject({ required: z.number(), given: z.number(), recordHash: z.string().optional() }),
    custody: z.boolean(),
  }),
});
export const caseDetailSchema = z.object({
  case: caseSummarySchema,
  openSteps: z.array(openStep),
  openExceptions: z.array(z.looseObject({ exceptionId: z.string(), step: z.string(), code: z.string() })),
  timeline: z.array(
    z.object({
      seq: z.number().int(),
      at: z.string(),
      type: z.string(),
      summary: z.string(),
      by: person.nullable(),
    }),
  ),
  heldBy: z
    .object({
      partnerName: z.string(),
      role: z.string(),
      since: z.string(),
      waitingMinutes: z.number().int(),
    })
    .nullable(),
});

/** Maps an engine refusal to its problem: 422 naming fields, 403, 404 or 409 with what is missing. */
export function refusalProblem(error: CaseRefusal): HttpProblem {
  switch (error.kind) {
    case 'not_found':
      return notFound('The case');
    case 'invalid_input':
      return new HttpProblem(422, error.fields.map((f) => `${f.field}: ${f.reason}`).join('; '), {
        errors: error.fields,
      });
    case 'forbidden':
      return new HttpProblem(403, error.reason);
    case 'conflict':
      return new HttpProblem(
        409,
        error.reason,
        error.missing ? { extensions: { missing: error.missing } } : {},
      );
  }
}

async function detailOrThrow(
  database: Database,
  actor: StaffActor,
  caseId: string,
  now: Date,
  route: string,
  requestId: string,
) {
  const found = await caseDetail(database.db, actor, caseId, now);
  if (!found) throw notFound('The case');
  await recordPhiAccess(database.db, {
    actor,
    patientIds: found.patientIdsShown,
    action: 'case.viewed',
    route,
    requestId,
  });
  return found.detail;
}

/** Cases: open, list, read, and every command of the engine, each scoped to the caller's partner. */
export function registerCaseRoutes(app: App, database: Database, now: () => Date): void {
  app.post(
    '/api/cases',
    {
      config: { access: { permission: 'cases:open' } },
      schema: {
        summary: 'Open a case for a patient on the latest published version of a therapy template',
        tags,
        body: z.object({
          patientId: uuid,
          templateCode: z.string().min(1).max(100),
          treatmentCentrePartnerId: uuid,
          country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
          siteId: z.string().min(1).max(200).optional(),
          caseOwnerUserId: uuid,
          parties: z.object({
            collectionCentrePartnerId: uuid,
            manufacturingPartnerId: uuid,
            courierPartnerId: uuid,
            laboratoryPartnerId: uuid.optional(),
          }),
        }),
        response: { 201: z.object({ case: caseSummarySchema }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const at = now();
      const result = await inTransaction(database, (trx) => openCase(trx, actor, request.body, at));
      if (!result.ok) throw refusalProblem(result.error);
      const detail = await detailOrThrow(
        database,
        actor,
        result.caseId,
        at,
        'POST /api/cases',
        String(request.id),
      );
      reply.code(201);
      return { case: detail.case };
    },
  );

  app.get(
    '/api/cases',
    {
      config: { access: { permission: 'cases:read' } },
      schema: {
        summary: 'The cases your partner takes part in, newest first',
        tags,
        querystring: z.object({
          therapyType: z.enum(THERAPY_TYPES).optional(),
          stage: z.string().min(1).max(64).optional(),
          partnerId: uuid.optional(),
          siteId: z.string().min(1).max(200).optional(),
          overdue: z.enum(['true', 'false']).optional(),
          status: z.enum(CASE_STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(200),
        }),
        response: { 200: z.object({ cases: z.array(caseSummarySchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { overdue, ...filters } = request.query;
      const result = await listCases(database.db, actor, { ...filters, overdue: overdue === 'true' }, now());
      await recordPhiAccess(database.db, {
        actor,
        patientIds: result.patientIdsShown,
        action: 'case.listed',
        route: 'GET /api/cases',
        requestId: String(request.id),
      });
      return { cases: result.cases as z.infer<typeof caseSummarySchema>[] };
    },
  );

  app.get(
    '/api/cases/:id',
    {
      config: { access: { permission: 'cases:read' } },
      schema: {
        summary: 'One case: open steps and what each waits for, the timeline, and who holds it now',
        tags,
        params: z.object({ id: uuid }),
        response: { 200: caseDetailSchema },
      },
    },
    async (request) =>
      (await detailOrThrow(
        database,
        actorOf(request),
        request.params.id,
        now(),
        'GET /api/cases/:id',
        String(request.id),
      )) as z.infer<typeof caseDetailSchema>,
  );

  app.post(
    '/api/cases/:id/commands',
    {
      config: { access: { permission: 'cases:work' } },
      schema: {
        summary:
          'Run a command on a case (complete_task, give_approval, record_signature, confirm_custody, complete_step, raise_exception, take_branch, hold_case, resume_case, close_case). Optional expectedSeq: refused with 409 when the case has moved on. record_signature is an electronic signature: it carries `signature: { password, oneTimeCode? }` and is bound to the step record hash.',
        tags,
        params: z.object({ id: uuid }),
        body: z.looseObject({ type: z.string().min(1), expectedSeq: z.number().int().min(1).optional() }),
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      // Signing re-checks the password (and one-time code) first, outside the transaction: argon2id
      // is slow by design and must not hold the case lock while it runs.
      const signer =
        request.body.type === 'record_signature'
          ? await verifyCaseStepSigner(database, actor, request.params.id, request.body, now())
          : undefined;
      const at = now();
      const result = await inTransaction(database, (trx) =>
        runCaseCommand(trx, actor, request.params.id, request.body as never, at, signer ? { signer } : {}),
      );
      if (!result.ok) throw refusalProblem(result.error);
      return (await detailOrThrow(
        database,
        actor,
        result.caseId,
        at,
        'POST /api/cases/:id/commands',
        String(request.id),
      )) as z.infer<typeof caseDetailSchema>;
    },
  );
}
