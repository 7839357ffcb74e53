// Scheduling costs on the generated network (200 treatment centres, 20 collection centres,
// 12 plants, 3 ranked site sets per centre, 120 days, 2,000 booked open cases):
// - search_p95_ms / search_p95_ratio_to_pk_read: the chain search through SchedulingService.search,
//   the function POST /api/scheduling/search calls (capacity refresh by one indexed read, then the
//   engine in memory), against the p95 of a primary-key read of one case row on the same handle;
// - booking_uniform_ratio_to_insert / booking_hot_ratio_to_insert: bookings per second of the
//   booking transaction (takeChain: conditional take of every unit, booking and units, ledger entry),
//   the route's transaction without HTTP and without the read-only checks before it, with CLIENTS
//   concurrent clients, chains spread over all plants, or with 10% of them on one hot plant, as a
//   ratio to single-row INSERTs per second into a plain table with the same concurrency in the same
//   run (measured before and after the bookings, averaged). The generated network is nearly full,
//   so every unit first gets 20 more capacity for the booking phases;
// - replan_p95_ms: moving a booked chain's conditioning to a later day through the route's path:
//   read the booking, refresh the counters, preview (replanChain, own units free), accept
//   (applyReplan: release, conditional take, ledger, notifications);
// - overbooked: capacity rows with booked + held > capacity afterwards.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { systemActor } from '../src/platform/access/actor.ts';
import { type Database, openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrations.ts';
import { inTransaction } from '../src/platform/db/transaction.ts';
import { seedDemo } from '../src/platform/seed/demo-seed.ts';
import { applyReplan, findBooking, takeChain } from '../src/scheduling/booking-store.ts';
import { ChainUnavailable } from '../src/scheduling/capacity-units.ts';
import { searchChains } from '../src/scheduling/chain-search.ts';
import { loadGeneratedNetwork } from '../src/scheduling/generated-network-loader.ts';
import { capacityViewOf, GENERATED_THERAPY, generateNetwork } from '../src/scheduling/network-generator.ts';
import { replanChain } from '../src/scheduling/replan.ts';
import type { ChainStep, SlotChain, WorkType } from '../src/scheduling/scheduling-model.ts';
import { SchedulingService } from '../src/scheduling/scheduling-service.ts';
import { addDays } from '../src/scheduling/site-calendar.ts';
import { percentile, round, writeResults } from './support/bench-results.ts';

const CLIENTS = 16;
const SEARCHES = 400;
const BOOKINGS = 600;
const INSERTS = 3_000;
const REPLANS = 200;
const actor = systemActor('bench');

async function openBenchDatabase(): Promise<{ database: Database; kind: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ kind: 'pglite', dataDir: undefined });
    return { database, kind: 'pglite (DATABASE_URL not set)', drop: async () => {} };
  }
  const name = `cellway_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: CLIENTS + 2 });
  return {
    database,
    kind: 'postgresql (fresh database on DATABASE_URL)',
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** Runs `total` operations over `clients` concurrent workers; returns operations per second. */
async function throughput(
  total: number,
  clients: number,
  op: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < total; i = next++) await op(i);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** A fixed-seed Fisher–Yates shuffle, so runs book in the same order. */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function main() {
  const { database, kind, drop } = await openBenchDatabase();
  try {
    await migrate(database);
    await seedDemo(database);
    const startDay = addDays(new Date().toISOString().slice(0, 10), 1);
    const generating = await timed(async () => generateNetwork({ seed: 20261122, startDay }));
    const loading = await timed(() => loadGeneratedNetwork(database, generating.value));
    const network = loading.value;
    const db = database.db;
    const centres = network.sites.filter((s) => s.kind === 'treatment_centre');
    const plants = network.sites.filter((s) => s.kind === 'manufacturing_site');
    const service = new SchedulingService(db);
    await service.network();
    await service.refreshCapacity();

    // Search vs primary-key read, interleaved so both see the same machine load.
    const caseId = (await db.selectFrom('cases').select('id').executeTakeFirstOrThrow()).id;
    const searchMs: number[] = [];
    const pkMs: number[] = [];
    let found = 0;
    for (let i = 0; i < SEARCHES + 40; i++) {
      const centre = centres[i % centres.length];
      const search = await timed(() =>
        service.search(
          actor,
          {
            therapyCode: GENERATED_THERAPY,
            treatmentCentreId: centre?.id as string,
            earliestDate: addDays(startDay, 1 + (i % 60)),
            count: 3,
          },
          new Date(),
        ),
      );
      const read = await timed(() =>
        db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst(),
      );
      if (i < 40) continue;
      searchMs.push(search.ms);
      pkMs.push(read.ms);
      if (search.value.chains.length > 0) found++;
    }
    const searchP95 = percentile(searchMs, 95);
    const pkP95 = percentile(pkMs, 95);

    const indexed = await service.network();
    const spec = (
      await service.resolve(
        actor,
        { therapyCode: GENERATED_THERAPY, treatmentCentreId: centres[0]?.id },
        'search',
      )
    ).spec;
    // Re-plan, on the generated bookings before the booking phases fill the network: move a
    // booked chain's conditioning a day or more later (the first such day that fits, as a coordinator
    // would pick it from the preview), then time the route's whole path: read the booking, refresh
    // the counters, preview, accept.
    const booked = await db
      .selectFrom('scheduling_bookings')
      .select('id')
      .where('status', '=', 'booked')
      .where('case_ref', 'like', 'CASE-%')
      .limit(REPLANS)
      .execute();
    const replanMs: number[] = [];
    const reasons = new Map<string, number>();
    let replanned = 0;
    const targets = new Map<string, string>();
    for (const { id } of booked) {
      const booking = await findBooking(db, actor, id);
      const step = booking?.steps.find((s) => s.stepKey === 'conditioning');
      if (!booking || !step) continue;
      const current: SlotChain = {
        steps: booking.steps.map(({ state: _s, ...s }) => s),
        siteSetRank: 0,
        infusionDay: booking.steps[booking.steps.length - 1]?.day as string,
        plantLoad: 0,
      };
      const own = booking.steps.map((s) => ({ siteId: s.siteId, workType: s.workType, day: s.day }));
      for (const n of [1, 2, 3, 4, 5, 6, 7]) {
        const day = addDays(step.day, n);
        const preview = replanChain(
          indexed,
          service.capacity,
          spec,
          current,
          { stepKey: 'conditioning', day },
          {
            ownBookings: own,
            now: new Date(),
          },
        );
        if (preview.feasible) {
          targets.set(id, day);
          break;
        }
      }
    }
    for (const id of targets.keys()) {
      const run = await timed(async () => {
        const booking = await findBooking(db, actor, id);
        if (!booking) return false;
        await service.refreshCapacity();
        const current: SlotChain = {
          steps: booking.steps.map(({ state: _s, ...s }) => s),
          siteSetRank: 0,
          infusionDay: booking.steps[booking.steps.length - 1]?.day as string,
          plantLoad: 0,
        };
        const proposal = replanChain(
          indexed,
          service.capacity,
          spec,
          current,
          { stepKey: 'conditioning', day: targets.get(id) as string },
          {
            ownBookings: booking.steps.map((s) => ({ siteId: s.siteId, workType: s.workType, day: s.day })),
            now: new Date(),
          },
        );
        if (!proposal.feasible || !proposal.after) {
          reasons.set(proposal.reason ?? '?', (reasons.get(proposal.reason ?? '?') ?? 0) + 1);
          return false;
        }
        const after = proposal.after;
        await inTransaction(database, (trx) =>
          applyReplan(
            trx,
            actor,
            id,
            { newSteps: after.steps, reason: 'bench: patient not ready', expectedRevision: booking.revision },
            new Date(),
          ),
        );
        return true;
      }).catch((error) => {
        if (error instanceof ChainUnavailable) return { ms: Number.NaN, value: false };
        throw error;
      });
      if (Number.isNaN(run.ms)) continue;
      replanMs.push(run.ms);
      if (run.value) replanned++;
    }

    // The booking phases need room: every unit gets 20 more capacity, published as a plant would.
    await sql`update scheduling_capacity set capacity = capacity + 20`.execute(db);
    await service.refreshCapacity();
    // Chains to book, planned ahead against a copy of the counters so they fit when booked.
    const rows = await db
      .selectFrom('scheduling_capacity')
      .select([
        'site_id',
        'work_type',
        sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
        'capacity',
        'booked',
        'held',
        'published',
      ])
      .execute();
    const plan = capacityViewOf(
      rows.map((r) => ({
        siteId: r.site_id,
        workType: r.work_type as WorkType,
        day: r.day,
        capacity: r.capacity,
        booked: r.booked,
        held: r.held,
        published: r.published,
      })),
    );
    // The hot plant: the one most centres' site sets name; its share of bookings comes from those centres.
    const servedBy = (plantId: string) =>
      centres.filter((c) =>
        indexed.siteSets(c.id, GENERATED_THERAPY).some((set) => set.plantIds.includes(plantId)),
      );
    const hotPlant = [...plants].sort((a, b) => servedBy(b.id).length - servedBy(a.id).length)[0]
      ?.id as string;
    const hotCentres = servedBy(hotPlant);
    const planChains = (count: number, hotShare: number, offset: number) => {
      const out: { centreId: string; steps: ChainStep[] }[] = [];
      for (let i = 0; out.length < count && i < count * 4; i++) {
        const hot = (out.length % 10) / 10 < hotShare;
        const pool = hot ? hotCentres : centres;
        const centre = pool[(i * 7 + offset) % pool.length];
        const { chains } = searchChains(
          indexed,
          plan,
          spec,
          {
            therapyCode: GENERATED_THERAPY,
            treatmentCentreId: centre?.id as string,
            earliestDate: addDays(startDay, 1 + (i % 90)),
            count: 1,
            ...(hot ? { preferences: { plantIds: [hotPlant] } } : {}),
          },
          new Date(),
        );
        const chain = chains[0];
        if (!chain) continue;
        for (const step of chain.steps) plan.take(step.siteId, step.workType, step.day);
        out.push({ centreId: centre?.id as string, steps: chain.steps });
      }
      return out;
    };
    const partnerOf = new Map(network.sites.map((s) => [s.id, s.partnerId]));
    let refused = 0;
    const book = (chains: { centreId: string; steps: ChainStep[] }[], tag: string) => async (i: number) => {
      const chain = chains[i % chains.length] as { centreId: string; steps: ChainStep[] };
      try {
        await inTransaction(database, (trx) =>
          takeChain(
            trx,
            actor,
            {
              subject: {
                caseId: null,
                caseRef: `BENCH-${tag}-${i}`,
                treatmentCentreId: chain.centreId,
                centrePartnerId: partnerOf.get(chain.centreId) as string,
                therapyCode: GENERATED_THERAPY,
              },
              steps: chain.steps,
              mode: 'book',
            },
            new Date(),
          ),
        );
      } catch (error) {
        if (!(error instanceof ChainUnavailable)) throw error;
        refused++;
      }
    };
    await sql`create table bench_inserts (id uuid primary key, payload text not null)`.execute(db);
    const insertRate = await throughput(INSERTS, CLIENTS, () =>
      db
        .insertInto('bench_inserts' as never)
        .values({ id: randomUUID(), payload: 'x'.repeat(64) } as never)
        .execute(),
    );
    // Planned in search order (earliest days first), booked in a shuffled order: concurrent clients
    // then touch the network's rows the way independent coordinators would.
    const uniformChains = shuffled(planChains(BOOKINGS, 0, 0));
    const uniformRate = await throughput(uniformChains.length, CLIENTS, book(uniformChains, 'U'));
    const hotChains = shuffled(planChains(BOOKINGS, 0.1, 3));
    const hotRate = await throughput(hotChains.length, CLIENTS, book(hotChains, 'H'));
    const insertRateAfter = await throughput(INSERTS, CLIENTS, () =>
      db
        .insertInto('bench_inserts' as never)
        .values({ id: randomUUID(), payload: 'y'.repeat(64) } as never)
        .execute(),
    );
    const insertRateMean = (insertRate + insertRateAfter) / 2;

    const overbooked = await sql<{
      n: number;
    }>`select count(*)::int as n from scheduling_capacity where booked + held > capacity`.execute(db);
    writeResults(
      'scheduling',
      {
        search_p95_ms: round(searchP95),
        search_p95_ratio_to_pk_read: round(searchP95 / pkP95),
        booking_uniform_ratio_to_insert: round(uniformRate / insertRateMean, 3),
        booking_hot_ratio_to_insert: round(hotRate / insertRateMean, 3),
        replan_p95_ms: round(percentile(replanMs, 95)),
        overbooked: overbooked.rows[0]?.n ?? 0,
      },
      {
        details: {
          database: kind,
          network: {
            sites: network.sites.length,
            treatmentCentres: centres.length,
            plants: plants.length,
            capacityRows: network.capacity.length,
            generatedBookings: network.bookings.length,
            generateMs: Math.round(generating.ms),
            loadMs: Math.round(loading.ms),
          },
          search: {
            runs: searchMs.length,
            withChains: found,
            p95Ms: round(searchP95),
            pkReadP95Ms: round(pkP95, 3),
          },
          booking: {
            clients: CLIENTS,
            uniformPerSecond: round(uniformRate),
            hotPerSecond: round(hotRate),
            insertPerSecond: round(insertRateMean),
            uniformChains: uniformChains.length,
            hotChains: hotChains.length,
            hotShareOnOnePlant: 0.1,
            hotPlantServesCentres: hotCentres.length,
            refusedAsTaken: refused,
          },
          replan: {
            move: 'conditioning of a booked chain, 1–7 days later',
            candidates: booked.length,
            attempts: replanMs.length,
            accepted: replanned,
            p95Ms: round(percentile(replanMs, 95)),
            infeasible: Object.fromEntries([...reasons].slice(0, 5)),
          },
        },
      },
    );
  } finally {
    await database.close();
    await drop();
  }
}

await main();
