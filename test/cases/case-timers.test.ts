import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { caseJobHandlers } from '../../src/cases/case-timers.ts';
import { startJobRunner } from '../../src/platform/jobs/job-runner.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import { describeEachDatabase } from '../support/test-databases.ts';
import { CaseHttpKit, type Json } from './case-http-kit.ts';

const DAY = 86_400_000;

describeEachDatabase('due times and escalations are durable timers that fire exactly once', (target) => {
  let server: AccessTestServer;
  let kit: CaseHttpKit;
  before(async () => {
    server = await startAccessTestServer(target);
    kit = await new CaseHttpKit(server).init();
  });
  after(() => server.close());

  /** A job runner process's life: start, run what is due by the test clock, stop. */
  async function runTimersOnce(): Promise<void> {
    const runner = await startJobRunner({
      database: server.database,
      logger: createLogger('silent'),
      handlers: caseJobHandlers({ now: server.clock.now }),
      concurrency: 2,
      pollMs: 20,
    });
    await runner.drain();
    await runner.stop();
  }

  async function firings(caseId: string) {
    const rows = await server.database.db
      .selectFrom('case_timer_firings')
      .select(['kind', 'step', 'to_role'])
      .where('case_id', '=', caseId)
      .orderBy('kind')
      .execute();
    const { rows: ledger } = await sql<{ action: string; n: number }>`
      select action, count(*)::int as n from ledger_entries
      where stream = ${`case:${caseId}`} and action in ('case.escalation_fired', 'case.step_overdue')
      group by action order by action`.execute(server.database.db);
    return { rows, ledger };
  }

  test('an overdue step fires its escalation once, though no server ran at the due time, and never again', async () => {
    // The case opens a year back (so its timers are due by the database's clock too), then
    // "the server is down" while the referral passes its due time (2 days) and escalation (3 days).
    server.clock.advance(-365 * DAY);
    const caseId = await kit.openCarT();
    const moved = await kit.openCarT();
    await kit.finishStep(moved, 'referral');
    server.clock.advance(4 * DAY);

    await runTimersOnce();
    const first = await firings(caseId);
    assert.deepEqual(first.rows, [
      { kind: 'due', step: 'referral', to_role: 'centre_coordinator' },
      { kind: 'escalation', step: 'referral', to_role: 'case_manager' },
    ]);
    assert.deepEqual(first.ledger, [
      { action: 'case.escalation_fired', n: 1 },
      { action: 'case.step_overdue', n: 1 },
    ]);
    // The step that had moved on fired nothing for its referral.
    assert.deepEqual(
      (await firings(moved)).rows.filter((r) => r.step === 'referral'),
      [],
    );

    // Notified: the case manager's work queue and the outbox (in-app and email).
    const queue = await kit.as('case.manager@aurora.example', 'GET', '/api/work');
    const escalation = queue.body.tasks.find(
      (t: Json) => t.caseId === caseId && t.taskKey.startsWith('escalation_'),
    );
    assert.ok(escalation, JSON.stringify(queue.body.tasks));
    const messages = await server.database.db
      .selectFrom('outbox_messages')
      .select(['channel', 'recipient'])
      .where('related_record_id', '=', caseId)
      .execute();
    const manager = kit.ids.user['case.manager@aurora.example'];
    assert.ok(messages.some((m) => m.channel === 'in_app' && m.recipient === manager));
    assert.ok(messages.some((m) => m.channel === 'email' && m.recipient === 'case.manager@aurora.example'));
    const detail = await kit.detail(caseId);
    assert.equal(detail.timeline.filter((e: Json) => e.type === 'escalation_fired').length, 1);
    assert.equal(detail.openSteps[0].overdue, true);
    const overdue = await kit.as('case.manager@aurora.example', 'GET', '/api/cases?overdue=true');
    assert.ok(overdue.body.cases.some((c: Json) => c.id === caseId));

    // Scheduling again (another transition) adds no job; a job run a second time (as if another
    // process took it over) and a restart fire nothing more.
    const jobsBefore = await server.database.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'case.timer')
      .executeTakeFirstOrThrow();
    await kit.command(caseId, 'centre.coordinator@st-elisabeth.example', {
      type: 'complete_task',
      step: 'referral',
      task: 'submit_referral',
      fields: { indication: 'dlbcl', referring_physician: 'Dr. A', prior_lines: 2 },
    });
    const jobsAfter = await server.database.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'case.timer')
      .executeTakeFirstOrThrow();
    assert.equal(Number(jobsAfter.n), Number(jobsBefore.n));
    await server.database.db
      .updateTable('jobs')
      .set({ status: 'queued', done_at: null, locked_until: null })
      .where('kind', '=', 'case.timer')
      .execute();
    await runTimersOnce();
    await runTimersOnce();
    assert.deepEqual(await firings(caseId), first);
  });

  test('clocks stand still while a case is on hold; after it resumes, an overdue step escalates once', async () => {
    server.clock.advance(-365 * DAY);
    const caseId = await kit.openCarT();
    await kit.command(caseId, 'case.manager@aurora.example', {
      type: 'hold_case',
      reason: 'patient in hospital',
    });
    server.clock.advance(4 * DAY);
    await runTimersOnce();
    assert.deepEqual((await firings(caseId)).rows, []);
    await kit.command(caseId, 'case.manager@aurora.example', { type: 'resume_case', reason: 'discharged' });
    await runTimersOnce();
    await runTimersOnce();
    const after = await firings(caseId);
    assert.deepEqual(
      after.rows.map((r) => r.kind),
      ['due', 'escalation'],
    );
    assert.deepEqual(after.ledger, [
      { action: 'case.escalation_fired', n: 1 },
      { action: 'case.step_overdue', n: 1 },
    ]);
  });
});
