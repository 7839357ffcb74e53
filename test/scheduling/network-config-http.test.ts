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

const NETWORK_ADMIN = 'coordinator@aurora.example';
const CENTRE = 'centre.coordinator@st-elisabeth.example';
const EARLIEST = addDays(new Date().toISOString().slice(0, 10), 3);
const UNKNOWN = '6f9619ff-8b86-4011-b42d-00cf4fc964ff';

type Step = { stepKey: string; siteId: string; day: string };

describeEachDatabase('scheduling network configuration API', (target) => {
  let server: AccessTestServer;
  let admin: string;
  let centre: string;
  let caseIds: string[];
  let sites: Map<string, string>;
  const site = (code: string) => sites.get(code) as string;

  before(async () => {
    server = await startAccessTestServer(target);
    admin = await sessionCookieFor(server, NETWORK_ADMIN);
    centre = await sessionCookieFor(server, CENTRE);
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
  });
  after(() => server.close());

  /** Everything a network change could touch: a refused request must leave it exactly as it was. */
  const fingerprint = async () => {
    const { rows } = await sql<Record<string, unknown>>`
      select (select count(*)::int from ledger_entries) as ledger,
             (select json_agg(json_build_object('s', site_id, 'h', opening_hours, 'c', closures) order by site_id)
                from scheduling_sites)::text as calendars,
             (select json_agg(time_zone order by id) from sites)::text as zones,
             (select json_agg(json_build_object('f', from_site_id, 't', to_site_id, 'l', leg, 'h', transport_hours)
                order by from_site_id, to_site_id) from scheduling_routes)::text as routes,
             (select json_agg(json_build_object('c', treatment_centre_id, 't', therapy_code, 'r', rank,
                'p', plant_ids) order by treatment_centre_id, therapy_code, rank)
                from scheduling_preferred_site_sets)::text as sets`.execute(server.database.db);
    return rows[0];
  };
  const lastLedger = async (action: string) =>
    server.database.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('action', '=', action)
      .orderBy('position', 'desc')
      .executeTakeFirstOrThrow();
  const refused = async (
    method: string,
    path: string,
    body: unknown,
    status: number,
    field?: string | RegExp,
    cookie = admin,
  ) => {
    const before = await fingerprint();
    const response = await call(server, method, path, { cookie, body });
    assert.equal(response.status, status, `${method} ${path}: ${JSON.stringify(response.body)}`);
    if (typeof field === 'string')
      assert.ok(
        (response.body.errors as { field: string }[]).some((e) => e.field === field),
        `${field} in ${JSON.stringify(response.body.errors)}`,
      );
    else if (field) assert.match(JSON.stringify(response.body), field);
    assert.deepEqual(await fingerprint(), before, `${method} ${path} changed nothing`);
    return response;
  };
  const search = async (body: Record<string, unknown>) => {
    const found = await call(server, 'POST', '/api/scheduling/search', {
      cookie: admin,
      body: { earliestDate: EARLIEST, count: 5, explain: true, ...body },
    });
    assert.equal(found.status, 200, JSON.stringify(found.body));
    return found.body as {
      chains: { steps: Step[] }[];
      exclusions: { code: string; siteId?: string; day?: string; lastDay?: string; reason: string }[];
    };
  };

  it('shows the network to scheduling:read holders: calendars, routes and preferred site sets', async () => {
    const response = await call(server, 'GET', '/api/scheduling/network', { cookie: centre });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const aph = response.body.calendars.find((c: { code: string }) => c.code === 'STE-APH');
    assert.equal(aph.openingHours.length, 5);
    assert.ok(
      response.body.routes.some(
        (r: { fromSiteId: string; toSiteId: string }) =>
          r.fromSiteId === site('STE-APH') && r.toSiteId === site('ALM-PLANT'),
      ),
    );
    assert.ok(
      response.body.preferredSiteSets.some(
        (s: { treatmentCentreId: string; rank: number }) => s.treatmentCentreId === site('STE-HAEM'),
      ),
    );
  });

  it('refuses every network change to a centre coordinator (403), changing nothing', async () => {
    const reason = 'not allowed here';
    await refused(
      'PUT',
      `/api/scheduling/sites/${site('STE-APH')}/calendar`,
      { openingHours: [], reason },
      403,
      undefined,
      centre,
    );
    await refused(
      'POST',
      `/api/scheduling/sites/${site('STE-APH')}/closures`,
      { from: EARLIEST, to: EARLIEST, reason },
      403,
      undefined,
      centre,
    );
    await refused(
      'PUT',
      '/api/scheduling/routes',
      {
        fromSiteId: site('NBA-MAIN'),
        toSiteId: site('ALM-PLANT'),
        leg: 'collection_to_plant',
        transportHours: 5,
        reason,
      },
      403,
      undefined,
      centre,
    );
    await refused(
      'PUT',
      '/api/scheduling/preferred-site-sets',
      { treatmentCentreId: site('STE-HAEM'), therapyCode: 'car-t-autologous', sets: [], reason },
      403,
      undefined,
      centre,
    );
  });

  it('sets opening hours and time zone with a ledger entry; refuses bad calendars naming the field', async () => {
    const path = `/api/scheduling/sites/${site('NBA-MAIN')}/calendar`;
    const hours = [
      { weekday: 1, opens: '07:00', closes: '15:00' },
      { weekday: 2, opens: '07:00', closes: '15:00' },
    ];
    const reason = 'Winter staffing';
    await refused('PUT', `/api/scheduling/sites/${UNKNOWN}/calendar`, { openingHours: hours, reason }, 404);
    await refused(
      'PUT',
      path,
      { timeZone: 'Mars/Olympus', openingHours: hours, reason },
      422,
      'body.timeZone',
    );
    await refused(
      'PUT',
      path,
      { openingHours: [{ weekday: 1, opens: '15:00', closes: '07:00' }], reason },
      422,
      'body.openingHours.0.closes',
    );
    await refused(
      'PUT',
      path,
      { openingHours: [...hours, { weekday: 1, opens: '16:00', closes: '17:00' }], reason },
      422,
      'body.openingHours.2.weekday',
    );
    await refused(
      'PUT',
      path,
      { openingHours: [{ weekday: 8, opens: '07:00', closes: '15:00' }], reason },
      422,
    );
    await refused('PUT', path, { openingHours: hours }, 422, 'body.reason');

    const before = (
      await call(server, 'GET', '/api/scheduling/network', { cookie: admin })
    ).body.calendars.find((c: { code: string }) => c.code === 'NBA-MAIN');
    const set = await call(server, 'PUT', path, {
      cookie: admin,
      body: { timeZone: 'Europe/Lisbon', openingHours: hours, reason },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.timeZone, 'Europe/Lisbon');
    assert.equal(set.body.openingHours.length, 2);
    const entry = await lastLedger('scheduling.site_calendar_set');
    assert.equal(entry.stream, `scheduling-site:${site('NBA-MAIN')}`);
    assert.equal(entry.reason, reason);
    assert.deepEqual(JSON.parse(entry.before as string), {
      timeZone: before.timeZone,
      openingHours: before.openingHours,
    });
    assert.deepEqual(JSON.parse(entry.after as string), { timeZone: 'Europe/Lisbon', openingHours: hours });
    const sitesList = await call(server, 'GET', '/api/scheduling/sites', { cookie: admin });
    assert.equal(
      sitesList.body.sites.find((s: { code: string }) => s.code === 'NBA-MAIN').timeZone,
      'Europe/Lisbon',
      'the site directory (in-memory network) shows the change at once',
    );
  });

  it('a closure makes the search skip that day and say why; lifting it brings the day back', async () => {
    const caseId = caseIds[0] as string;
    const first = await search({ caseId });
    const apheresis = first.chains[0]?.steps.find((s) => s.stepKey === 'apheresis') as Step;
    assert.ok(apheresis, 'the demo case has a chain');
    const path = `/api/scheduling/sites/${apheresis.siteId}/closures`;

    await refused(
      'POST',
      `/api/scheduling/sites/${UNKNOWN}/closures`,
      { from: EARLIEST, to: EARLIEST, reason: 'x-ray' },
      404,
    );
    await refused(
      'POST',
      path,
      { from: apheresis.day, to: addDays(apheresis.day, -1), reason: 'Inventory' },
      422,
      'body.to',
    );
    await refused(
      'POST',
      path,
      { from: '2026-01-05', to: '2026-01-06', reason: 'Inventory' },
      422,
      'body.from',
    );
    await refused(
      'POST',
      path,
      { from: 'tomorrow', to: apheresis.day, reason: 'Inventory' },
      422,
      'body.from',
    );

    const closed = await call(server, 'POST', path, {
      cookie: admin,
      body: { from: apheresis.day, to: apheresis.day, reason: 'Apheresis machine service' },
    });
    assert.equal(closed.status, 201, JSON.stringify(closed.body));
    const added = await lastLedger('scheduling.site_closure_added');
    assert.equal(added.stream, `scheduling-site:${apheresis.siteId}`);
    assert.equal(JSON.parse(added.before as string).closures.length, 0);
    assert.deepEqual(JSON.parse(added.after as string).closures, [closed.body]);

    const during = await search({ caseId });
    assert.ok(during.chains.length > 0);
    for (const chain of during.chains)
      for (const step of chain.steps)
        assert.ok(
          !(step.siteId === apheresis.siteId && step.day === apheresis.day),
          `no step at the closed site on ${apheresis.day}`,
        );
    const why = during.exclusions.find(
      (e) =>
        e.code === 'site_closed' &&
        e.siteId === apheresis.siteId &&
        (e.day as string) <= apheresis.day &&
        apheresis.day <= (e.lastDay ?? e.day ?? ''),
    );
    assert.ok(why, JSON.stringify(during.exclusions));
    assert.match(why.reason, /Apheresis machine service/);
    // The capacity calendar must not offer the closed day as free either.
    const calendarPath = `/api/scheduling/capacity?siteId=${apheresis.siteId}&workType=apheresis&from=${apheresis.day}&days=2`;
    const calendar = await call(server, 'GET', calendarPath, { cookie: admin });
    assert.equal(calendar.status, 200, JSON.stringify(calendar.body));
    const closedDay = calendar.body.days.find((d: { day: string }) => d.day === apheresis.day);
    assert.equal(closedDay.free, 0);
    assert.match(closedDay.closed, /Apheresis machine service/);

    await refused('DELETE', `${path}/${closed.body.id}`, {}, 422, 'body.reason');
    await refused('DELETE', `${path}/no-such-closure`, { reason: 'Service done' }, 404);
    const lifted = await call(server, 'DELETE', `${path}/${closed.body.id}`, {
      cookie: admin,
      body: { reason: 'Service moved to next month' },
    });
    assert.equal(lifted.status, 204, JSON.stringify(lifted.body));
    const removed = await lastLedger('scheduling.site_closure_removed');
    assert.equal(removed.reason, 'Service moved to next month');
    assert.deepEqual(JSON.parse(removed.before as string).closures, [closed.body]);
    assert.deepEqual(JSON.parse(removed.after as string).closures, []);
    const again = await search({ caseId });
    assert.ok(
      again.chains.some((c) => c.steps.some((s) => s.siteId === apheresis.siteId && s.day === apheresis.day)),
      'the day is offered again',
    );
  });

  it('refuses a closure over days with live bookings, listing their case references', async () => {
    const caseId = caseIds[1] as string;
    const [chain] = (await search({ caseId })).chains;
    const steps = (chain?.steps ?? []).map((s) => ({ stepKey: s.stepKey, siteId: s.siteId, day: s.day }));
    const hold = await call(server, 'POST', '/api/scheduling/holds', {
      cookie: centre,
      body: { caseId, steps },
      headers: { 'idempotency-key': 'network-config-closure-hold' },
    });
    assert.equal(hold.status, 201, JSON.stringify(hold.body));
    const caseRef = (
      await server.database.db
        .selectFrom('cases')
        .select('reference')
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow()
    ).reference;
    const manufacturing = steps.find((s) => s.stepKey === 'manufacturing') as Step;
    const conflict = await refused(
      'POST',
      `/api/scheduling/sites/${manufacturing.siteId}/closures`,
      {
        from: addDays(manufacturing.day, -1),
        to: addDays(manufacturing.day, 1),
        reason: 'Clean room requalification',
      },
      409,
    );
    assert.match(conflict.body.detail, new RegExp(caseRef));
    assert.deepEqual(
      conflict.body.affectedBookings.map((b: { caseRef: string }) => b.caseRef),
      [caseRef],
    );
    // Opening hours that no longer open on the booked weekday strand the booking too.
    const apheresis = steps.find((s) => s.stepKey === 'apheresis') as Step;
    const bookedWeekday = ((new Date(`${apheresis.day}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
    const otherDays = [1, 2, 3, 4, 5, 6, 7]
      .filter((w) => w !== bookedWeekday)
      .map((weekday) => ({ weekday, opens: '08:00', closes: '16:00' }));
    const hours = await refused(
      'PUT',
      `/api/scheduling/sites/${apheresis.siteId}/calendar`,
      { openingHours: otherDays, reason: 'Closed one weekday from now on' },
      409,
    );
    assert.deepEqual(
      hours.body.affectedBookings.map((b: { caseRef: string }) => b.caseRef),
      [caseRef],
    );
  });

  it('routes: refuses wrong site kinds and transport times; a new route makes a plant usable', async () => {
    const reason = 'New courier lane';
    const lane = {
      fromSiteId: site('NBA-MAIN'),
      toSiteId: site('ALM-PLANT'),
      leg: 'collection_to_plant',
      transportHours: 8,
      reason,
    };
    await refused(
      'PUT',
      '/api/scheduling/routes',
      { ...lane, leg: 'plant_to_infusion' },
      422,
      'body.fromSiteId',
    );
    await refused(
      'PUT',
      '/api/scheduling/routes',
      { ...lane, toSiteId: site('STE-HAEM') },
      422,
      'body.toSiteId',
    );
    await refused('PUT', '/api/scheduling/routes', { ...lane, fromSiteId: UNKNOWN }, 422, 'body.fromSiteId');
    await refused(
      'PUT',
      '/api/scheduling/routes',
      { ...lane, transportHours: 241 },
      422,
      'body.transportHours',
    );
    await refused(
      'PUT',
      '/api/scheduling/routes',
      { ...lane, transportHours: -1 },
      422,
      'body.transportHours',
    );
    await refused(
      'DELETE',
      '/api/scheduling/routes',
      { fromSiteId: site('NBA-MAIN'), toSiteId: site('ALM-PLANT'), reason },
      404,
    );

    const centreId = site('LCC-BMT');
    const lakesideSet = {
      treatmentCentreId: centreId,
      therapyCode: 'car-t-autologous',
      reason: 'Second plant for Lakeside',
      sets: [
        {
          rank: 1,
          collectionSiteIds: [site('NBA-MAIN')],
          plantIds: [site('ANJ-PLANT')],
          infusionSiteIds: [centreId],
        },
        {
          rank: 2,
          collectionSiteIds: [site('NBA-MAIN')],
          plantIds: [site('ALM-PLANT')],
          infusionSiteIds: [centreId],
        },
      ],
    };
    const noRoute = await refused(
      'PUT',
      '/api/scheduling/preferred-site-sets',
      lakesideSet,
      422,
      'body.sets.1.plantIds.0',
    );
    assert.match(JSON.stringify(noRoute.body.errors), /no collection_to_plant route/);
    assert.match(JSON.stringify(noRoute.body.errors), /no plant_to_infusion route/);
    const beforeRoutes = (await search({ therapyCode: 'car-t-autologous', treatmentCentreId: centreId }))
      .chains;
    assert.ok(beforeRoutes.every((c) => c.steps.every((s) => s.siteId !== site('ALM-PLANT'))));

    const added = await call(server, 'PUT', '/api/scheduling/routes', { cookie: admin, body: lane });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    const entry = await lastLedger('scheduling.route_added');
    assert.equal(entry.reason, reason);
    assert.equal(entry.before, null);
    assert.deepEqual(JSON.parse(entry.after as string), {
      fromSiteId: lane.fromSiteId,
      toSiteId: lane.toSiteId,
      leg: lane.leg,
      transportHours: 8,
    });
    const outbound = await call(server, 'PUT', '/api/scheduling/routes', {
      cookie: admin,
      body: {
        fromSiteId: site('ALM-PLANT'),
        toSiteId: centreId,
        leg: 'plant_to_infusion',
        transportHours: 9,
        reason,
      },
    });
    assert.equal(outbound.status, 200, JSON.stringify(outbound.body));

    const sets = await call(server, 'PUT', '/api/scheduling/preferred-site-sets', {
      cookie: admin,
      body: lakesideSet,
    });
    assert.equal(sets.status, 200, JSON.stringify(sets.body));
    const replaced = await lastLedger('scheduling.preferred_site_sets_replaced');
    assert.equal(JSON.parse(replaced.before as string).length, 1);
    assert.equal(JSON.parse(replaced.after as string).length, 2);
    assert.equal(replaced.reason, 'Second plant for Lakeside');

    // The only plant ANJ-PLANT is made unavailable: closing it sends every chain to the new plant.
    const closeAnj = await call(server, 'POST', `/api/scheduling/sites/${site('ANJ-PLANT')}/closures`, {
      cookie: admin,
      body: { from: EARLIEST, to: addDays(EARLIEST, 119), reason: 'Plant shutdown' },
    });
    assert.equal(closeAnj.status, 201, JSON.stringify(closeAnj.body));
    const afterRoutes = (await search({ therapyCode: 'car-t-autologous', treatmentCentreId: centreId }))
      .chains;
    assert.ok(afterRoutes.length > 0, 'the new plant is reachable');
    assert.ok(
      afterRoutes.every((c) => c.steps.some((s) => s.siteId === site('ALM-PLANT'))),
      JSON.stringify(afterRoutes),
    );

    // A route a preferred set counts on cannot be removed until the set changes.
    await refused(
      'DELETE',
      '/api/scheduling/routes',
      { fromSiteId: site('NBA-MAIN'), toSiteId: site('ALM-PLANT'), reason: 'Lane closed' },
      409,
      /strandedSiteSets/,
    );
  });

  it('preferred site sets: refuses bad ranks, unknown or wrong-kind sites and unknown therapies', async () => {
    const centreId = site('STE-HAEM');
    const good = {
      rank: 1,
      collectionSiteIds: [site('STE-APH')],
      plantIds: [site('ALM-PLANT')],
      infusionSiteIds: [centreId],
    };
    const body = {
      treatmentCentreId: centreId,
      therapyCode: 'car-t-autologous',
      reason: 'Re-rank',
      sets: [good],
    };
    const path = '/api/scheduling/preferred-site-sets';
    await refused('PUT', path, { ...body, sets: [good, { ...good, rank: 1 }] }, 422, 'body.sets');
    await refused('PUT', path, { ...body, sets: [{ ...good, rank: 2 }] }, 422, 'body.sets');
    await refused(
      'PUT',
      path,
      { ...body, sets: [{ ...good, plantIds: [UNKNOWN] }] },
      422,
      'body.sets.0.plantIds.0',
    );
    await refused(
      'PUT',
      path,
      { ...body, sets: [{ ...good, plantIds: [site('STE-APH')] }] },
      422,
      'body.sets.0.plantIds.0',
    );
    await refused(
      'PUT',
      path,
      { ...body, treatmentCentreId: site('ALM-PLANT') },
      422,
      'body.treatmentCentreId',
    );
    await refused('PUT', path, { ...body, therapyCode: 'no-such-therapy' }, 422, 'body.therapyCode');
    await refused('PUT', path, { ...body, reason: '' }, 422, 'body.reason');
  });
});
