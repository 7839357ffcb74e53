import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, type SelectQueryBuilder, sql } from 'kysely';
import type { Actor } from '../platform/access/actor.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Schema } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/transaction.ts';
import { HttpProblem, notFound } from '../platform/http/problem.ts';
import { enqueueJob } from '../platform/jobs/job-store.ts';
import { applyUnits, type UnitChange } from './capacity-units.ts';
import { jsonb } from './network-store.ts';
import type { ChainStep, Day } from './scheduling-model.ts';
import { notifyPartner, notifyUser } from './scheduling-notifications.ts';
import type { BookingStatus, SchedulingTables } from './scheduling-tables.ts';

export const HOLD_EXPIRY_JOB = 'scheduling.hold-expiry';
export const DEFAULT_HOLD_SECONDS = 15 * 60;

type Db = Kysely<Schema>;
type BookingRow = Selectable<SchedulingTables['scheduling_bookings']>;

export type BookedStep = ChainStep & { state: 'held' | 'booked' };

export type BookingView = {
  id: string;
  caseId: string | null;
  caseRef: string;
  treatmentCentreId: string;
  therapyCode: string;
  status: BookingStatus;
  steps: BookedStep[];
  holdExpiresAt: string | null;
  revision: number;
  statusReason: string | null;
  slotRequests: { id: string; stepKey: string; siteId: string; status: string; reason: string | null }[];
  createdAt: string;
  updatedAt: string;
};

/** The case a booking is for, resolved and scope-checked by the caller. */
export type BookingSubject = {
  caseId: string | null;
  caseRef: string;
  treatmentCentreId: string;
  centrePartnerId: string;
  therapyCode: string;
};

const stream = (bookingId: string) => `scheduling-booking:${bookingId}`;

/** Sponsor staff (and the system) see every booking; a centre its own; a site's partner those using its sites. */
export function visibleBookings(
  db: Db,
  actor: Actor,
  // biome-ignore lint/complexity/noBannedTypes: Kysely's "nothing selected yet"
): SelectQueryBuilder<Schema, 'scheduling_bookings', {}> {
  const query = db.selectFrom('scheduling_bookings');
  if (actor.kind === 'system' || actor.partnerType === 'sponsor') return query;
  const partnerId = actor.partnerId;
  return query.where((eb) =>
    eb.or([
      eb('scheduling_bookings.centre_partner_id', '=', partnerId),
      eb.exists(
        eb
          .selectFrom('scheduling_booking_units as u')
          .innerJoin('sites as s', 's.id', 'u.site_id')
          .select(sql`1`.as('one'))
          .whereRef('u.booking_id', '=', 'scheduling_bookings.id')
          .where('s.partner_id', '=', partnerId),
      ),
    ]),
  );
}

/** Only a centre's own coordinators (and sponsor staff) change a booking. */
export function maySchedule(actor: Actor, centrePartnerId: string): boolean {
  return actor.kind === 'system' || actor.partnerType === 'sponsor' || actor.partnerId === centrePartnerId;
}

async function viewOf(db: Db, row: BookingRow): Promise<BookingView> {
  const requests = await db
    .selectFrom('scheduling_slot_requests')
    .select(['id', 'step_key', 'site_id', 'status', 'reason'])
    .where('booking_id', '=', row.id)
    .orderBy('created_at')
    .execute();
  return {
    id: row.id,
    caseId: row.case_id,
    caseRef: row.case_ref,
    treatmentCentreId: row.treatment_centre_id,
    therapyCode: row.therapy_code,
    status: row.status,
    steps: row.steps as unknown as BookedStep[],
    holdExpiresAt: row.hold_expires_at ? new Date(row.hold_expires_at).toISOString() : null,
    revision: row.revision,
    statusReason: row.status_reason,
    slotRequests: requests.map((r) => ({
      id: r.id,
      stepKey: r.step_key,
      siteId: r.site_id,
      status: r.status,
      reason: r.reason,
    })),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function findBooking(db: Db, actor: Actor, id: string): Promise<BookingView | undefined> {
  const row = await visibleBookings(db, actor).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? viewOf(db, row) : undefined;
}

export async function listBookings(
  db: Db,
  actor: Actor,
  filter: { caseId?: string; caseRef?: string; siteId?: string; status?: BookingStatus; limit: number },
): Promise<BookingView[]> {
  let query = visibleBookings(db, actor).selectAll();
  if (filter.caseId) query = query.where('case_id', '=', filter.caseId);
  if (filter.caseRef) query = query.where('case_ref', '=', filter.caseRef);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.siteId) {
    const siteId = filter.siteId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('scheduling_booking_units as f')
          .select(sql`1`.as('one'))
          .whereRef('f.booking_id', '=', 'scheduling_bookings.id')
          .where('f.site_id', '=', siteId),
      ),
    );
  }
  const rows = await query.orderBy('created_at', 'desc').limit(filter.limit).execute();
  return Promise.all(rows.map((row) => viewOf(db, row)));
}

/** Locks a booking the actor may change; 404 when it is outside their scope. */
async function lockBooking(trx: Tx, actor: Actor, id: string): Promise<BookingRow> {
  const row = await visibleBookings(trx, actor)
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('The booking');
  return row;
}

function stepsOfRow(row: BookingRow): BookedStep[] {
  return row.steps as unknown as BookedStep[];
}

const summary = (row: { status: string; steps: BookedStep[]; holdExpiresAt?: string | null }) => ({
  status: row.status,
  steps: row.steps.map((s) => ({ stepKey: s.stepKey, siteId: s.siteId, day: s.day, state: s.state })),
  ...(row.holdExpiresAt ? { holdExpiresAt: row.holdExpiresAt } : {}),
});

const liveUnits = (steps: readonly BookedStep[]) => steps;

/** The counter changes that give back every unit of these steps. */
function releaseOf(steps: readonly BookedStep[]): UnitChange[] {
  return liveUnits(steps).map((s) => ({
    stepKey: s.stepKey,
    siteId: s.siteId,
    workType: s.workType,
    day: s.day,
    op: s.state === 'held' ? 'release_held' : 'release_booked',
  }));
}

async function writeUnits(trx: Tx, bookingId: string, steps: readonly BookedStep[]): Promise<void> {
  if (steps.length === 0) return;
  await trx
    .insertInto('scheduling_booking_units')
    .values(
      steps.map((s) => ({
        booking_id: bookingId,
        step_key: s.stepKey,
        site_id: s.siteId,
        work_type: s.workType,
        day: s.day,
        state: s.state,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['booking_id', 'step_key', 'site_id', 'work_type', 'day'])
        .doUpdateSet((eb) => ({ state: eb.ref('excluded.state') })),
    )
    .execute();
}

async function markUnits(
  trx: Tx,
  bookingId: string,
  steps: readonly { stepKey: string; siteId: string; workType: string; day: Day }[],
  state: 'held' | 'booked' | 'released',
): Promise<void> {
  for (const s of steps)
    await trx
      .updateTable('scheduling_booking_units')
      .set({ state })
      .where('booking_id', '=', bookingId)
      .where('step_key', '=', s.stepKey)
      .where('site_id', '=', s.siteId)
      .where('work_type', '=', s.workType)
      .where('day', '=', s.day)
      .execute();
}

async function siteNames(trx: Tx, siteIds: readonly string[]) {
  if (siteIds.length === 0) return new Map<string, { partnerId: string; name: string }>();
  const rows = await trx
    .selectFrom('sites')
    .select(['id', 'partner_id', 'name'])
    .where('id', 'in', [...new Set(siteIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, { partnerId: r.partner_id, name: r.name }]));
}

/** Opens slot requests for the steps whose slot is unpublished, and tells each site's partner. */
async function requestUnpublished(
  trx: Tx,
  booking: { id: string; caseRef: string },
  steps: readonly (BookedStep & { published: boolean })[],
  now: Date,
): Promise<BookingView['slotRequests']> {
  const unpublished = steps.filter((s) => !s.published);
  const created: BookingView['slotRequests'] = [];
  if (unpublished.length === 0) return created;
  const sites = await siteNames(
    trx,
    unpublished.map((s) => s.siteId),
  );
  for (const step of unpublished) {
    const site = sites.get(step.siteId);
    if (!site) continue;
    const id = randomUUID();
    await trx
      .insertInto('scheduling_slot_requests')
      .values({
        id,
        booking_id: booking.id,
        step_key: step.stepKey,
        site_id: step.siteId,
        partner_id: site.partnerId,
        status: 'pending',
        created_at: now,
        decided_at: null,
        decided_by: null,
        reason: null,
      })
      .onConflict((oc) =>
        oc.columns(['booking_id', 'step_key']).doUpdateSet({
          id,
          site_id: step.siteId,
          partner_id: site.partnerId,
          status: 'pending',
          created_at: now,
          decided_at: null,
          decided_by: null,
          reason: null,
        }),
      )
      .execute();
    await notifyPartner(trx, site.partnerId, 'scheduling:capacity', {
      body: `Slot request for case ${booking.caseRef}: ${step.workType} on ${step.day} at ${site.name} is not published. Confirm or decline it in Cellway.`,
      payload: { bookingId: booking.id, slotRequestId: id, stepKey: step.stepKey },
      key: `scheduling:slot-request:${id}`,
      related: { type: 'scheduling_booking', id: booking.id },
    });
    created.push({ id, stepKey: step.stepKey, siteId: step.siteId, status: 'pending', reason: null });
  }
  return created;
}

export type TakeChainInput = {
  subject: BookingSubject;
  steps: readonly ChainStep[];
  /** hold: tentative, expires; book: booked at once (unpublished slots become requests). */
  mode: 'hold' | 'book';
  holdSeconds?: number;
};

/** Takes every unit of a chain or none: a new booking, held or booked. */
export async function takeChain(
  trx: Tx,
  actor: Actor,
  input: TakeChainInput,
  now: Date,
): Promise<BookingView> {
  const id = randomUUID();
  const outcomes = await applyUnits(
    trx,
    input.steps.map((s) => ({
      stepKey: s.stepKey,
      siteId: s.siteId,
      workType: s.workType,
      day: s.day,
      op: input.mode === 'hold' ? 'hold' : 'book',
    })),
  );
  const byStep = new Map(outcomes.map((o) => [o.stepKey, o]));
  const steps = input.steps.map((s) => {
    const outcome = byStep.get(s.stepKey);
    const published = outcome?.published ?? s.published;
    return { ...s, published, state: (outcome?.state === 'booked' ? 'booked' : 'held') as 'held' | 'booked' };
  });
  const anyUnpublished = steps.some((s) => !s.published);
  const status: BookingStatus = input.mode === 'hold' ? 'held' : anyUnpublished ? 'requested' : 'booked';
  const holdExpiresAt =
    status === 'held' ? new Date(now.getTime() + (input.holdSeconds ?? DEFAULT_HOLD_SECONDS) * 1000) : null;
  // The booking and its units in one statement (one round trip); none of it when the case already
  // has a live booking (the partial unique index on case_ref).
  const stored = steps.map(({ published, ...rest }) => ({ ...rest, published }));
  const written = await sql<{ booking_id: string }>`
    with b as (
      insert into scheduling_bookings (id, case_id, case_ref, treatment_centre_id, centre_partner_id,
        therapy_code, status, steps, hold_expires_at, created_by, created_at, updated_at, status_reason)
      values (${id}, ${input.subject.caseId}, ${input.subject.caseRef}, ${input.subject.treatmentCentreId},
        ${input.subject.centrePartnerId}, ${input.subject.therapyCode}, ${status}, ${jsonb(stored)},
        ${holdExpiresAt}, ${actor.id}, ${now}, ${now}, null)
      on conflict (case_ref) where status in ('held', 'requested', 'booked') do nothing
      returning id)
    insert into scheduling_booking_units (booking_id, step_key, site_id, work_type, day, state)
    select b.id, u.step_key, u.site_id::uuid, u.work_type, u.day::date, u.state
    from b cross join unnest(${steps.map((s) => s.stepKey)}::text[], ${steps.map((s) => s.siteId)}::text[],
      ${steps.map((s) => s.workType)}::text[], ${steps.map((s) => s.day)}::text[],
      ${steps.map((s) => s.state)}::text[]) as u(step_key, site_id, work_type, day, state)
    returning booking_id`.execute(trx);
  if (written.rows.length === 0)
    throw new HttpProblem(
      409,
      `Case ${input.subject.caseRef} already has a live booking; cancel or re-plan it instead of booking again.`,
      { extensions: { code: 'case_already_booked' } },
    );
  if (holdExpiresAt)
    await enqueueJob(trx, {
      kind: HOLD_EXPIRY_JOB,
      payload: { bookingId: id },
      runAt: holdExpiresAt,
      dedupeKey: `scheduling-hold:${id}`,
    });
  const slotRequests =
    status === 'requested'
      ? await requestUnpublished(trx, { id, caseRef: input.subject.caseRef }, steps, now)
      : [];
  const view: BookingView = {
    id,
    caseId: input.subject.caseId,
    caseRef: input.subject.caseRef,
    treatmentCentreId: input.subject.treatmentCentreId,
    therapyCode: input.subject.therapyCode,
    status,
    steps: stored,
    holdExpiresAt: holdExpiresAt ? holdExpiresAt.toISOString() : null,
    revision: 1,
    statusReason: null,
    slotRequests,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await appendLedgerEntry(
    trx,
    {
      stream: stream(id),
      actor,
      action:
        status === 'held'
          ? 'scheduling.chain_held'
          : status === 'booked'
            ? 'scheduling.chain_booked'
            : 'scheduling.slot_requested',
      recordType: 'scheduling_booking',
      recordId: id,
      before: null,
      after: { caseRef: view.caseRef, ...summary(view) },
    },
    now,
  );
  return view;
}

/** A held chain becomes booked; its unpublished slots become requests to their sites. */
export async function confirmHold(trx: Tx, actor: Actor, id: string, now: Date): Promise<BookingView> {
  const row = await lockBooking(trx, actor, id);
  if (!maySchedule(actor, row.centre_partner_id)) throw notFound('The booking');
  const expiredAt = row.hold_expires_at ? new Date(row.hold_expires_at) : null;
  if (row.status === 'expired' || (row.status === 'held' && expiredAt && expiredAt <= now))
    throw new HttpProblem(
      409,
      `The hold expired at ${expiredAt?.toISOString()} and its slots were released; search again and hold a new chain.`,
      { extensions: { code: 'hold_expired' } },
    );
  if (row.status !== 'held')
    throw new HttpProblem(409, `The booking is ${row.status}; only a held chain can be confirmed.`, {
      extensions: { code: 'not_held' },
    });
  const before = stepsOfRow(row);
  const publishedSteps = before.filter((s) => s.published);
  await applyUnits(
    trx,
    publishedSteps.map((s) => ({
      stepKey: s.stepKey,
      siteId: s.siteId,
      workType: s.workType,
      day: s.day,
      op: 'convert',
    })),
  );
  await markUnits(trx, id, publishedSteps, 'booked');
  const after = before.map((s) => (s.published ? { ...s, state: 'booked' as const } : s));
  const status: BookingStatus = after.some((s) => !s.published) ? 'requested' : 'booked';
  const updated = await trx
    .updateTable('scheduling_bookings')
    .set({ status, steps: jsonb(after), hold_expires_at: null, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (status === 'requested') await requestUnpublished(trx, { id, caseRef: row.case_ref }, after, now);
  const view = await viewOf(trx, updated);
  await appendLedgerEntry(
    trx,
    {
      stream: stream(id),
      actor,
      action: status === 'booked' ? 'scheduling.hold_confirmed' : 'scheduling.slot_requested',
      recordType: 'scheduling_booking',
      recordId: id,
      before: summary({ status: row.status, steps: before }),
      after: summary(view),
    },
    now,
  );
  return view;
}

/** Gives back every unit of a live booking and ends it (cancelled, expired or declined). */
async function endBooking(
  trx: Tx,
  actor: Actor,
  row: BookingRow,
  to: 'cancelled' | 'expired' | 'declined',
  reason: string,
  now: Date,
): Promise<BookingRow> {
  const steps = stepsOfRow(row);
  await applyUnits(trx, releaseOf(steps));
  await markUnits(trx, row.id, steps, 'released');
  await trx
    .updateTable('scheduling_slot_requests')
    .set({ status: 'withdrawn', decided_at: now, decided_by: actor.id, reason })
    .where('booking_id', '=', row.id)
    .where('status', '=', 'pending')
    .execute();
  const updated = await trx
    .updateTable('scheduling_bookings')
    .set({ status: to, status_reason: reason, hold_expires_at: null, updated_at: now })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendLedgerEntry(
    trx,
    {
      stream: stream(row.id),
      actor,
      action: `scheduling.booking_${to}`,
      recordType: 'scheduling_booking',
      recordId: row.id,
      before: summary({ status: row.status, steps }),
      after: { status: to, released: steps.length },
      reason,
    },
    now,
  );
  return updated;
}

export async function cancelBooking(
  trx: Tx,
  actor: Actor,
  id: string,
  reason: string,
  now: Date,
): Promise<BookingView> {
  const row = await lockBooking(trx, actor, id);
  if (!maySchedule(actor, row.centre_partner_id)) throw notFound('The booking');
  if (!['held', 'requested', 'booked'].includes(row.status))
    throw new HttpProblem(409, `The booking is already ${row.status}; there is nothing to cancel.`, {
      extensions: { code: 'not_live' },
    });
  const updated = await endBooking(trx, actor, row, 'cancelled', reason, now);
  await notifySitesOf(
    trx,
    updated,
    stepsOfRow(row),
    `Booking for case ${row.case_ref} was cancelled: ${reason}`,
    now,
  );
  return viewOf(trx, updated);
}

/**
 * The timer at a hold's expiry: releases it if it is still an unconfirmed hold. A timer that runs
 * early (another process's clock is ahead) sets itself again for the expiry instant.
 */
export async function expireHold(
  trx: Tx,
  actor: Actor,
  id: string,
  now: Date,
): Promise<'expired' | 'rescheduled' | 'nothing_to_do'> {
  const row = await trx
    .selectFrom('scheduling_bookings')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (row?.status !== 'held' || !row.hold_expires_at) return 'nothing_to_do';
  const expiresAt = new Date(row.hold_expires_at);
  if (expiresAt.getTime() > now.getTime()) {
    await enqueueJob(trx, {
      kind: HOLD_EXPIRY_JOB,
      payload: { bookingId: id },
      runAt: expiresAt,
      dedupeKey: `scheduling-hold:${id}:again:${now.getTime()}`,
    });
    return 'rescheduled';
  }
  await endBooking(trx, actor, row, 'expired', 'the hold expired before it was confirmed', now);
  return 'expired';
}

/** A site's partner confirms or declines a request for one of its unpublished slots. */
export async function decideSlotRequest(
  trx: Tx,
  actor: Actor,
  requestId: string,
  decision: { confirm: true } | { confirm: false; reason: string },
  now: Date,
): Promise<BookingView> {
  if (actor.kind === 'system') throw notFound('The slot request');
  const request = await trx
    .selectFrom('scheduling_slot_requests')
    .selectAll()
    .where('id', '=', requestId)
    .where('partner_id', '=', actor.partnerId)
    .executeTakeFirst();
  if (!request) throw notFound('The slot request');
  const row = await trx
    .selectFrom('scheduling_bookings')
    .selectAll()
    .where('id', '=', request.booking_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const current = await trx
    .selectFrom('scheduling_slot_requests')
    .select('status')
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  if (current.status !== 'pending' || row.status !== 'requested')
    throw new HttpProblem(
      409,
      `The slot request is ${current.status} and the booking ${row.status}; nothing to decide.`,
      {
        extensions: { code: 'not_pending' },
      },
    );
  const steps = stepsOfRow(row);
  const coordinatorNote = async (text: string, kind: string) => {
    await notifyUser(trx, row.created_by, {
      body: text,
      payload: { bookingId: row.id, slotRequestId: requestId, decision: kind },
      key: `scheduling:slot-request:${requestId}:${kind}:creator`,
      related: { type: 'scheduling_booking', id: row.id },
    });
    await notifyPartner(trx, row.centre_partner_id, 'scheduling:book', {
      body: text,
      payload: { bookingId: row.id, slotRequestId: requestId, decision: kind },
      key: `scheduling:slot-request:${requestId}:${kind}`,
      related: { type: 'scheduling_booking', id: row.id },
    });
  };
  if (!decision.confirm) {
    await trx
      .updateTable('scheduling_slot_requests')
      .set({ status: 'declined', decided_at: now, decided_by: actor.id, reason: decision.reason })
      .where('id', '=', requestId)
      .execute();
    const updated = await endBooking(
      trx,
      actor,
      row,
      'declined',
      `slot request declined: ${decision.reason}`,
      now,
    );
    await coordinatorNote(
      `The slot request for case ${row.case_ref} (step ${request.step_key}) was declined: ${decision.reason}. Nothing is booked; search again.`,
      'declined',
    );
    return viewOf(trx, updated);
  }
  await trx
    .updateTable('scheduling_slot_requests')
    .set({ status: 'confirmed', decided_at: now, decided_by: actor.id })
    .where('id', '=', requestId)
    .execute();
  const step = steps.find((s) => s.stepKey === request.step_key && s.siteId === request.site_id);
  if (step && step.state === 'held') {
    await applyUnits(trx, [
      { stepKey: step.stepKey, siteId: step.siteId, workType: step.workType, day: step.day, op: 'convert' },
    ]);
    await markUnits(trx, row.id, [step], 'booked');
  }
  const after = steps.map((s) => (s === step ? { ...s, state: 'booked' as const, published: true } : s));
  const pending = await trx
    .selectFrom('scheduling_slot_requests')
    .select('id')
    .where('booking_id', '=', row.id)
    .where('status', '=', 'pending')
    .execute();
  const status: BookingStatus = pending.length === 0 ? 'booked' : 'requested';
  const updated = await trx
    .updateTable('scheduling_bookings')
    .set({ status, steps: jsonb(after), updated_at: now })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendLedgerEntry(
    trx,
    {
      stream: stream(row.id),
      actor,
      action: 'scheduling.slot_request_confirmed',
      recordType: 'scheduling_booking',
      recordId: row.id,
      before: summary({ status: row.status, steps }),
      after: summary({ status, steps: after }),
    },
    now,
  );
  await coordinatorNote(
    status === 'booked'
      ? `The slot request for case ${row.case_ref} (step ${request.step_key}) was confirmed: the chain is booked.`
      : `The slot request for case ${row.case_ref} (step ${request.step_key}) was confirmed; other requests are still pending.`,
    'confirmed',
  );
  return viewOf(trx, updated);
}

/** Tells the partners of the given steps' sites. */
async function notifySitesOf(
  trx: Tx,
  row: BookingRow,
  steps: readonly BookedStep[],
  text: string,
  now: Date,
) {
  const sites = await siteNames(
    trx,
    steps.map((s) => s.siteId),
  );
  const partners = new Set([...sites.values()].map((s) => s.partnerId));
  for (const partnerId of partners)
    await notifyPartner(trx, partnerId, 'scheduling:read', {
      body: text,
      payload: { bookingId: row.id, revision: row.revision },
      key: `scheduling:booking:${row.id}:r${row.revision}:${row.status}:${partnerId}:${now.getTime()}`,
      related: { type: 'scheduling_booking', id: row.id },
    });
}

/**
 * Moves a live booking to new steps atomically: units of steps that moved are given back and the new
 * ones taken (conditionally, all or nothing, in key order), the revision moves on, the ledger records
 * old → new with the reason, and every partner whose site gained or lost a step is told.
 */
export async function applyReplan(
  trx: Tx,
  actor: Actor,
  id: string,
  change: { newSteps: readonly ChainStep[]; reason: string; expectedRevision?: number; proposalId?: string },
  now: Date,
): Promise<{ booking: BookingView; notifiedPartners: string[] }> {
  const row = await lockBooking(trx, actor, id);
  if (!maySchedule(actor, row.centre_partner_id)) throw notFound('The booking');
  if (row.status !== 'booked' && row.status !== 'held')
    throw new HttpProblem(
      409,
      `The booking is ${row.status}; only a held or booked chain can be re-planned.`,
      {
        extensions: { code: 'not_replannable' },
      },
    );
  if (change.expectedRevision !== undefined && change.expectedRevision !== row.revision)
    throw new HttpProblem(
      409,
      `The booking changed since the proposal was made (revision ${row.revision}, proposal for ${change.expectedRevision}); preview again.`,
      { extensions: { code: 'stale_proposal' } },
    );
  const before = stepsOfRow(row);
  const same = (a: { siteId: string; day: string; workType: string }, b: typeof a) =>
    a.siteId === b.siteId && a.day === b.day && a.workType === b.workType;
  const moved = before.filter((old) => {
    const next = change.newSteps.find((n) => n.stepKey === old.stepKey);
    return !next || !same(old, next);
  });
  const added = change.newSteps.filter((next) => {
    const old = before.find((o) => o.stepKey === next.stepKey);
    return !old || !same(old, next);
  });
  const stateOf = (stepKey: string) => before.find((o) => o.stepKey === stepKey)?.state ?? 'booked';
  await applyUnits(trx, [
    ...releaseOf(moved),
    ...added.map(
      (s): UnitChange => ({
        stepKey: s.stepKey,
        siteId: s.siteId,
        workType: s.workType,
        day: s.day,
        op: stateOf(s.stepKey) === 'held' ? 'hold' : 'book_published',
      }),
    ),
  ]);
  const after: BookedStep[] = change.newSteps.map((s) => {
    const old = before.find((o) => o.stepKey === s.stepKey);
    return { ...s, published: old && same(old, s) ? old.published : true, state: stateOf(s.stepKey) };
  });
  await markUnits(trx, id, moved, 'released');
  await writeUnits(
    trx,
    id,
    after.filter((s) => added.some((a) => a.stepKey === s.stepKey)),
  );
  const updated = await trx
    .updateTable('scheduling_bookings')
    .set({ steps: jsonb(after), revision: row.revision + 1, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (change.proposalId)
    await trx
      .updateTable('scheduling_proposals')
      .set({ status: 'accepted' })
      .where('id', '=', change.proposalId)
      .execute();
  await trx
    .updateTable('scheduling_proposals')
    .set({ status: 'superseded' })
    .where('booking_id', '=', id)
    .where('status', '=', 'pending')
    .execute();
  await appendLedgerEntry(
    trx,
    {
      stream: stream(id),
      actor,
      action: 'scheduling.chain_replanned',
      recordType: 'scheduling_booking',
      recordId: id,
      before: { revision: row.revision, ...summary({ status: row.status, steps: before }) },
      after: { revision: row.revision + 1, ...summary({ status: updated.status, steps: after }) },
      reason: change.reason,
    },
    now,
  );
  // Affected: every partner with a site whose step was removed or added.
  const sites = await siteNames(trx, [...moved.map((s) => s.siteId), ...added.map((s) => s.siteId)]);
  const partners = [...new Set([...sites.values()].map((s) => s.partnerId))];
  const changes = added
    .map((s) => {
      const old = before.find((o) => o.stepKey === s.stepKey);
      return `${s.stepKey}: ${old ? `${old.day} → ` : ''}${s.day}`;
    })
    .join(', ');
  for (const partnerId of partners)
    await notifyPartner(trx, partnerId, 'scheduling:read', {
      body: `Case ${row.case_ref} was re-planned (${changes}). Reason: ${change.reason}`,
      payload: { bookingId: id, revision: row.revision + 1 },
      key: `scheduling:replan:${id}:r${row.revision + 1}:${partnerId}`,
      related: { type: 'scheduling_booking', id },
    });
  return { booking: await viewOf(trx, updated), notifiedPartners: partners };
}
