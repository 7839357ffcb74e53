import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { type Actor, systemActor } from '../../src/platform/access/actor.ts';
import { permissionsOf } from '../../src/platform/access/permissions.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { HttpProblem } from '../../src/platform/http/problem.ts';
import { startJobRunner } from '../../src/platform/jobs/job-runner.ts';
import { createLogger } from '../../src/platform/logger.ts';
import {
  type BookingView,
  cancelBooking,
  confirmHold,
  decideSlotRequest,
  expireHold,
  takeChain,
} from '../../src/scheduling/booking-store.ts';
import { CapacityCache } from '../../src/scheduling/capacity-cache.ts';
import { ChainUnavailable } from '../../src/scheduling/capacity-units.ts';
import { schedulingJobHandlers } from '../../src/scheduling/hold-expiry.ts';
import type { ChainStep } from '../../src/scheduling/scheduling-model.ts';
import { describeEachDatabase, pgliteTarget } from '../support/test-databases.ts';
import {
  counterMismatches,
  FIXTURE,
  type FixtureUnit,
  fixtureChain,
  fixtureDatabase,
} from './scheduling-fixture.ts';

const coordinator: Actor = systemActor('test-coordinator');
const plantScheduler: Actor = {
  kind: 'user',
  id: '00000000-0000-4000-a000-000000000001',
  displayName: 'Plant scheduler',
  partnerId: FIXTURE.plant.partnerId,
  partnerType: 'manufacturing_site',
  roles: ['manufacturing'],
  permissions: permissionsOf(['manufacturing']),
};

const steps = (units: FixtureUnit[]): ChainStep[] =>
  units.map((u) => ({
    ...u,
    startsAt: `${u.day}T07:00:00.000Z`,
    endsAt: `${u.day}T09:00:00.000Z`,
    published: true,
  }));

const subject = (caseRef: string) => ({
  caseId: null,
  caseRef,
  treatmentCentreId: FIXTURE.centre.id,
  centrePartnerId: FIXTURE.centre.partnerId,
  therapyCode: 'car-t-autologous',
});

async function counters(database: Parameters<typeof counterMismatches>[0], dayIndex: number) {
  const [collection, plant] = fixtureChain(dayIndex);
  const read = (u: FixtureUnit | undefined) =>
    database.db
      .selectFrom('scheduling_capacity')
      .select(['capacity', 'booked', 'held'])
      .where('site_id', '=', u?.siteId as string)
      .where('work_type', '=', u?.workType as string)
      .where('day', '=', u?.day as string)
      .executeTakeFirstOrThrow();
  return { collection: await read(collection), plant: await read(plant) };
}

const rejects409 = async (work: Promise<unknown>, code?: string) => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof HttpProblem, `expected a refusal, got ${String(error)}`);
  assert.equal(error.status, 409);
  if (code) assert.equal(error.extensions.code, code);
  return error;
};

describeEachDatabase('scheduling booking store', (target) => {
  let fixture: Awaited<ReturnType<typeof fixtureDatabase>>;
  const now = new Date('2031-03-01T10:00:00Z');
  before(async () => {
    fixture = await fixtureDatabase(target, {
      days: 6,
      capacity: ({ workType, dayIndex }) => (workType === 'apheresis' ? 5 : dayIndex === 1 ? 1 : 2),
      unpublished: [4, 5],
    });
  });
  after(() => fixture.close());

  it('holds a chain, confirms it into bookings, and cancelling gives every unit back, each change in the ledger', async () => {
    const { database } = fixture;
    const held = await inTransaction(database, (trx) =>
      takeChain(
        trx,
        coordinator,
        { subject: subject('HOLD-1'), steps: steps(fixtureChain(0)), mode: 'hold' },
        now,
      ),
    );
    assert.equal(held.status, 'held');
    assert.deepEqual(
      held.steps.map((s) => s.state),
      ['held', 'held'],
    );
    assert.equal(Date.parse(held.holdExpiresAt as string) - now.getTime(), 15 * 60_000);
    let c = await counters(database, 0);
    assert.deepEqual([c.collection.held, c.plant.held, c.plant.booked], [1, 1, 0]);

    const confirmed = await inTransaction(database, (trx) => confirmHold(trx, coordinator, held.id, now));
    assert.equal(confirmed.status, 'booked');
    c = await counters(database, 0);
    assert.deepEqual([c.collection.held, c.collection.booked, c.plant.booked], [0, 1, 1]);

    const cancelled = await inTransaction(database, (trx) =>
      cancelBooking(trx, coordinator, held.id, 'patient withdrew consent', now),
    );
    assert.equal(cancelled.status, 'cancelled');
    c = await counters(database, 0);
    assert.deepEqual([c.collection.booked, c.plant.booked, c.plant.held], [0, 0, 0]);

    const entries = await database.db
      .selectFrom('ledger_entries')
      .select(['action', 'reason'])
      .where('stream', '=', `scheduling-booking:${held.id}`)
      .orderBy('recorded_at')
      .execute();
    assert.deepEqual(
      entries.map((e) => e.action),
      ['scheduling.chain_held', 'scheduling.hold_confirmed', 'scheduling.booking_cancelled'],
    );
    assert.equal(entries[2]?.reason, 'patient withdrew consent');
    assert.deepEqual(await counterMismatches(database), { mismatched: 0, overbooked: 0 });
  });

  it("a process's capacity copy reads only the rows changed since its last refresh, and sees every change", async () => {
    const { database } = fixture;
    const cache = new CapacityCache();
    const all = await cache.refresh(database.db);
    assert.equal(all, 12, 'the first refresh reads every row');
    const [collection, plant] = fixtureChain(2);
    const before = cache.get(plant?.siteId as string, 'manufacturing_start', plant?.day as string);
    const held = await inTransaction(database, (trx) =>
      takeChain(
        trx,
        coordinator,
        { subject: subject('CACHE'), steps: steps(fixtureChain(2)), mode: 'hold' },
        now,
      ),
    );
    const changed = await cache.refresh(database.db);
    assert.ok(changed >= 2 && changed < all, `read ${changed} rows`);
    assert.equal(
      cache.get(plant?.siteId as string, 'manufacturing_start', plant?.day as string)?.held,
      (before?.held ?? 0) + 1,
    );
    assert.equal(cache.get(collection?.siteId as string, 'apheresis', collection?.day as string)?.held, 1);
    await inTransaction(database, (trx) => cancelBooking(trx, coordinator, held.id, 'cache test', now));
    await cache.refresh(database.db);
    assert.equal(
      cache.get(plant?.siteId as string, 'manufacturing_start', plant?.day as string)?.held,
      before?.held,
    );
  });

  it('takes all units or none: a full plant day leaves the collection slot untouched', async () => {
    const { database } = fixture;
    await inTransaction(database, (trx) =>
      takeChain(
        trx,
        coordinator,
        { subject: subject('FULL-1'), steps: steps(fixtureChain(1)), mode: 'book' },
        now,
      ),
    );
    const beforeRefusal = await counters(database, 1);
    const error = await rejects409(
      inTransaction(database, (trx) =>
        takeChain(
          trx,
          coordinator,
          { subject: subject('FULL-2'), steps: steps(fixtureChain(1)), mode: 'book' },
          now,
        ),
      ),
      'chain_unavailable',
    );
    assert.ok(error instanceof ChainUnavailable);
    assert.equal(error.unit.stepKey, 'manufacturing');
    assert.deepEqual(await counters(database, 1), beforeRefusal);
    const refused = await database.db
      .selectFrom('scheduling_bookings')
      .select('id')
      .where('case_ref', '=', 'FULL-2')
      .execute();
    assert.equal(refused.length, 0);
  });

  it('refuses a second live booking for the same case', async () => {
    const { database } = fixture;
    await inTransaction(database, (trx) =>
      takeChain(
        trx,
        coordinator,
        { subject: subject('TWICE'), steps: steps(fixtureChain(2)), mode: 'hold' },
        now,
      ),
    );
    await rejects409(
      inTransaction(database, (trx) =>
        takeChain(
          trx,
          coordinator,
          { subject: subject('TWICE'), steps: steps(fixtureChain(3)), mode: 'hold' },
          now,
        ),
      ),
      'case_already_booked',
    );
    assert.deepEqual(await counterMismatches(database), { mismatched: 0, overbooked: 0 });
  });

  it('an expired hold cannot be confirmed, before and after its timer released it', async () => {
    const { database } = fixture;
    const held = await inTransaction(database, (trx) =>
      takeChain(
        trx,
        coordinator,
        { subject: subject('LATE'), steps: steps(fixtureChain(3)), mode: 'hold', holdSeconds: 60 },
        now,
      ),
    );
    const later = new Date(now.getTime() + 61_000);
    const beforeTimer = await rejects409(
      inTransaction(database, (trx) => confirmHold(trx, coordinator, held.id, later)),
      'hold_expired',
    );
    assert.match(beforeTimer.message, /expired/);
    assert.equal(
      await inTransaction(database, (trx) => expireHold(trx, systemActor('timer'), held.id, now)),
      'rescheduled',
      'a timer that runs early waits for the expiry instant',
    );
    assert.equal(
      await inTransaction(database, (trx) => expireHold(trx, systemActor('timer'), held.id, later)),
      'expired',
    );
    await rejects409(
      inTransaction(database, (trx) => confirmHold(trx, coordinator, held.id, later)),
      'hold_expired',
    );
    const c = await counters(database, 3);
    assert.deepEqual([c.collection.held, c.plant.held], [0, 0]);
  });

  it('an unpublished slot becomes a request the plant confirms (booked) or declines (nothing booked, released)', async () => {
    const { database } = fixture;
    const requested = await inTransaction(database, (trx) =>
      takeChain(
        trx,
        coordinator,
        { subject: subject('REQ-1'), steps: steps(fixtureChain(4)), mode: 'book' },
        now,
      ),
    );
    assert.equal(requested.status, 'requested');
    assert.equal(requested.slotRequests.length, 1);
    assert.equal(requested.slotRequests[0]?.stepKey, 'manufacturing');
    const requestId = requested.slotRequests[0]?.id as string;
    const other: Actor = { ...plantScheduler, partnerId: FIXTURE.collection.partnerId };
    await assert.rejects(
      inTransaction(database, (trx) => decideSlotRequest(trx, other, requestId, { confirm: true }, now)),
      (e: HttpProblem) => e.status === 404,
    );
    const booked = await inTransaction(database, (trx) =>
      decideSlotRequest(trx, plantScheduler, requestId, { confirm: true }, now),
    );
    assert.equal(booked.status, 'booked');
    assert.deepEqual(
      booked.steps.map((s) => s.state),
      ['booked', 'booked'],
    );

    const second = await inTransaction(database, (trx) =>
      takeChain(
        trx,
        coordinator,
        { subject: subject('REQ-2'), steps: steps(fixtureChain(5)), mode: 'book' },
        now,
      ),
    );
    const declined = await inTransaction(database, (trx) =>
      decideSlotRequest(
        trx,
        plantScheduler,
        second.slotRequests[0]?.id as string,
        { confirm: false, reason: 'line maintenance' },
        now,
      ),
    );
    assert.equal(declined.status, 'declined');
    assert.match(declined.statusReason ?? '', /line maintenance/);
    const c = await counters(database, 5);
    assert.deepEqual([c.collection.booked, c.collection.held, c.plant.held, c.plant.booked], [0, 0, 0, 0]);
    assert.deepEqual(await counterMismatches(database), { mismatched: 0, overbooked: 0 });
  });
});

describeEachDatabase('scheduling hold expiry timer', (target) => {
  it("frees a hold's capacity within 1 s of its expiry, by the job runner alone", async () => {
    const fixture = await fixtureDatabase(target, { days: 1, capacity: () => 3 });
    const runner = await startJobRunner({
      database: fixture.database,
      logger: createLogger('silent'),
      handlers: schedulingJobHandlers(),
      concurrency: 2,
      pollMs: 500,
    });
    try {
      const held: BookingView = await inTransaction(fixture.database, (trx) =>
        takeChain(
          trx,
          coordinator,
          { subject: subject('TIMER'), steps: steps(fixtureChain(0)), mode: 'hold', holdSeconds: 2 },
          new Date(),
        ),
      );
      const expiresAt = Date.parse(held.holdExpiresAt as string);
      let freedAt: number | undefined;
      while (Date.now() < expiresAt + 5_000) {
        const c = await counters(fixture.database, 0);
        if (c.plant.held === 0 && c.collection.held === 0) {
          freedAt = Date.now();
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.ok(freedAt, 'the hold was never released');
      assert.ok(freedAt >= expiresAt - 1_000, 'released long before its expiry');
      assert.ok(freedAt - expiresAt <= 1_000, `released ${freedAt - expiresAt} ms after expiry`);
      const booking = await fixture.database.db
        .selectFrom('scheduling_bookings')
        .select('status')
        .where('id', '=', held.id)
        .executeTakeFirstOrThrow();
      assert.equal(booking.status, 'expired');
    } finally {
      await runner.stop();
      await fixture.close();
    }
  });
});

type Command =
  | { kind: 'hold' | 'book'; dayIndex: number }
  | { kind: 'confirm' | 'cancel' | 'expire'; pick: number };

it('[pglite] property: any sequence of hold/book/confirm/cancel/expire keeps booked + held ≤ capacity and counters equal to the live units', async () => {
  const fixture = await fixtureDatabase(pgliteTarget, { days: 3, capacity: ({ dayIndex }) => dayIndex + 1 });
  const { database } = fixture;
  let run = 0;
  try {
    const command: fc.Arbitrary<Command> = fc.oneof(
      fc.record({
        kind: fc.constantFrom('hold' as const, 'book' as const),
        dayIndex: fc.integer({ min: 0, max: 2 }),
      }),
      fc.record({
        kind: fc.constantFrom('confirm' as const, 'cancel' as const, 'expire' as const),
        pick: fc.nat(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        run++;
        const ids: string[] = [];
        let clock = Date.parse('2031-03-01T10:00:00Z');
        for (const [n, c] of commands.entries()) {
          clock += 60_000;
          const at = new Date(clock);
          try {
            if (c.kind === 'hold' || c.kind === 'book') {
              const view = await inTransaction(database, (trx) =>
                takeChain(
                  trx,
                  coordinator,
                  {
                    subject: subject(`P${run}-${n}`),
                    steps: steps(fixtureChain(c.dayIndex)),
                    mode: c.kind as 'hold',
                    holdSeconds: 120,
                  },
                  at,
                ),
              );
              ids.push(view.id);
            } else if (ids.length > 0) {
              const id = ids[(c as { pick: number }).pick % ids.length] as string;
              if (c.kind === 'confirm')
                await inTransaction(database, (trx) => confirmHold(trx, coordinator, id, at));
              else if (c.kind === 'cancel')
                await inTransaction(database, (trx) =>
                  cancelBooking(trx, coordinator, id, 'property test', at),
                );
              else
                await inTransaction(database, (trx) =>
                  expireHold(trx, systemActor('timer'), id, new Date(clock + 10 * 60_000)),
                );
            }
          } catch (error) {
            // Refusals (full, expired, not live) are expected; anything else is a failure.
            if (!(error instanceof HttpProblem) || error.status !== 409) throw error;
          }
          const check = await counterMismatches(database);
          assert.deepEqual(
            check,
            { mismatched: 0, overbooked: 0 },
            `after command ${n}: ${JSON.stringify(c)}`,
          );
        }
        // End of run: give everything back so the next run starts from free capacity.
        for (const id of ids)
          await inTransaction(database, (trx) =>
            cancelBooking(trx, coordinator, id, 'reset', new Date(clock)),
          ).catch(() => {});
      }),
      { numRuns: 25 },
    );
  } finally {
    await fixture.close();
  }
});
