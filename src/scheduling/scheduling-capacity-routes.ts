import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { visibleCases } from '../cases/case-store.ts';
import { actorOf } from '../platform/access/access-hook.ts';
import { patientScopeOf } from '../platform/access/scope.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/app-type.ts';
import { HttpProblem, invalidInput, notFound } from '../platform/http/problem.ts';
import { maySchedule } from './booking-store.ts';
import { patientConflicts } from './patient-conflicts.ts';
import {
  type Closure,
  type OpeningHours,
  type SchedulingSite,
  type SlotChain,
  WORK_TYPES,
  type WorkType,
} from './scheduling-model.ts';
import { addDays, closureOn, hoursOn } from './site-calendar.ts';

const tags = ['scheduling'];
const uuid = z.string().uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD');
const MAX_DAYS = 120;

/** Why a site takes no work on a day: the chain search skips such days, so the calendar must not offer them. */
function closedReason(
  calendar: Pick<SchedulingSite, 'openingHours' | 'closures'>,
  day: string,
): string | null {
  const closure = closureOn(calendar, day);
  if (closure) return `closed: ${closure.reason}`;
  if (!hoursOn(calendar, day)) return 'closed: no opening hours that weekday';
  return null;
}

function capacityOfDay(
  r: { capacity: number; booked: number; held: number; published: boolean },
  closed: string | null,
) {
  return {
    free: closed ? 0 : Math.max(0, r.capacity - r.booked - r.held),
    published: r.published,
    closed,
  };
}

/** Capacity calendar, capacity publication, patient appointments and conflicts. */
export function registerSchedulingCapacityRoutes(app: App, database: Database, now: () => Date): void {
  app.get(
    '/api/scheduling/capacity',
    {
      config: { access: { permission: 'scheduling:read' } },
      schema: {
        summary: 'Booked, held and free capacity per day of one site (and work type), up to 120 days',
        tags,
        querystring: z.object({
          siteId: uuid,
          workType: z.enum(WORK_TYPES).optional(),
          from: day,
          days: z.coerce.number().int().min(1).max(MAX_DAYS).default(MAX_DAYS),
        }),
        response: {
          200: z.object({
            siteId: z.string(),
            days: z.array(
              z.object({
                day: z.string(),
                workType: z.string(),
                capacity: z.number(),
                booked: z.number(),
                held: z.number(),
                free: z.number(),
                published: z.boolean(),
                /** Why the site takes no work that day (a closure or no opening hours); null when open. */
                closed: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { siteId, workType, from, days } = request.query;
      const site = await database.db
        .selectFrom('sites as s')
        .leftJoin('scheduling_sites as ss', 'ss.site_id', 's.id')
        .select(['s.id', 'ss.opening_hours', 'ss.closures'])
        .where('s.id', '=', siteId)
        .executeTakeFirst();
      if (!site) throw notFound('The site');
      const calendar = {
        openingHours: (site.opening_hours ?? []) as OpeningHours[],
        closures: (site.closures ?? []) as Closure[],
      };
      let query = database.db
        .selectFrom('scheduling_capacity')
        .select([
          sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
          'work_type',
          'capacity',
          'booked',
          'held',
          'published',
        ])
        .where('site_id', '=', siteId)
        .where('day', '>=', from)
        .where('day', '<', addDays(from, days));
      if (workType) query = query.where('work_type', '=', workType);
      const rows = await query.orderBy('day').orderBy('work_type').execute();
      return {
        siteId,
        days: rows.map((r) => ({
          day: r.day,
          workType: r.work_type,
          capacity: r.capacity,
          booked: r.booked,
          held: r.held,
          ...capacityOfDay(r, closedReason(calendar, r.day)),
        })),
      };
    },
  );

  app.put(
    '/api/scheduling/capacity',
    {
      config: { access: { permission: 'scheduling:capacity' } },
      schema: {
        summary: 'Set and publish (or unpublish) your own site’s capacity of a work type per day',
        tags,
        body: z.object({
          siteId: uuid,
          workType: z.enum(WORK_TYPES),
          days: z
            .array(z.object({ day, capacity: z.number().int().min(0).max(10_000), published: z.boolean() }))
            .min(1)
            .max(MAX_DAYS),
          reason: z.string().trim().min(3).max(1000).optional(),
        }),
        response: { 200: z.object({ updated: z.number().int() }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { siteId, workType, days, reason } = request.body;
      const site = await database.db
        .selectFrom('scheduling_sites as ss')
        .innerJoin('sites as s', 's.id', 'ss.site_id')
        .select(['s.id', 's.partner_id'])
        .where('s.id', '=', siteId)
        .executeTakeFirst();
      if (!site || (actor.partnerType !== 'sponsor' && actor.partnerId !== site.partner_id))
        throw notFound('The site');
      const at = now();
      // Days in order: rows are locked in the same sequence as bookings take them.
      const ordered = [...days].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
      await inTransaction(database, async (trx) => {
        for (const entry of ordered) {
          const before = await trx
            .selectFrom('scheduling_capacity')
            .select(['capacity', 'booked', 'held', 'published'])
            .where('site_id', '=', siteId)
            .where('work_type', '=', workType)
            .where('day', '=', entry.day)
            .forUpdate()
            .executeTakeFirst();
          if (before && entry.capacity < before.booked + before.held)
            throw new HttpProblem(
              409,
              `${entry.day}: ${before.booked + before.held} units are booked or held; capacity cannot go below that. Nothing was changed.`,
            );
          await trx
            .insertInto('scheduling_capacity')
            .values({
              site_id: siteId,
              work_type: workType,
              day: entry.day,
              capacity: entry.capacity,
              published: entry.published,
            })
            .onConflict((oc) =>
              oc
                .columns(['site_id', 'work_type', 'day'])
                .doUpdateSet({ capacity: entry.capacity, published: entry.published }),
            )
            .execute();
          await appendLedgerEntry(
            trx,
            {
              stream: `scheduling-capacity:${siteId}`,
              actor,
              action: 'scheduling.capacity_published',
              recordType: 'scheduling_capacity',
              recordId: `${siteId}|${workType}|${entry.day}`,
              before: before ?? null,
              after: { capacity: entry.capacity, published: entry.published },
              reason: reason ?? null,
            },
            at,
          );
        }
      });
      return { updated: days.length };
    },
  );

  const caseOf = async (request: { params: { caseId: string } }, actor: ReturnType<typeof actorOf>) => {
    const row = await visibleCases(database.db, actor)
      .select(['cases.id', 'cases.patient_id', 'cases.treatment_centre_partner_id'])
      .where('cases.id', '=', request.params.caseId)
      .executeTakeFirst();
    if (!row) throw notFound('The case');
    return row;
  };

  app.post(
    '/api/scheduling/cases/:caseId/appointments',
    {
      config: { access: { permission: 'scheduling:book' } },
      schema: {
        summary: 'Record another appointment of the case’s patient, so chains avoid it and conflicts show',
        tags,
        params: z.object({ caseId: uuid }),
        body: z.object({
          label: z.string().trim().min(1).max(200),
          startsAt: z.string().datetime({ offset: true }),
          endsAt: z.string().datetime({ offset: true }),
        }),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const found = await caseOf(request, actor);
      if (!maySchedule(actor, found.treatment_centre_partner_id)) throw notFound('The case');
      const { label, startsAt, endsAt } = request.body;
      if (Date.parse(endsAt) <= Date.parse(startsAt))
        throw invalidInput([{ field: 'body.endsAt', reason: 'must be after startsAt' }]);
      const id = randomUUID();
      const at = now();
      await inTransaction(database, async (trx) => {
        await trx
          .insertInto('scheduling_patient_appointments')
          .values({
            id,
            case_id: found.id,
            label,
            starts_at: new Date(startsAt),
            ends_at: new Date(endsAt),
            created_by: actor.id,
            created_at: at,
          })
          .execute();
        await appendLedgerEntry(
          trx,
          {
            stream: `case:${found.id}`,
            actor,
            action: 'scheduling.appointment_added',
            recordType: 'scheduling_patient_appointment',
            recordId: id,
            after: { label, startsAt, endsAt },
          },
          at,
        );
      });
      reply.code(201);
      return { id };
    },
  );

  app.get(
    '/api/scheduling/cases/:caseId/conflicts',
    {
      config: { access: { permission: 'scheduling:read' } },
      schema: {
        summary:
          'Overlaps between the patient’s booked steps and other appointments, with ways to resolve them',
        tags,
        params: z.object({ caseId: uuid }),
        response: {
          200: z.object({
            appointments: z.array(
              z.object({ id: z.string(), label: z.string(), startsAt: z.string(), endsAt: z.string() }),
            ),
            conflicts: z.array(z.looseObject({ overlapMinutes: z.number() })),
          }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const found = await caseOf(request, actor);
      const entitled = patientScopeOf(actor).kind !== 'none';
      // The patient's other cases count too: one person cannot be in two places.
      const caseIds = (
        await database.db
          .selectFrom('cases')
          .select('id')
          .where('patient_id', '=', found.patient_id)
          .execute()
      ).map((c) => c.id);
      const appointments = (
        await database.db
          .selectFrom('scheduling_patient_appointments')
          .select(['id', 'label', 'starts_at', 'ends_at'])
          .where('case_id', 'in', caseIds)
          .orderBy('starts_at')
          .execute()
      ).map((a) => ({
        id: a.id,
        // What the patient has elsewhere is theirs: only roles entitled to the patient read it.
        label: entitled ? a.label : 'Patient appointment',
        startsAt: new Date(a.starts_at).toISOString(),
        endsAt: new Date(a.ends_at).toISOString(),
      }));
      const bookings = await database.db
        .selectFrom('scheduling_bookings')
        .select(['id', 'case_ref', 'steps'])
        .where('case_id', 'in', caseIds)
        .where('status', 'in', ['held', 'requested', 'booked'])
        .execute();
      const chains = bookings.map((b) => {
        const steps = (b.steps as unknown as SlotChain['steps']).map((s) => ({
          ...s,
          workType: s.workType as WorkType,
        }));
        return { bookingId: b.id, steps };
      });
      const conflicts = patientConflicts(appointments, chains);
      return { appointments, conflicts: conflicts as never };
    },
  );
}
