import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { actorOf } from '../platform/access/access-hook.ts';
import { type Actor, systemActor } from '../platform/access/actor.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/app-type.ts';
import { HttpProblem, invalidInput, notFound } from '../platform/http/problem.ts';
import {
  applyReplan,
  type BookingView,
  cancelBooking,
  confirmHold,
  decideSlotRequest,
  findBooking,
  listBookings,
  takeChain,
} from './booking-store.ts';
import { ChainUnavailable } from './capacity-units.ts';
import { chainViolations } from './chain-constraints.ts';
import { idempotent, replayOf } from './idempotency.ts';
import { jsonb } from './network-store.ts';
import { delayChain, replanChain } from './replan.ts';
import type { CapacityView, ChainStep, SlotChain, WorkType } from './scheduling-model.ts';
import { notifyPartner } from './scheduling-notifications.ts';
import type { ResolvedSubject, SchedulingService, SearchInput } from './scheduling-service.ts';
import { hoursOn, isDay, localTimeToUtcMs } from './site-calendar.ts';

const tags = ['scheduling'];
const uuid = z.string().uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD');

const chainStepSchema = z.object({
  stepKey: z.string(),
  workType: z.string(),
  siteId: z.string(),
  day: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  published: z.boolean(),
});
const chainSchema = z.object({
  steps: z.array(chainStepSchema),
  siteSetRank: z.number(),
  infusionDay: z.string(),
  plantLoad: z.number(),
});
const bookingSchema = z.object({
  id: z.string(),
  caseId: z.string().nullable(),
  caseRef: z.string().describe('the case reference; scheduling never shows a patient’s name'),
  treatmentCentreId: z.string(),
  therapyCode: z.string(),
  status: z.enum(['held', 'requested', 'booked', 'cancelled', 'expired', 'declined']),
  steps: z.array(chainStepSchema.extend({ state: z.enum(['held', 'booked']) })),
  holdExpiresAt: z.string().nullable(),
  revision: z.number().int(),
  statusReason: z.string().nullable(),
  slotRequests: z.array(
    z.object({
      id: z.string(),
      stepKey: z.string(),
      siteId: z.string(),
      status: z.string(),
      reason: z.string().nullable(),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const proposalSchema = z.looseObject({
  feasible: z.boolean(),
  reason: z.string().optional(),
  before: z.unknown(),
  after: z.unknown().optional(),
  changes: z.array(z.unknown()),
});

const preferencesSchema = z
  .object({
    plantIds: z.array(uuid).max(50).optional(),
    avoidSiteIds: z.array(uuid).max(200).optional(),
    latestInfusionDate: day.optional(),
    includeUnpublished: z.boolean().optional(),
  })
  .optional();
const subjectFields = {
  caseId: uuid.optional(),
  therapyCode: z.string().min(1).max(100).optional(),
  treatmentCentreId: uuid.optional(),
};
const searchBody = z.object({
  ...subjectFields,
  earliestDate: day,
  count: z.number().int().min(1).max(20).optional(),
  preferences: preferencesSchema,
  explain: z.boolean().optional(),
});
const takeBody = z.object({
  ...subjectFields,
  caseRef: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a case reference of letters, digits, . _ -')
    .optional()
    .describe('for a booking without a case record: the reference it is booked under'),
  steps: z
    .array(z.object({ stepKey: z.string().min(1).max(100), siteId: uuid, day }))
    .min(1)
    .max(20)
    .describe('the chain to take, as a search returned it (stepKey, siteId, day of each step)'),
  holdSeconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .optional()
    .describe('hold only: how long the hold lasts; default 15 minutes'),
});
const idempotencyHeaders = z.looseObject({
  'idempotency-key': z.string().optional().describe('repeat a request safely: the first answer is replayed'),
});
const reasonText = z.string().trim().min(3, 'must say why (at least 3 characters)').max(1000);

const bookingResponse = z.object({ booking: bookingSchema });

/** Replays of stored answers say so, so a client can tell a retry from a first success. */
function send(
  reply: { code(n: number): unknown; header(k: string, v: string): unknown },
  result: { status: number; body: Record<string, unknown>; replayed: boolean },
) {
  reply.code(result.status);
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return result.body as never;
}

/**
 * A capacity view that answers only "is there such a slot unit, published or not" from this
 * process's copy: whether it is still free is decided by the database when the units are taken.
 */
function existenceView(view: CapacityView): CapacityView {
  return {
    get(siteId, workType, d) {
      const row = view.get(siteId, workType, d);
      return row ? { ...row, booked: 0, held: 0 } : undefined;
    },
  };
}

/** Rebuilds a chain from the steps a client names, with the times and publication the network gives. */
function chainFromSteps(
  service: SchedulingService,
  network: Awaited<ReturnType<SchedulingService['network']>>,
  resolved: ResolvedSubject,
  steps: readonly { stepKey: string; siteId: string; day: string }[],
): SlotChain {
  const errors: { field: string; reason: string }[] = [];
  const out: ChainStep[] = [];
  const given = new Map(steps.map((s) => [s.stepKey, s]));
  for (const [index, spec] of resolved.spec.steps.entries()) {
    const step = given.get(spec.stepKey);
    if (!step) {
      errors.push({ field: 'body.steps', reason: `the chain has no step ${spec.stepKey}` });
      continue;
    }
    const site = network.sites.get(step.siteId);
    const workType = network.workTypes.get(spec.workType);
    if (!site || !workType) {
      errors.push({ field: `body.steps.${index}.siteId`, reason: 'no such site in the scheduling network' });
      continue;
    }
    const hours = isDay(step.day) ? hoursOn(site, step.day) : undefined;
    if (!isDay(step.day) || !hours) {
      errors.push({ field: `body.steps.${index}.day`, reason: `${site.name} is closed on ${step.day}` });
      continue;
    }
    const start = localTimeToUtcMs(site.timeZone, step.day, hours.opens);
    const unit = service.capacity.get(site.id, spec.workType, step.day);
    out.push({
      stepKey: spec.stepKey,
      workType: spec.workType,
      siteId: site.id,
      day: step.day,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + workType.durationMinutes * 60_000).toISOString(),
      published: unit?.published ?? true,
    });
  }
  const extra = steps.filter((s) => !resolved.spec.steps.some((spec) => spec.stepKey === s.stepKey));
  for (const s of extra)
    errors.push({ field: 'body.steps', reason: `the therapy has no step ${s.stepKey} to book` });
  if (errors.length > 0) throw invalidInput(errors);
  const infusion = [...out].reverse().find((s) => s.workType === 'infusion') ?? out[out.length - 1];
  const siteOf = (role: string) => {
    const key = resolved.spec.steps.find((spec) => spec.siteRole === role)?.stepKey;
    return out.find((s) => s.stepKey === key)?.siteId;
  };
  const [collection, plant, infusionSite] = [siteOf('collection'), siteOf('plant'), siteOf('infusion')];
  // The best-ranked preferred set of the centre these sites belong to (the engine checks it is one).
  const set = network
    .siteSets(resolved.subject.treatmentCentreId, resolved.spec.therapyCode)
    .find(
      (candidate) =>
        (!collection || candidate.collectionSiteIds.includes(collection)) &&
        (!plant || candidate.plantIds.includes(plant)) &&
        (!infusionSite || candidate.infusionSiteIds.includes(infusionSite)),
    );
  return { steps: out, siteSetRank: set?.rank ?? 0, infusionDay: infusion?.day ?? '', plantLoad: 0 };
}

function bookingSubjectInput(b: {
  caseId: string | null;
  therapyCode: string;
  treatmentCentreId: string;
  caseRef: string;
}) {
  return b.caseId
    ? { caseId: b.caseId }
    : { therapyCode: b.therapyCode, treatmentCentreId: b.treatmentCentreId, caseRef: b.caseRef };
}

const slotChainOf = (booking: BookingView): SlotChain => {
  const steps = booking.steps.map(({ state: _s, ...s }) => ({ ...s, workType: s.workType as WorkType }));
  const infusion = [...steps].reverse().find((s) => s.workType === 'infusion') ?? steps[steps.length - 1];
  return { steps, siteSetRank: 0, infusionDay: infusion?.day ?? '', plantLoad: 0 };
};

/** Search, hold, book, confirm, cancel, re-plan and slot requests. */
export function registerSchedulingRoutes(
  app: App,
  database: Database,
  service: SchedulingService,
  now: () => Date,
  defaultHoldSeconds: number,
): void {
  const refuseWithAlternatives = async (error: unknown, actor: Actor, input: SearchInput): Promise<never> => {
    if (error instanceof ChainUnavailable) {
      const alternatives = await service.alternatives(actor, input, now());
      throw new HttpProblem(409, error.message, {
        extensions: { ...error.extensions, alternatives },
      });
    }
    throw error;
  };

  /** The booking's case and chain spec, as the system sees it (the caller's scope was checked on the booking). */
  const resolvedFor = (booking: BookingView) =>
    service.resolve(systemActor('scheduling'), bookingSubjectInput(booking), 'search');

  app.post(
    '/api/scheduling/search',
    {
      config: { access: { permission: 'scheduling:book' } },
      schema: {
        summary:
          'The best slot chains (collection, manufacturing, infusion) for a case, or for a therapy at a treatment centre; explain: why days and sites were excluded',
        tags,
        body: searchBody,
        response: {
          200: z.object({
            chains: z.array(chainSchema),
            exclusions: z.array(z.looseObject({ code: z.string(), reason: z.string() })),
          }),
        },
      },
    },
    async (request) => {
      const { chains, exclusions } = await service.search(actorOf(request), request.body, now());
      return { chains, exclusions };
    },
  );

  const take =
    (mode: 'hold' | 'book') =>
    async (request: { body: z.infer<typeof takeBody>; headers: Record<string, unknown> }, reply: never) => {
      const actor = actorOf(request as never);
      const body = request.body;
      const key = request.headers['idempotency-key'] as string | undefined;
      const at = now();
      const searchAgain: SearchInput = {
        ...(body.caseId
          ? { caseId: body.caseId }
          : { therapyCode: body.therapyCode, treatmentCentreId: body.treatmentCentreId }),
        earliestDate: body.steps.map((s) => s.day).sort()[0] as string,
        count: 3,
      };
      const earlier = await replayOf(database, actor, key, `scheduling.${mode}`, body);
      if (earlier) return send(reply as never, earlier);
      // Read-only preparation outside the transaction (the embedded database has one connection).
      const resolved = await service.resolve(actor, body, 'book');
      const network = await service.network();
      await service.refreshCapacity();
      const chain = chainFromSteps(service, network, resolved, body.steps);
      const violations = chainViolations(
        network,
        existenceView(service.capacity),
        resolved.spec,
        chain,
        resolved.patientAppointments,
      );
      if (violations.length > 0)
        throw invalidInput(violations.map((reason) => ({ field: 'body.steps', reason })));
      const result = await idempotent(database, actor, key, `scheduling.${mode}`, body, async (trx) => {
        const booking = await takeChain(
          trx,
          actor,
          {
            subject:
              body.caseRef && !body.caseId
                ? { ...resolved.subject, caseRef: body.caseRef }
                : resolved.subject,
            steps: chain.steps,
            mode,
            holdSeconds: body.holdSeconds ?? defaultHoldSeconds,
          },
          at,
        );
        return { status: 201, body: { booking } };
      }).catch((error) => refuseWithAlternatives(error, actor, searchAgain));
      return send(reply as never, result);
    };

  for (const mode of ['hold', 'book'] as const)
    app.post(
      mode === 'hold' ? '/api/scheduling/holds' : '/api/scheduling/bookings',
      {
        config: { access: { permission: 'scheduling:book' } },
        schema: {
          summary:
            mode === 'hold'
              ? 'Hold a chain tentatively (all units or none); it expires unless confirmed'
              : 'Book a chain at once (all units or none); unpublished slots become requests to their sites',
          description:
            'A unit taken by someone else meanwhile: 409 with `alternatives` (the next best chains). Idempotency-Key: a repeat replays the first answer.',
          tags,
          headers: idempotencyHeaders,
          body: takeBody,
          response: { 201: bookingResponse },
        },
      },
      take(mode) as never,
    );

  app.get(
    '/api/scheduling/bookings',
    {
      config: { access: { permission: 'scheduling:read' } },
      schema: {
        summary: 'Bookings you may see: your centre’s, or those using your sites',
        tags,
        querystring: z.object({
          caseId: uuid.optional(),
          caseRef: z.string().max(100).optional(),
          siteId: uuid.optional(),
          status: z.enum(['held', 'requested', 'booked', 'cancelled', 'expired', 'declined']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ bookings: z.array(bookingSchema) }) },
      },
    },
    async (request) => ({ bookings: await listBookings(database.db, actorOf(request), request.query) }),
  );

  app.get(
    '/api/scheduling/bookings/:id',
    {
      config: { access: { permission: 'scheduling:read' } },
      schema: {
        summary: 'One booking',
        tags,
        params: z.object({ id: uuid }),
        response: { 200: bookingResponse },
      },
    },
    async (request) => {
      const booking = await findBooking(database.db, actorOf(request), request.params.id);
      if (!booking) throw notFound('The booking');
      return { booking };
    },
  );

  app.post(
    '/api/scheduling/bookings/:id/confirm',
    {
      config: { access: { permission: 'scheduling:book' } },
      schema: {
        summary:
          'Confirm a hold: its units become booked (unpublished ones become requests); 409 once it expired',
        tags,
        params: z.object({ id: uuid }),
        headers: idempotencyHeaders,
        response: { 200: bookingResponse },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await idempotent(
        database,
        actor,
        request.headers['idempotency-key'] as string | undefined,
        'scheduling.confirm',
        { id: request.params.id },
        async (trx) => ({
          status: 200,
          body: { booking: await confirmHold(trx, actor, request.params.id, now()) },
        }),
      );
      return send(reply, result);
    },
  );

  app.post(
    '/api/scheduling/bookings/:id/cancel',
    {
      config: { access: { permission: 'scheduling:book' } },
      schema: {
        summary: 'Cancel a booking or hold, with the reason; its capacity is released',
        tags,
        params: z.object({ id: uuid }),
        headers: idempotencyHeaders,
        body: z.object({ reason: reasonText }),
        response: { 200: bookingResponse },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await idempotent(
        database,
        actor,
        request.headers['idempotency-key'] as string | undefined,
        'scheduling.cancel',
        { id: request.params.id, ...request.body },
        async (trx) => ({
          status: 200,
          body: { booking: await cancelBooking(trx, actor, request.params.id, request.body.reason, now()) },
        }),
      );
      return send(reply, result);
    },
  );

  /** A before/after proposal for moving one step, the booking's own units counted as free. */
  const proposalFor = async (
    booking: BookingView,
    move: { stepKey: string; day: string } | { stepKey: string; delayHours: number },
  ) => {
    if (!booking.steps.some((s) => s.stepKey === move.stepKey))
      throw invalidInput([{ field: 'body.stepKey', reason: `the booking has no step ${move.stepKey}` }]);
    const resolved = await resolvedFor(booking);
    const network = await service.network();
    await service.refreshCapacity();
    const current = slotChainOf(booking);
    const options = {
      ownBookings: booking.steps.map((s) => ({
        siteId: s.siteId,
        workType: s.workType as WorkType,
        day: s.day,
      })),
      patientAppointments: resolved.patientAppointments,
      now: now(),
    };
    return 'day' in move
      ? replanChain(network, service.capacity, resolved.spec, current, move, options)
      : delayChain(network, service.capacity, resolved.spec, current, move, options);
  };

  const replanBody = z.object({ stepKey: z.string().min(1).max(100), day, reason: reasonText });

  app.post(
    '/api/scheduling/bookings/:id/replan-preview',
    {
      config: { access: { permission: 'scheduling:book' } },
      schema: {
        summary:
          'Move one step to another day: the cascade of later steps as a before/after proposal (nothing changes)',
        tags,
        params: z.object({ id: uuid }),
        body: replanBody,
        response: { 200: z.object({ proposal: proposalSchema, revision: z.number().int() }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const booking = await findBooking(database.db, actor, request.params.id);
      if (!booking) throw notFound('The booking');
      const proposal = await proposalFor(booking, request.body);
      return { proposal: proposal as never, revision: booking.revision };
    },
  );

  app.post(
    '/api/scheduling/bookings/:id/replan',
    {
      config: { access: { permission: 'scheduling:book' } },
      schema: {
        summary:
          'Accept a re-plan atomically (a move you previewed, or a delay proposal by its id): old units released, new ones taken, every affected partner notified',
        tags,
        params: z.object({ id: uuid }),
        headers: idempotencyHeaders,
        body: z.union([
          replanBody.extend({ expectedRevision: z.number().int().min(1).optional() }),
          z.object({ proposalId: uuid, reason: reasonText.optional() }),
        ]),
        response: {
          200: z.object({
            booking: bookingSchema,
            proposal: proposalSchema,
            notifiedPartners: z.array(z.string()),
          }),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      const at = now();
      const key = request.headers['idempotency-key'] as string | undefined;
      const earlier = await replayOf(database, actor, key, 'scheduling.replan', {
        id: request.params.id,
        ...body,
      });
      if (earlier) return send(reply, earlier);
      // The proposal is worked out before the transaction; applying it re-checks the booking's revision.
      const booking = await findBooking(database.db, actor, request.params.id);
      if (!booking) throw notFound('The booking');
      let proposal: Awaited<ReturnType<typeof proposalFor>>;
      let reason: string;
      let expectedRevision = booking.revision;
      let proposalId: string | undefined;
      if ('proposalId' in body) {
        const stored = await database.db
          .selectFrom('scheduling_proposals')
          .selectAll()
          .where('id', '=', body.proposalId)
          .where('booking_id', '=', booking.id)
          .executeTakeFirst();
        if (!stored) throw notFound('The proposal');
        if (stored.status !== 'pending')
          throw new HttpProblem(409, `The proposal is ${stored.status}; preview the booking again.`);
        proposal = stored.proposal as never;
        reason = body.reason ?? `delay reported by the plant: ${stored.reason}`;
        expectedRevision = stored.booking_revision;
        proposalId = stored.id;
      } else {
        if (body.expectedRevision !== undefined && body.expectedRevision !== booking.revision)
          throw new HttpProblem(
            409,
            `The booking changed since your preview (revision ${booking.revision}, preview of ${body.expectedRevision}); preview again.`,
            { extensions: { code: 'stale_proposal' } },
          );
        proposal = await proposalFor(booking, body);
        reason = body.reason;
      }
      const after = proposal.after;
      if (!proposal.feasible || !after)
        throw new HttpProblem(409, `The re-plan is not possible: ${proposal.reason ?? 'no chain fits'}`, {
          extensions: { code: 'replan_infeasible', proposal },
        });
      const result = await idempotent(
        database,
        actor,
        request.headers['idempotency-key'] as string | undefined,
        'scheduling.replan',
        { id: request.params.id, ...body },
        async (trx) => {
          const applied = await applyReplan(
            trx,
            actor,
            booking.id,
            { newSteps: after.steps, reason, expectedRevision, ...(proposalId ? { proposalId } : {}) },
            at,
          );
          return { status: 200, body: { ...applied, proposal } as never };
        },
      );
      return send(reply, result);
    },
  );

  app.post(
    '/api/scheduling/bookings/:id/delays',
    {
      config: { access: { permission: 'scheduling:capacity' } },
      schema: {
        summary:
          'A plant reports a delay of one of its steps: a re-plan proposal is stored for the treatment centre, which is notified and accepts it through …/replan',
        tags,
        params: z.object({ id: uuid }),
        body: z.object({
          stepKey: z.string().min(1).max(100),
          delayHours: z
            .number()
            .int()
            .min(1)
            .max(24 * 60),
          reason: reasonText,
        }),
        response: { 201: z.object({ proposalId: z.string(), proposal: proposalSchema }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const booking = await findBooking(database.db, actor, request.params.id);
      if (!booking) throw notFound('The booking');
      const step = booking.steps.find((s) => s.stepKey === request.body.stepKey);
      if (!step)
        throw invalidInput([
          { field: 'body.stepKey', reason: `the booking has no step ${request.body.stepKey}` },
        ]);
      const network = await service.network();
      if (network.sites.get(step.siteId)?.partnerId !== actor.partnerId)
        throw new HttpProblem(403, 'Only the site that runs the step can report its delay.');
      if (booking.status !== 'booked')
        throw new HttpProblem(409, `The booking is ${booking.status}; only a booked chain can be delayed.`);
      const proposal = await proposalFor(booking, request.body);
      const id = randomUUID();
      const at = now();
      await inTransaction(database, async (trx) => {
        await trx
          .insertInto('scheduling_proposals')
          .values({
            id,
            booking_id: booking.id,
            booking_revision: booking.revision,
            kind: 'delay',
            step_key: request.body.stepKey,
            delay_hours: request.body.delayHours,
            reason: request.body.reason,
            proposal: jsonb(proposal),
            status: 'pending',
            created_by: actor.id,
            created_at: at,
          })
          .execute();
        await appendLedgerEntry(
          trx,
          {
            stream: `scheduling-booking:${booking.id}`,
            actor,
            action: 'scheduling.delay_reported',
            recordType: 'scheduling_booking',
            recordId: booking.id,
            before: { revision: booking.revision },
            after: {
              proposalId: id,
              stepKey: request.body.stepKey,
              delayHours: request.body.delayHours,
              feasible: proposal.feasible,
            },
            reason: request.body.reason,
          },
          at,
        );
        const centre = await trx
          .selectFrom('scheduling_bookings')
          .select('centre_partner_id')
          .where('id', '=', booking.id)
          .executeTakeFirstOrThrow();
        await notifyPartner(trx, centre.centre_partner_id, 'scheduling:book', {
          body: `The plant reports a delay of ${request.body.delayHours} h for ${request.body.stepKey} of case ${booking.caseRef}: ${request.body.reason}. ${proposal.feasible ? 'A re-plan proposal waits for you.' : `No re-plan fits: ${proposal.reason ?? ''}`}`,
          payload: { bookingId: booking.id, proposalId: id },
          key: `scheduling:delay:${id}`,
          related: { type: 'scheduling_booking', id: booking.id },
        });
      });
      reply.code(201);
      return { proposalId: id, proposal: proposal as never };
    },
  );

  app.get(
    '/api/scheduling/bookings/:id/proposals',
    {
      config: { access: { permission: 'scheduling:read' } },
      schema: {
        summary: 'Re-plan proposals of a booking (delays reported by plants), newest first',
        tags,
        params: z.object({ id: uuid }),
        response: {
          200: z.object({
            proposals: z.array(
              z.object({
                id: z.string(),
                stepKey: z.string(),
                delayHours: z.number(),
                reason: z.string(),
                status: z.string(),
                bookingRevision: z.number(),
                proposal: proposalSchema,
                createdAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const booking = await findBooking(database.db, actorOf(request), request.params.id);
      if (!booking) throw notFound('The booking');
      const rows = await database.db
        .selectFrom('scheduling_proposals')
        .selectAll()
        .where('booking_id', '=', booking.id)
        .orderBy('created_at', 'desc')
        .execute();
      return {
        proposals: rows.map((r) => ({
          id: r.id,
          stepKey: r.step_key,
          delayHours: r.delay_hours,
          reason: r.reason,
          status: r.status,
          bookingRevision: r.booking_revision,
          proposal: r.proposal as never,
          createdAt: new Date(r.created_at).toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/scheduling/slot-requests',
    {
      config: { access: { permission: 'scheduling:capacity' } },
      schema: {
        summary: 'Requests for your sites’ unpublished slots',
        tags,
        querystring: z.object({
          status: z.enum(['pending', 'confirmed', 'declined', 'withdrawn']).optional(),
        }),
        response: {
          200: z.object({
            slotRequests: z.array(
              z.object({
                id: z.string(),
                bookingId: z.string(),
                caseRef: z.string(),
                stepKey: z.string(),
                siteId: z.string(),
                status: z.string(),
                createdAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      let query = database.db
        .selectFrom('scheduling_slot_requests as r')
        .innerJoin('scheduling_bookings as b', 'b.id', 'r.booking_id')
        .select(['r.id', 'r.booking_id', 'b.case_ref', 'r.step_key', 'r.site_id', 'r.status', 'r.created_at'])
        .where('r.partner_id', '=', actor.partnerId);
      if (request.query.status) query = query.where('r.status', '=', request.query.status);
      const rows = await query.orderBy('r.created_at', 'desc').limit(500).execute();
      return {
        slotRequests: rows.map((r) => ({
          id: r.id,
          bookingId: r.booking_id,
          caseRef: r.case_ref,
          stepKey: r.step_key,
          siteId: r.site_id,
          status: r.status,
          createdAt: new Date(r.created_at).toISOString(),
        })),
      };
    },
  );

  for (const decision of ['confirm', 'decline'] as const)
    app.post(
      `/api/scheduling/slot-requests/:id/${decision}`,
      {
        config: { access: { permission: 'scheduling:capacity' } },
        schema: {
          summary:
            decision === 'confirm'
              ? 'Confirm a request for your unpublished slot: the booking completes when all its requests are confirmed'
              : 'Decline a request for your unpublished slot, with the reason: nothing is booked, the coordinator is told',
          tags,
          params: z.object({ id: uuid }),
          headers: idempotencyHeaders,
          ...(decision === 'decline' ? { body: z.object({ reason: reasonText }) } : {}),
          response: { 200: bookingResponse },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const body = (request.body ?? {}) as { reason?: string };
        const result = await idempotent(
          database,
          actor,
          request.headers['idempotency-key'] as string | undefined,
          `scheduling.slot_request.${decision}`,
          { id: request.params.id, ...body },
          async (trx) => ({
            status: 200,
            body: {
              booking: await decideSlotRequest(
                trx,
                actor,
                request.params.id,
                decision === 'confirm'
                  ? { confirm: true }
                  : { confirm: false, reason: body.reason as string },
                now(),
              ),
            },
          }),
        );
        return send(reply, result);
      },
    );
}
