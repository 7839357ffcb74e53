import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { systemActor } from '../../src/platform/access/actor.ts';
import { createSession } from '../../src/platform/auth/session-store.ts';
import { migrate } from '../../src/platform/db/migrations.ts';
import { seedDemo } from '../../src/platform/seed/demo-seed.ts';
import { SchedulingService } from '../../src/scheduling/scheduling-service.ts';
import { addDays } from '../../src/scheduling/site-calendar.ts';
import { call } from '../access/access-test-server.ts';
import { type CliProcess, runCli } from '../support/cli-process.ts';
import { serverTarget } from '../support/test-databases.ts';
import { counterMismatches } from './scheduling-fixture.ts';

const CLIENTS = 64;
const ATTEMPTS = 500;
const FREE_SLOTS = 20;

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function startServer(url: string): CliProcess {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-race-'));
  tempDirs.push(keyDir);
  return runCli(['start', '--no-web-build'], {
    PORT: '0',
    DATABASE_URL: url,
    CELLWAY_LEDGER_KEY_FILE: path.join(keyDir, 'ledger.pem'),
    LOG_LEVEL: 'warn',
  });
}

async function urlOf(server: CliProcess): Promise<string> {
  await server.waitForOutput(/Cellway is running at http:\/\/[^\s"]+/);
  const match = /Cellway is running at (http:\/\/[^\s"]+)/.exec(`${server.stdout()}\n${server.stderr()}`);
  if (!match?.[1]) throw new Error(`no URL in the output of cellway start:\n${server.stdout()}`);
  return match[1].replace(/\/$/, '');
}

describe('[postgres] booking race across two server processes', {
  skip: serverTarget ? false : 'DATABASE_URL is not set: the race needs a PostgreSQL server',
}, () => {
  test(`${CLIENTS} clients, ${ATTEMPTS} attempts, ${FREE_SLOTS} free manufacturing slots → exactly ${FREE_SLOTS} booked, every loser a 409 with alternatives`, async () => {
    const fresh = await (serverTarget as NonNullable<typeof serverTarget>).create();
    const database = await fresh.open();
    const servers: CliProcess[] = [];
    try {
      await migrate(database);
      await seedDemo(database);
      const site = async (code: string) =>
        (
          await database.db
            .selectFrom('sites')
            .select('id')
            .where('code', '=', code)
            .executeTakeFirstOrThrow()
        ).id;
      const centreSite = await site('STE-HAEM');
      const plantSite = await site('ALM-PLANT');
      // The chain everyone wants: the best one the search offers at St. Elisabeth via Leiden.
      const service = new SchedulingService(database.db);
      const { chains } = await service.search(
        systemActor('race-setup'),
        {
          therapyCode: 'car-t-autologous',
          treatmentCentreId: centreSite,
          earliestDate: addDays(new Date().toISOString().slice(0, 10), 3),
          count: 1,
          preferences: { plantIds: [plantSite] },
        },
        new Date(),
      );
      const chain = chains[0];
      assert.ok(chain, 'the demo network offers a chain');
      const manufacturing = chain.steps.find((s) => s.stepKey === 'manufacturing');
      assert.equal(manufacturing?.siteId, plantSite);
      // Only the plant's manufacturing day is scarce: exactly FREE_SLOTS free units, the rest plentiful.
      for (const step of chain.steps)
        await database.db
          .updateTable('scheduling_capacity')
          .set({ capacity: step === manufacturing ? FREE_SLOTS : 10_000, booked: 0, held: 0 })
          .where('site_id', '=', step.siteId)
          .where('work_type', '=', step.workType)
          .where('day', '=', step.day)
          .execute();
      const user = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'centre.coordinator@st-elisabeth.example')
        .executeTakeFirstOrThrow();
      const { token } = await createSession(database.db, {
        userId: user.id,
        policy: { idleMinutes: 60, absoluteHours: 12 },
        now: new Date(),
      });
      const cookie = `cellway_session=${token}`;

      servers.push(startServer((fresh.settings as { url: string }).url));
      servers.push(startServer((fresh.settings as { url: string }).url));
      const urls = await Promise.all(servers.map(urlOf));

      const steps = chain.steps.map((s) => ({ stepKey: s.stepKey, siteId: s.siteId, day: s.day }));
      const answers: { status: number; body: Record<string, unknown> }[] = [];
      let next = 0;
      const client = async () => {
        for (let i = next++; i < ATTEMPTS; i = next++) {
          const response = await call(
            { url: urls[i % urls.length] as string },
            'POST',
            '/api/scheduling/bookings',
            {
              cookie,
              body: {
                therapyCode: 'car-t-autologous',
                treatmentCentreId: centreSite,
                caseRef: `RACE-${i}`,
                steps,
              },
            },
          );
          answers.push({ status: response.status, body: response.body });
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, client));

      assert.equal(answers.length, ATTEMPTS);
      const byStatus = new Map<number, number>();
      for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
      assert.deepEqual(Object.fromEntries(byStatus), { 201: FREE_SLOTS, 409: ATTEMPTS - FREE_SLOTS });
      for (const a of answers.filter((x) => x.status === 409)) {
        assert.equal(a.body.code, 'chain_unavailable');
        assert.ok(
          Array.isArray(a.body.alternatives) && a.body.alternatives.length > 0,
          'alternatives offered',
        );
      }
      assert.ok(!answers.some((a) => /deadlock|serializ|could not/i.test(JSON.stringify(a.body))));

      const row = await database.db
        .selectFrom('scheduling_capacity')
        .select(['capacity', 'booked', 'held'])
        .where('site_id', '=', plantSite)
        .where('work_type', '=', 'manufacturing_start')
        .where('day', '=', manufacturing?.day as string)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { capacity: FREE_SLOTS, booked: FREE_SLOTS, held: 0 });
      const live = await database.db
        .selectFrom('scheduling_bookings')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'booked')
        .executeTakeFirstOrThrow();
      assert.equal(Number(live.n), FREE_SLOTS);
      const view = await call(
        { url: urls[1] as string },
        'GET',
        `/api/scheduling/capacity?siteId=${plantSite}&workType=manufacturing_start&from=${manufacturing?.day}&days=1`,
        { cookie },
      );
      assert.equal(view.status, 200);
      assert.deepEqual(
        { booked: view.body.days[0].booked, held: view.body.days[0].held, free: view.body.days[0].free },
        { booked: FREE_SLOTS, held: 0, free: 0 },
      );
      assert.deepEqual(await counterMismatches(database), { mismatched: 0, overbooked: 0 });
      for (const server of servers) assert.doesNotMatch(server.stderr(), /deadlock detected|"level":50/);
    } finally {
      for (const server of servers) {
        if (server.child.exitCode === null && server.child.signalCode === null) {
          server.child.kill('SIGTERM');
          await server.exited;
        }
      }
      await database.close();
      await fresh.drop();
    }
  });
});
