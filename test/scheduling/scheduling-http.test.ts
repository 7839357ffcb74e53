import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { addDays } from '../../src/scheduling/site-calendar.ts';
import {
  type AccessTestServer,
  call,
  sessionCookieFor,
  startAccessTestServer,
} from '../access/access-test-server.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { counterMismatches } from './scheduling-fixture.ts';

const CENTRE = 'centre.coordinator@st-elisabeth.example';
const OTHER_CENTRE = 'centre.coordinator@lakeside.example';
const PLANT = 'manufacturing@aurora-leiden.example';
// The demo network publishes capacity from the day it is seeded; searches start a few days later.
const EARLIEST = addDays(new Date().toISOString().slice(0, 10), 3);

type Step = { stepKey: string; siteId: string; day: string; published: boolean; workType: string };
const chainBody = (steps: Step[]) => steps.map((s) => ({ stepKey: s.stepKey, siteId: s.siteId, day: s.day }));

describeEachDatabase('scheduling API', (target) => {
  let server: AccessTestServer;
  let centre: string;
  let otherCentre: string;
  let plant: string;
  let caseIds: string[];
  let steCentreSiteId: string;
  let sites: Map<string, string>;

  before(async () => {
    server = await startAccessTestServer(target);
    centre = await sessionCookieFor(server, CENTRE);
    otherCentre = await sessionCookieFor(server, OTHER_CENTRE);
    plant = await sessionCookieFor(server, PLANT);
    const ste = await server.database.db
      .selectFrom('partners')
      .select('id')
      .where('code', '=', 'ST-ELISABETH')
      .executeTakeFirstOrThrow();
    caseIds = (
      await server.database.db
        .selectFrom('cases')
        .select('id')
        .where('treatment_centre_partner_id', '=', ste.id)
        .where('template_code', '=', 'car-t-autologous')
        .orderBy('opened_at')
        .execute()
    ).map((c) => c.id);
    const siteRows = await server.database.db.selectFrom('sites').select(['id', 'code']).execute();
    sites = new Map(siteRows.map((s) => [s.code, s.id]));
    steCentreSiteId = sites.get('STE-HAEM') as string;
  });
  after(() => server.close());

  const search = (cookie: string, body: unknown) =>
    call(server, 'POST', '/api/scheduling/search', { cookie, body });
  const firstChain = async (caseId: string, extra: Record<string, unknown> = {}) => {
    const found = await search(centre, { caseId, earliestDate: EARLIEST, count: 3, ...extra });
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.ok(found.body.chains.length > 0, 'the demo network offers a chain');
    return found.body.chains as { steps: Step[]; infusionDay: string }[];
  };
  const ledgerCount = async () =>
    Number(
      (
        await server.database.db
          .selectFrom('ledger_entries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('finds slot chains for a demo CAR-T case: every step, in order, ranked by earliest infusion', async () => {
    const chains = await firstChain(caseIds[0] as string);
    for (const chain of chains) {
      assert.deepEqual(
        chain.steps.map((s) => s.stepKey),
        ['apheresis', 'manufacturing', 'qa_release', 'conditioning', 'infusion'],
      );
      assert.ok(chain.steps.every((s) => s.day >= EARLIEST));
    }
    const infusions = chains.map((c) => c.infusionDay);
    assert.deepEqual(infusions, [...infusions].sort());
    const text = JSON.stringify(chains);
    assert.doesNotMatch(text, /patient|name/i);
  });

  it('refuses bad searches with 422 naming the field and the reason', async () => {
    const past = await search(centre, { caseId: caseIds[0], earliestDate: '2020-01-06' });
    assert.equal(past.status, 422);
    assert.equal(past.body.errors[0].field, 'body.earliestDate');
    const unknownSite = await search(centre, {
      therapyCode: 'car-t-autologous',
      treatmentCentreId: '6f9619ff-8b86-4011-b42d-00cf4fc964ff',
      earliestDate: EARLIEST,
    });
    assert.equal(unknownSite.status, 422);
    assert.equal(unknownSite.body.errors[0].field, 'body.treatmentCentreId');
    const unknownTherapy = await search(centre, {
      therapyCode: 'no-such-therapy',
      treatmentCentreId: steCentreSiteId,
      earliestDate: EARLIEST,
    });
    assert.equal(unknownTherapy.status, 422);
    assert.equal(unknownTherapy.body.errors[0].field, 'body.therapyCode');
    const neither = await search(centre, { earliestDate: EARLIEST });
    assert.equal(neither.status, 422);
    const notADay = await search(centre, { caseId: caseIds[0], earliestDate: '2026-13-45' });
    assert.equal(notADay.status, 422);
  });

  it('refuses a chain with no route or impossible lead times with 422, and books nothing', async () => {
    const [chain] = await firstChain(caseIds[0] as string);
    const steps = chainBody(chain?.steps as Step[]);
    const ledgerBefore = await ledgerCount();
    const noRoute = await call(server, 'POST', '/api/scheduling/holds', {
      cookie: centre,
      body: {
        caseId: caseIds[0],
        steps: steps.map((s) => (s.stepKey === 'apheresis' ? { ...s, siteId: sites.get('NBA-MAIN') } : s)),
      },
    });
    assert.equal(noRoute.status, 422, JSON.stringify(noRoute.body));
    assert.match(JSON.stringify(noRoute.body.errors), /route/i);
    const tooClose = await call(server, 'POST', '/api/scheduling/holds', {
      cookie: centre,
      body: {
        caseId: caseIds[0],
        steps: steps.map((s) => (s.stepKey === 'infusion' ? { ...s, day: steps[1]?.day } : s)),
      },
    });
    assert.equal(tooClose.status, 422, JSON.stringify(tooClose.body));
    assert.match(JSON.stringify(tooClose.body.errors), /lead time|after|before/i);
    assert.equal(await ledgerCount(), ledgerBefore);
    const bookings = await server.database.db.selectFrom('scheduling_bookings').select('id').execute();
    assert.equal(bookings.length, 0);
    assert.deepEqual(await counterMismatches(server.database), { mismatched: 0, overbooked: 0 });
  });

  it('hold with an Idempotency-Key replays the same booking; the same key with another body is refused', async () => {
    const [chain] = await firstChain(caseIds[1] as string);
    const body = { caseId: caseIds[1], steps: chainBody(chain?.steps as Step[]) };
    const headers = { 'idempotency-key': 'hold-case-2-attempt-1' };
    const first = await call(server, 'POST', '/api/scheduling/holds', { cookie: centre, body, headers });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.booking.status, 'held');
    // Without holdSeconds a hold keeps its capacity for SCHEDULING_HOLD_MINUTES (15 by default).
    const { holdExpiresAt, createdAt } = first.body.booking;
    assert.equal(Date.parse(holdExpiresAt) - Date.parse(createdAt), 15 * 60_000);
    const again = await call(server, 'POST', '/api/scheduling/holds', { cookie: centre, body, headers });
    assert.equal(again.status, 201);
    assert.equal(again.body.booking.id, first.body.booking.id);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const other = await call(server, 'POST', '/api/scheduling/holds', {
      cookie: centre,
      body: { ...body, steps: body.steps.slice(0, 4) },
      headers,
    });
    assert.equal(other.status, 422);
    assert.match(other.body.detail, /already used/);
    const held = await server.database.db
      .selectFrom('scheduling_bookings')
      .select('id')
      .where('case_id', '=', caseIds[1] as string)
      .execute();
    assert.equal(held.length, 1);

    const confirmed = await call(
      server,
      'POST',
      `/api/scheduling/bookings/${first.body.booking.id}/confirm`,
      { cookie: centre, body: {} },
    );
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.booking.status, 'booked');
    // Another centre neither sees nor changes it.
    const foreign = await call(server, 'POST', `/api/scheduling/bookings/${first.body.booking.id}/cancel`, {
      cookie: otherCentre,
      body: { reason: 'not mine' },
    });
    assert.equal(foreign.status, 404);
    // The plant sees the booking that uses its site.
    const seen = await call(server, 'GET', `/api/scheduling/bookings/${first.body.booking.id}`, {
      cookie: plant,
    });
    assert.equal(seen.status, 200, JSON.stringify(seen.body));
    const cancelled = await call(server, 'POST', `/api/scheduling/bookings/${first.body.booking.id}/cancel`, {
      cookie: centre,
      body: { reason: 'patient not fit for apheresis' },
    });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.booking.status, 'cancelled');
    assert.deepEqual(await counterMismatches(server.database), { mismatched: 0, overbooked: 0 });
  });

  it('a unit taken meanwhile: 409 with alternatives, and the capacity view counts what is booked', async () => {
    const [chain] = await firstChain(caseIds[0] as string);
    const steps = chainBody(chain?.steps as Step[]);
    const apheresisDay = steps[0]?.day as string;
    const collectionSite = steps[0]?.siteId as string;
    const capacity = await call(
      server,
      'GET',
      `/api/scheduling/capacity?siteId=${collectionSite}&workType=apheresis&from=${apheresisDay}&days=1`,
      { cookie: centre },
    );
    assert.equal(capacity.status, 200);
    const free = capacity.body.days[0].free as number;
    assert.ok(free >= 1);
    const answers = [];
    for (let n = 0; n <= free; n++)
      answers.push(
        await call(server, 'POST', '/api/scheduling/bookings', {
          cookie: centre,
          body: {
            therapyCode: 'car-t-autologous',
            treatmentCentreId: steCentreSiteId,
            caseRef: `WALK-IN-${n}`,
            steps,
          },
        }),
      );
    assert.deepEqual(
      answers.map((a) => a.status),
      [...Array.from({ length: free }, () => 201), 409],
    );
    const refused = answers[free];
    assert.equal(refused?.body.code, 'chain_unavailable');
    assert.ok(Array.isArray(refused?.body.alternatives) && refused.body.alternatives.length > 0);
    assert.ok(
      refused.body.alternatives.every((c: { steps: Step[] }) =>
        c.steps.every(
          (s) => !(s.stepKey === 'apheresis' && s.siteId === collectionSite && s.day === apheresisDay),
        ),
      ),
      'no alternative offers the full day again',
    );
    const after = await call(
      server,
      'GET',
      `/api/scheduling/capacity?siteId=${collectionSite}&workType=apheresis&from=${apheresisDay}&days=1`,
      { cookie: centre },
    );
    assert.equal(after.body.days[0].free, 0);
    assert.equal(after.body.days[0].booked, capacity.body.days[0].booked + free);
    for (const answer of answers.slice(0, free))
      await call(server, 'POST', `/api/scheduling/bookings/${answer.body.booking.id}/cancel`, {
        cookie: centre,
        body: { reason: 'test clean-up' },
      });
  });

  it('re-plan: preview shows before/after; accepting moves it atomically, records old → new and notifies every affected partner', async () => {
    const [chain] = await firstChain(caseIds[0] as string);
    const booked = await call(server, 'POST', '/api/scheduling/bookings', {
      cookie: centre,
      body: { caseId: caseIds[0], steps: chainBody(chain?.steps as Step[]) },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    const id = booked.body.booking.id as string;
    const apheresis = booked.body.booking.steps[0] as Step;
    const move = { stepKey: 'apheresis', day: addDays(apheresis.day, 7), reason: 'patient has an infection' };
    const preview = await call(server, 'POST', `/api/scheduling/bookings/${id}/replan-preview`, {
      cookie: centre,
      body: move,
    });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    const proposal = preview.body.proposal;
    assert.equal(proposal.feasible, true, proposal.reason);
    assert.ok(proposal.after.steps[0].day >= move.day);
    const stillBooked = await call(server, 'GET', `/api/scheduling/bookings/${id}`, { cookie: centre });
    assert.deepEqual(stillBooked.body.booking.steps, booked.body.booking.steps, 'a preview changes nothing');

    const accepted = await call(server, 'POST', `/api/scheduling/bookings/${id}/replan`, {
      cookie: centre,
      body: { ...move, expectedRevision: 1 },
    });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.booking.revision, 2);
    assert.deepEqual(
      accepted.body.booking.steps.map((s: Step) => s.day),
      proposal.after.steps.map((s: Step) => s.day),
    );
    const entry = await server.database.db
      .selectFrom('ledger_entries')
      .select(['before', 'after', 'reason'])
      .where('stream', '=', `scheduling-booking:${id}`)
      .where('action', '=', 'scheduling.chain_replanned')
      .executeTakeFirstOrThrow();
    assert.equal(entry.reason, 'patient has an infection');
    assert.equal(JSON.parse(entry.before as string).steps[0].day, apheresis.day);
    assert.equal(JSON.parse(entry.after as string).steps[0].day, accepted.body.booking.steps[0].day);
    // Affected partners: the owners of every site that lost or gained a step.
    const beforeSteps = booked.body.booking.steps as Step[];
    const moved = (accepted.body.booking.steps as Step[]).filter((s, i) => s.day !== beforeSteps[i]?.day);
    const partnerOfSite = new Map(
      (await server.database.db.selectFrom('sites').select(['id', 'partner_id']).execute()).map((s) => [
        s.id,
        s.partner_id,
      ]),
    );
    const affected = new Set(moved.map((s) => partnerOfSite.get(s.siteId)));
    assert.deepEqual(new Set(accepted.body.notifiedPartners), affected);
    const messages = await server.database.db
      .selectFrom('outbox_messages as m')
      .innerJoin('users as u', (j) => j.on(sql<boolean>`u.id::text = m.recipient`))
      .select(['u.partner_id'])
      .where('m.related_record_id', '=', id)
      .where('m.body', 'like', '%re-planned%')
      .execute();
    assert.deepEqual(new Set(messages.map((m) => m.partner_id)), affected);
    // A stale accept (the preview's revision is gone) is refused and changes nothing.
    const stale = await call(server, 'POST', `/api/scheduling/bookings/${id}/replan`, {
      cookie: centre,
      body: { ...move, expectedRevision: 1 },
    });
    assert.equal(stale.status, 409);
    assert.deepEqual(await counterMismatches(server.database), { mismatched: 0, overbooked: 0 });
  });

  it('a delay reported by the plant becomes a proposal for the centre, which accepts it through the re-plan', async () => {
    const booking = (
      await call(server, 'GET', `/api/scheduling/bookings?caseId=${caseIds[0]}&status=booked`, {
        cookie: centre,
      })
    ).body.bookings[0];
    assert.ok(booking, 'the booking of the previous test');
    const byCentre = await call(server, 'POST', `/api/scheduling/bookings/${booking.id}/delays`, {
      cookie: centre,
      body: { stepKey: 'qa_release', delayHours: 48, reason: 'sterility retest' },
    });
    assert.equal(byCentre.status, 403, 'a centre coordinator has no scheduling:capacity');
    const reported = await call(server, 'POST', `/api/scheduling/bookings/${booking.id}/delays`, {
      cookie: plant,
      body: { stepKey: 'qa_release', delayHours: 48, reason: 'sterility retest' },
    });
    assert.equal(reported.status, 201, JSON.stringify(reported.body));
    assert.equal(reported.body.proposal.feasible, true, reported.body.proposal.reason);
    const centreUser = await server.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CENTRE)
      .executeTakeFirstOrThrow();
    const told = await server.database.db
      .selectFrom('outbox_messages')
      .select('body')
      .where('recipient', '=', centreUser.id)
      .where('related_record_id', '=', booking.id)
      .where('body', 'like', '%delay%')
      .execute();
    assert.equal(told.length, 1);
    const unchanged = await call(server, 'GET', `/api/scheduling/bookings/${booking.id}`, { cookie: centre });
    assert.equal(unchanged.body.booking.revision, booking.revision, 'a reported delay changes nothing yet');
    const accepted = await call(server, 'POST', `/api/scheduling/bookings/${booking.id}/replan`, {
      cookie: centre,
      body: { proposalId: reported.body.proposalId },
    });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const release = accepted.body.booking.steps.find((s: Step) => s.stepKey === 'qa_release');
    const old = booking.steps.find((s: Step) => s.stepKey === 'qa_release');
    assert.ok(release.day > old.day);
    const proposals = await call(server, 'GET', `/api/scheduling/bookings/${booking.id}/proposals`, {
      cookie: centre,
    });
    assert.equal(proposals.body.proposals[0].status, 'accepted');
    assert.deepEqual(await counterMismatches(server.database), { mismatched: 0, overbooked: 0 });
  });

  it('an unpublished plant day is requested; the plant declines with a reason and the coordinator is told', async () => {
    const chains = await firstChain(caseIds[1] as string, {
      preferences: { includeUnpublished: true },
      count: 10,
    });
    const requestChain = chains.find((c) => c.steps.some((s) => !s.published));
    assert.ok(requestChain, 'a chain using an unpublished Saturday at the plant');
    const booked = await call(server, 'POST', '/api/scheduling/bookings', {
      cookie: centre,
      body: { caseId: caseIds[1], steps: chainBody(requestChain.steps) },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    assert.equal(booked.body.booking.status, 'requested');
    const pending = await call(server, 'GET', '/api/scheduling/slot-requests?status=pending', {
      cookie: plant,
    });
    const request = pending.body.slotRequests.find(
      (r: { bookingId: string }) => r.bookingId === booked.body.booking.id,
    );
    assert.ok(request);
    const declined = await call(server, 'POST', `/api/scheduling/slot-requests/${request.id}/decline`, {
      cookie: plant,
      body: { reason: 'no operator that Saturday' },
    });
    assert.equal(declined.status, 200);
    assert.equal(declined.body.booking.status, 'declined');
    const centreUser = await server.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CENTRE)
      .executeTakeFirstOrThrow();
    const told = await server.database.db
      .selectFrom('outbox_messages')
      .select('body')
      .where('recipient', '=', centreUser.id)
      .where('body', 'like', '%declined%')
      .execute();
    assert.ok(told.length >= 1);
    assert.deepEqual(await counterMismatches(server.database), { mismatched: 0, overbooked: 0 });
  });

  it("shows the patient's conflicts between booked steps and other appointments", async () => {
    const booking = (
      await call(server, 'GET', `/api/scheduling/bookings?caseId=${caseIds[0]}&status=booked`, {
        cookie: centre,
      })
    ).body.bookings[0];
    const infusion = booking.steps.find((s: Step) => s.stepKey === 'infusion');
    const added = await call(server, 'POST', `/api/scheduling/cases/${caseIds[0]}/appointments`, {
      cookie: centre,
      body: { label: 'Dental surgery', startsAt: infusion.startsAt, endsAt: infusion.endsAt },
    });
    assert.equal(added.status, 201);
    const conflicts = await call(server, 'GET', `/api/scheduling/cases/${caseIds[0]}/conflicts`, {
      cookie: centre,
    });
    assert.equal(conflicts.status, 200);
    assert.equal(conflicts.body.conflicts.length, 1);
    assert.ok(conflicts.body.conflicts[0].overlapMinutes > 0);
    assert.ok(conflicts.body.conflicts[0].resolutions.length > 0);
    const foreign = await call(server, 'GET', `/api/scheduling/cases/${caseIds[0]}/conflicts`, {
      cookie: otherCentre,
    });
    assert.equal(foreign.status, 404);
  });

  it("a plant publishes its own site's capacity (ledgered), never below what is taken, and not another partner's", async () => {
    const plantSite = sites.get('ALM-PLANT') as string;
    const day = addDays(EARLIEST, 20);
    const published = await call(server, 'PUT', '/api/scheduling/capacity', {
      cookie: plant,
      body: {
        siteId: plantSite,
        workType: 'manufacturing_start',
        days: [{ day, capacity: 5, published: true }],
        reason: 'extra shift',
      },
    });
    assert.equal(published.status, 200, JSON.stringify(published.body));
    const view = await call(
      server,
      'GET',
      `/api/scheduling/capacity?siteId=${plantSite}&workType=manufacturing_start&from=${day}&days=1`,
      { cookie: centre },
    );
    assert.deepEqual(
      { capacity: view.body.days[0].capacity, published: view.body.days[0].published },
      { capacity: 5, published: true },
    );
    const entry = await server.database.db
      .selectFrom('ledger_entries')
      .select(['action', 'reason'])
      .where('stream', '=', `scheduling-capacity:${plantSite}`)
      .executeTakeFirstOrThrow();
    assert.deepEqual(entry, { action: 'scheduling.capacity_published', reason: 'extra shift' });
    const other = await call(server, 'PUT', '/api/scheduling/capacity', {
      cookie: plant,
      body: {
        siteId: sites.get('ANJ-PLANT'),
        workType: 'manufacturing_start',
        days: [{ day, capacity: 9, published: true }],
      },
    });
    assert.equal(other.status, 404);
    const taken = (
      await call(server, 'GET', `/api/scheduling/bookings?caseId=${caseIds[0]}&status=booked`, {
        cookie: centre,
      })
    ).body.bookings[0].steps.find((s: Step) => s.stepKey === 'manufacturing');
    const below = await call(server, 'PUT', '/api/scheduling/capacity', {
      cookie: plant,
      body: {
        siteId: taken.siteId,
        workType: 'manufacturing_start',
        days: [{ day: taken.day, capacity: 0, published: true }],
      },
    });
    assert.equal(below.status, 409);
    assert.deepEqual(await counterMismatches(server.database), { mismatched: 0, overbooked: 0 });
  });
});
