import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseChainOfIdentity } from '../../src/custody/identity/chain-of-identity.ts';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { CustodyHttpKit } from './custody-http-kit.ts';

const COLLECTOR = 'apheresis@st-elisabeth.example';

describeEachDatabase('chain of identity allocation', (target) => {
  let server: AccessTestServer;
  let kit: CustodyHttpKit;
  before(async () => {
    server = await startAccessTestServer(target);
    kit = (await new CustodyHttpKit(server).init()) as CustodyHttpKit;
  });
  after(() => server.close());

  test('one per case, under concurrent requests; unique across cases; valid check character; never reassigned', async () => {
    const cases: string[] = [];
    for (let i = 0; i < 4; i++) cases.push(await kit.openCarT());
    // Every case asked twice at once (e.g. two collection staff at the first bag).
    const answers = await Promise.all(
      [...cases, ...cases].map((id) => kit.as(COLLECTOR, 'POST', `/api/cases/${id}/chain-of-identity`)),
    );
    for (const answer of answers) assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const byCase = new Map<string, Set<string>>();
    answers.forEach((answer, index) => {
      const id = [...cases, ...cases][index] as string;
      byCase.set(id, (byCase.get(id) ?? new Set()).add(answer.body.chainOfIdentity));
    });
    for (const set of byCase.values()) assert.equal(set.size, 1, 'one chain of identity per case');
    const all = [...byCase.values()].map((s) => [...s][0] as string);
    assert.equal(new Set(all).size, cases.length, 'unique across cases');
    for (const coi of all) assert.ok(parseChainOfIdentity(coi).ok, `${coi} carries a valid check character`);
    assert.equal(answers.filter((a) => a.body.assigned).length, cases.length, 'each assigned exactly once');
    // A unit recorded later carries the same chain of identity.
    await kit.runUntil(cases[0] as string, 'apheresis');
    const bag = await kit.createItem(cases[0] as string, COLLECTOR, {
      itemType: 'apheresis_bag',
      din: kit.nextDin(),
    });
    assert.equal(bag.chainOfIdentity, all[0]);
    // The supply chain cannot assign one to a case it is not a party to.
    const other = await kit.as(
      'centre.coordinator@lakeside.example',
      'POST',
      `/api/cases/${cases[1]}/chain-of-identity`,
    );
    assert.equal(other.status, 404);
  });
});
