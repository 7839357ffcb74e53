// Case orchestration costs:
// - case_state_p99_ms: computing a case's state from its template and 500 events (the pure fold
//   every command and case page runs), p99 over many runs;
// - work_queue_p95_ratio_to_pk_read: "my work" (listWork, the query behind GET /api/work) for an
//   infusion nurse with 10,000 open cases in the network, as a ratio of its p95 to the p95 of a
//   primary-key read of one case row on the same database in the same run (goal ≤ 5).
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { caseState } from '../src/cases/case-state.ts';
import { patientEntitled } from '../src/cases/case-store.ts';
import { actor, carT, newCase, rightActor } from '../src/cases/case-test-kit.ts';
import { listWork } from '../src/cases/work-queue-store.ts';
import type { Actor } from '../src/platform/access/actor.ts';
import { permissionsOf } from '../src/platform/access/permissions.ts';
import type { Role } from '../src/platform/access/roles.ts';
import { type Database, openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrations.ts';
import { seedDemo } from '../src/platform/seed/demo-seed.ts';
import { median, percentile, round, writeResults } from './support/bench-results.ts';

const OPEN_CASES = 10_000;
const EVENTS = 500;

function caseStateBench() {
  // A CAR-T case that reached manufacturing and failed there again and again (each round:
  // exception, branch, abandon, re-open): a long but valid stream.
  const driver = newCase(carT).runUntil('manufacturing');
  while (driver.events.length < EVENTS) {
    const [raised] = driver.do(
      {
        type: 'raise_exception',
        step: 'manufacturing',
        code: 'manufacturing_failure',
        reasonCode: 'expansion_failure',
        reason: 'low expansion',
      },
      rightActor('manufacturing', 'manufacturing_site'),
    );
    driver.do(
      {
        type: 'take_branch',
        exceptionId: (raised as { exceptionId: string }).exceptionId,
        branch: 'remanufacture',
      },
      actor('p-plant', 'qa'),
    );
  }
  const events = driver.events.slice(0, EVENTS);
  for (let i = 0; i < 50; i++) caseState(carT, events);
  const times: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    caseState(carT, events);
    times.push(performance.now() - t);
  }
  return { p99: percentile(times, 99), median: median(times), events: events.length };
}

async function openBenchDatabase(): Promise<{ database: Database; kind: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `cellway_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
  } catch {
    await admin.end().catch(() => {});
    const database = await openDatabase({ kind: 'pglite', dataDir: undefined });
    return { database, kind: 'pglite', drop: async () => {} };
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  return {
    database,
    kind: 'postgres',
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

async function workQueueBench(database: Database) {
  await migrate(database);
  await seedDemo(database);
  const db = database.db;
  const partner = Object.fromEntries(
    (await db.selectFrom('partners').select(['code', 'id']).execute()).map((p) => [p.code, p.id]),
  ) as Record<string, string>;
  const patients = (await db.selectFrom('patients').select('id').execute()).map((p) => p.id);
  const owner = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'case.manager@aurora.example')
    .executeTakeFirstOrThrow();
  const nurse = await db
    .selectFrom('users')
    .select(['id', 'partner_id'])
    .where('email', '=', 'nurse@st-elisabeth.example')
    .executeTakeFirstOrThrow();
  // Who each open case waits for: spread over the network's roles and partners.
  const buckets: Array<[string, Role, string]> = [
    ['referral', 'centre_coordinator', 'ST-ELISABETH'],
    ['enrolment', 'program_coordinator', 'AURORA-BIO'],
    ['apheresis', 'collection_staff', 'ST-ELISABETH'],
    ['ship_to_plant', 'courier', 'COLDPATH'],
    ['manufacturing', 'manufacturing', 'AURORA-LEIDEN'],
    ['qc_release', 'lab', 'AURORA-LEIDEN'],
    ['qa_release', 'qa', 'AURORA-LEIDEN'],
    ['receipt_storage', 'infusion_nurse', 'ST-ELISABETH'],
    ['follow_up_day_7', 'provider', 'ST-ELISABETH'],
  ];
  const now = Date.now();
  const caseIds: string[] = [];
  for (let start = 0; start < OPEN_CASES; start += 1000) {
    const cases = [];
    const items = [];
    for (let i = start; i < Math.min(OPEN_CASES, start + 1000); i++) {
      const id = randomUUID();
      caseIds.push(id);
      const openedAt = new Date(now - i * 60_000);
      const [step, role, code] = buckets[i % buckets.length] as [string, Role, string];
      cases.push({
        id,
        reference: `CW-B${String(i).padStart(7, '0')}`,
        patient_id: patients[i % patients.length] as string,
        template_code: 'car-t-autologous',
        template_version: 1,
        therapy_type: 'car_t_autologous',
        treatment_centre_partner_id: partner['ST-ELISABETH'] as string,
        sponsor_partner_id: partner['AURORA-BIO'] as string,
        collection_centre_partner_id: partner['ST-ELISABETH'] as string,
        manufacturing_site_partner_id: partner['AURORA-LEIDEN'] as string,
        courier_partner_id: partner.COLDPATH as string,
        laboratory_partner_id: null,
        country: 'DE',
        site_id: 'bench',
        case_owner_user_id: owner.id,
        status: 'active',
        last_seq: 2,
        opened_at: openedAt,
        updated_at: openedAt,
        current_stages: [step],
        waiting_for: '',
        next_due_at: new Date(openedAt.getTime() + 2 * 86_400_000),
      });
      for (const task of ['first_task', 'second_task'])
        items.push({
          case_id: id,
          step,
          attempt: 1,
          task_key: task,
          task_title: task,
          step_title: step,
          role,
          partner_id: partner[code] as string,
          opened_at: openedAt,
          due_at: new Date(openedAt.getTime() + ((i * 7919) % 5000) * 60_000),
          claimed_by: null,
          claimed_at: null,
        });
    }
    // current_steps keeps its column default here: the work queue does not read it.
    await db.insertInto('cases').values(cases).execute();
    await db.insertInto('case_work_items').values(items).execute();
  }
  await sql`analyze`.execute(db);
  const nurseActor: Actor = {
    kind: 'user',
    id: nurse.id,
    displayName: 'Lukas Becker',
    partnerId: nurse.partner_id,
    partnerType: 'treatment_centre',
    roles: ['infusion_nurse'],
    permissions: permissionsOf(['infusion_nurse']),
  };
  const entitled = patientEntitled(nurseActor);
  const at = new Date();
  const myWork = async () => listWork(db, nurseActor as Exclude<Actor, { kind: 'system' }>, entitled, at);
  let n = 0;
  const pkRead = async () =>
    db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', caseIds[(n++ * 7919) % caseIds.length] as string)
      .executeTakeFirst();
  const first = await myWork();
  for (let i = 0; i < 50; i++) {
    await myWork();
    await pkRead();
  }
  const work: number[] = [];
  const pk: number[] = [];
  for (let i = 0; i < 400; i++) {
    let t = performance.now();
    await myWork();
    work.push(performance.now() - t);
    t = performance.now();
    await pkRead();
    pk.push(performance.now() - t);
  }
  return {
    ratio: percentile(work, 95) / percentile(pk, 95),
    workP95: percentile(work, 95),
    pkP95: percentile(pk, 95),
    workMedian: median(work),
    pkMedian: median(pk),
    tasksReturned: first.tasks.length,
  };
}

async function main() {
  const state = caseStateBench();
  const { database, kind, drop } = await openBenchDatabase();
  try {
    const queue = await workQueueBench(database);
    writeResults(
      'orchestration',
      {
        case_state_p99_ms: round(state.p99, 3),
        work_queue_p95_ratio_to_pk_read: round(queue.ratio, 2),
      },
      {
        database: kind,
        caseState: { events: state.events, medianMs: round(state.median, 3), p99Ms: round(state.p99, 3) },
        workQueue: {
          openCases: OPEN_CASES,
          tasksReturned: queue.tasksReturned,
          p95Ms: round(queue.workP95, 3),
          medianMs: round(queue.workMedian, 3),
          pkReadP95Ms: round(queue.pkP95, 3),
          pkReadMedianMs: round(queue.pkMedian, 3),
          goal: 'ratio ≤ 5',
        },
      },
    );
  } finally {
    await database.close();
    await drop();
  }
}

await main();
