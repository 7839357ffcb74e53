import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedCustodyDemo } from '../../src/custody/custody-demo-data.ts';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import type { Json } from '../cases/case-http-kit.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { CustodyHttpKit } from './custody-http-kit.ts';

describeEachDatabase('the demo shows a chain of custody', (target) => {
  let server: AccessTestServer;
  let kit: CustodyHttpKit;
  before(async () => {
    server = await startAccessTestServer(target);
    kit = (await new CustodyHttpKit(server).init()) as CustodyHttpKit;
  });
  after(() => server.close());

  test('the demo case in manufacturing has its apheresis bag, pick-up and plant receipt; seeding again adds nothing', async () => {
    const count = async () =>
      Number(
        (
          await server.database.db
            .selectFrom('ledger_entries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('stream', 'like', 'custody:%')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await seedCustodyDemo(server.database);
    assert.equal(await count(), before, 'idempotent');
    const list = await kit.ok('case.manager@aurora.example', 'GET', '/api/cases?stage=manufacturing');
    const demo = list.cases.find((c: Json) => c.patientLabel === 'Jonas Weber');
    assert.ok(demo, 'the demo case in manufacturing');
    const custody = await kit.custody(demo.id);
    assert.match(custody.chainOfIdentity, /^W9999/);
    assert.deepEqual(
      custody.handoffs.map((h: Json) => [h.status, h.condition.excursion]),
      [
        ['completed', false],
        ['completed', false],
      ],
    );
    assert.equal(custody.items[0].custodian.partnerName, 'Aurora Manufacturing Leiden');
    const shippers = await kit.ok('courier@coldpath.example', 'GET', '/api/custody/shippers');
    assert.deepEqual(
      shippers.shippers.map((s: Json) => [s.code, s.qualification]),
      [
        ['SHP-000101', 'qualified'],
        ['SHP-000102', 'qualified'],
        ['SHP-000103', 'expired'],
      ],
    );
  });
});
