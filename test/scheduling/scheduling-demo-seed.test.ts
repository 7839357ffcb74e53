import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedDemoScheduling } from '../../src/scheduling/scheduling-demo-data.ts';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import { describeEachDatabase } from '../support/test-databases.ts';

describeEachDatabase('the demo scheduling network is recorded in the ledger', (target) => {
  let server: AccessTestServer;
  before(async () => {
    server = await startAccessTestServer(target);
  });
  after(() => server.close());

  const schedulingEntries = () =>
    server.database.db
      .selectFrom('ledger_entries')
      .select(['action', 'record_id', 'actor_type', 'actor_id', 'reason', 'after'])
      .where('action', 'like', 'scheduling.%')
      .orderBy('position')
      .execute();

  test('every calendar, route, preferred site set and capacity publication of the seed has its entry; seeding again adds none', async () => {
    const entries = await schedulingEntries();
    const sites = await server.database.db.selectFrom('scheduling_sites').select('site_id').execute();
    const routes = await server.database.db.selectFrom('scheduling_routes').select('from_site_id').execute();
    const calendars = entries.filter((e) => e.action === 'scheduling.site_calendar_set');
    assert.deepEqual(
      calendars.map((e) => e.record_id).sort(),
      sites.map((s) => s.site_id).sort(),
      'one calendar entry per scheduling site',
    );
    assert.equal(entries.filter((e) => e.action === 'scheduling.route_added').length, routes.length);
    assert.ok(entries.some((e) => e.action === 'scheduling.preferred_site_sets_replaced'));
    const published = entries.filter((e) => e.action === 'scheduling.capacity_published');
    assert.ok(published.length > 0);
    assert.ok(published.every((e) => (JSON.parse(e.after as string) as { days: number }).days > 0));
    for (const entry of entries) {
      assert.equal(entry.actor_type, 'system');
      assert.equal(entry.actor_id, 'demo-seed');
      assert.equal(entry.reason, 'Demo scheduling network');
    }

    await seedDemoScheduling(server.database);
    assert.equal((await schedulingEntries()).length, entries.length, 'an unchanged network records nothing');
  });
});
