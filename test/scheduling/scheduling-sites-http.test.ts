import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  type AccessTestServer,
  call,
  sessionCookieFor,
  startAccessTestServer,
} from '../access/access-test-server.ts';
import { describeEachDatabase } from '../support/test-databases.ts';

const CENTRE = 'centre.coordinator@st-elisabeth.example';
const PLANT = 'manufacturing@aurora-leiden.example';
// The lab reads cases but not the scheduling network.
const LAB = 'lab@aurora-leiden.example';

type Site = {
  id: string;
  code: string;
  name: string;
  kind: string;
  country: string;
  timeZone: string;
  partnerId: string;
  workTypes?: string[];
};

describeEachDatabase('scheduling site directory API', (target) => {
  let server: AccessTestServer;
  let centre: string;
  /** The network as the database holds it: every scheduling site with its kind and the site's own record. */
  let stored: Map<string, { code: string; name: string; kind: string; timeZone: string; partnerId: string }>;

  before(async () => {
    server = await startAccessTestServer(target);
    centre = await sessionCookieFor(server, CENTRE);
    const rows = await server.database.db
      .selectFrom('scheduling_sites as ss')
      .innerJoin('sites as s', 's.id', 'ss.site_id')
      .select(['s.id', 's.code', 's.name', 's.time_zone', 's.partner_id', 'ss.kind'])
      .execute();
    stored = new Map(
      rows.map((r) => [
        r.id,
        { code: r.code, name: r.name, kind: r.kind, timeZone: r.time_zone, partnerId: r.partner_id },
      ]),
    );
    assert.ok(stored.size > 0, 'the demo seeds a scheduling network');
  });
  after(() => server.close());

  it('lists every site of the network by name, code, kind and time zone, with the work each does', async () => {
    const { status, body } = await call(server, 'GET', '/api/scheduling/sites', { cookie: centre });
    assert.equal(status, 200, JSON.stringify(body));
    const sites = body.sites as Site[];
    assert.deepEqual(new Set(sites.map((s) => s.id)), new Set(stored.keys()));
    for (const site of sites) {
      const row = stored.get(site.id);
      assert.ok(row);
      assert.deepEqual(
        {
          code: site.code,
          name: site.name,
          kind: site.kind,
          timeZone: site.timeZone,
          partnerId: site.partnerId,
        },
        row,
      );
      // Every zone is one the browser can format times in.
      assert.doesNotThrow(() => new Intl.DateTimeFormat('en', { timeZone: site.timeZone }));
    }
    const plants = sites.filter((s) => s.kind === 'manufacturing_site');
    assert.ok(plants.length > 0);
    for (const plant of plants) assert.ok(plant.workTypes?.includes('manufacturing_start'), plant.code);
    const names = sites.map((s) => s.name);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b)),
      'sorted by name',
    );
  });

  it('filters by kind, and a plant sees the other partners’ sites too (names are not patient data)', async () => {
    const plant = await sessionCookieFor(server, PLANT);
    const all = await call(server, 'GET', '/api/scheduling/sites', { cookie: plant });
    assert.equal(all.status, 200);
    assert.equal(all.body.sites.length, stored.size);
    const centres = await call(server, 'GET', '/api/scheduling/sites?kind=treatment_centre', {
      cookie: plant,
    });
    assert.equal(centres.status, 200);
    const expected = [...stored].filter(([, s]) => s.kind === 'treatment_centre').map(([id]) => id);
    assert.ok(expected.length > 0);
    assert.deepEqual(new Set((centres.body.sites as Site[]).map((s) => s.id)), new Set(expected));
  });

  it('refuses an unknown kind with 422 naming the field, strangers with 401, roles without scheduling:read with 403', async () => {
    const bad = await call(server, 'GET', '/api/scheduling/sites?kind=spaceport', { cookie: centre });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.errors[0]?.field, 'querystring.kind');
    const anonymous = await call(server, 'GET', '/api/scheduling/sites', {});
    assert.equal(anonymous.status, 401);
    const lab = await call(server, 'GET', '/api/scheduling/sites', {
      cookie: await sessionCookieFor(server, LAB),
    });
    assert.equal(lab.status, 403);
  });
});
