import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { CaseHttpKit, type Json } from './case-http-kit.ts';

describeEachDatabase('work queues: my work by role and partner, claim, reassign with a reason', (target) => {
  let server: AccessTestServer;
  let kit: CaseHttpKit;
  before(async () => {
    server = await startAccessTestServer(target);
    kit = await new CaseHttpKit(server).init();
  });
  after(() => server.close());

  test('each user sees the tasks of their role and partner, soonest due first', async () => {
    const first = await kit.openCarT();
    server.clock.advance(60 * 60_000);
    const second = await kit.openCarT();
    const mine = await kit.as('centre.coordinator@st-elisabeth.example', 'GET', '/api/work');
    assert.equal(mine.status, 200);
    const referrals = mine.body.tasks.filter((t: Json) => t.taskKey === 'submit_referral');
    assert.deepEqual(
      referrals.map((t: Json) => t.caseId),
      [first, second],
    );
    assert.equal(referrals[0].patientLabel, 'Jonas Weber');
    assert.equal(referrals[0].claimedBy, null);
    const dues = mine.body.tasks.map((t: { dueAt: string | null }) => t.dueAt ?? '9999');
    assert.deepEqual(dues, [...dues].sort());
    for (const email of [
      'courier@coldpath.example',
      'nurse@st-elisabeth.example',
      'centre.coordinator@lakeside.example',
    ]) {
      const other = await kit.as(email, 'GET', '/api/work');
      assert.ok(!other.body.tasks.some((t: Json) => t.caseId === first), email);
    }
  });

  test('claim: the right role and partner only; a claimed item is not taken by another', async () => {
    const caseId = await kit.openCarT();
    const path = `/api/work/${caseId}/referral/submit_referral`;
    assert.equal((await kit.as('nurse@st-elisabeth.example', 'POST', `${path}/claim`)).status, 403);
    assert.equal((await kit.as('centre.coordinator@lakeside.example', 'POST', `${path}/claim`)).status, 404);
    assert.equal(
      (await kit.as('centre.coordinator@st-elisabeth.example', 'POST', `${path}/claim`)).status,
      200,
    );
    const mine = await kit.as('centre.coordinator@st-elisabeth.example', 'GET', '/api/work');
    const item = mine.body.tasks.find((t: Json) => t.caseId === caseId && t.taskKey === 'submit_referral');
    assert.equal(item.claimedBy.name, 'Katrin Vogel');
    // Completing the task removes it from the queue; the step's completion becomes the next item.
    await kit.command(caseId, 'centre.coordinator@st-elisabeth.example', {
      type: 'complete_task',
      step: 'referral',
      task: 'submit_referral',
      fields: { indication: 'dlbcl', referring_physician: 'Dr. A', prior_lines: 2 },
    });
    const after = await kit.as('centre.coordinator@st-elisabeth.example', 'GET', '/api/work');
    const keys = after.body.tasks.filter((t: Json) => t.caseId === caseId).map((t: Json) => t.taskKey);
    assert.deepEqual(keys, ['complete_step']);
  });

  test('reassign to a colleague holding the role, with the reason in the ledger; not to someone without it', async () => {
    const caseId = await kit.openCarT();
    await kit.runUntil(caseId, 'receipt_storage');
    const path = `/api/work/${caseId}/receipt_storage/receive`;
    const nurse = 'nurse@st-elisabeth.example';
    assert.equal((await kit.as(nurse, 'POST', `${path}/claim`)).status, 200);
    assert.equal((await kit.as('nurse2@st-elisabeth.example', 'POST', `${path}/claim`)).status, 409);
    const before = await kit.counts(caseId);
    const bad = await kit.as(nurse, 'POST', `${path}/reassign`, {
      toUserId: kit.ids.user['apheresis@st-elisabeth.example'],
      reason: 'off shift',
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.errors[0].field, 'body.toUserId');
    const courier = await kit.as('courier@coldpath.example', 'POST', `${path}/reassign`, {
      toUserId: kit.ids.user['courier@coldpath.example'],
      reason: 'mine',
    });
    assert.equal(courier.status, 403);
    assert.deepEqual(await kit.counts(caseId), before);
    const moved = await kit.as(nurse, 'POST', `${path}/reassign`, {
      toUserId: kit.ids.user['nurse2@st-elisabeth.example'],
      reason: 'off shift',
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const queue = await kit.as('nurse2@st-elisabeth.example', 'GET', '/api/work');
    const item = queue.body.tasks.find((t: Json) => t.caseId === caseId && t.taskKey === 'receive');
    assert.equal(item.claimedBy.name, 'Sophie Wagner');
    const entry = await server.database.db
      .selectFrom('ledger_entries')
      .select(['reason', 'action'])
      .where('stream', '=', `case:${caseId}`)
      .where('action', '=', 'case.work_reassigned')
      .executeTakeFirstOrThrow();
    assert.equal(entry.reason, 'off shift');
  });
});
