import { type Kysely, sql } from 'kysely';
import type { Schema } from '../platform/db/schema.ts';
import type { CapacityDay, CapacityView, Day, WorkType } from './scheduling-model.ts';

export const capacityKey = (siteId: string, workType: string, day: Day) => `${siteId}|${workType}|${day}`;

type Row = {
  xmin: string;
  site_id: string | null;
  work_type: string | null;
  day: string | null;
  capacity: number | null;
  published: boolean | null;
  booked: number | null;
  held: number | null;
};

/**
 * This process's copy of the capacity counters, for the search. Every write stamps its row with its
 * transaction id (changed_xid); a refresh reads the rows stamped at or after the oldest transaction
 * still running at the previous refresh (the snapshot's xmin), through the changed_xid index: every
 * change that was not visible then is read now, whatever order transactions committed in, so the
 * copy never misses a change. It is only ever a guide: booking re-checks every unit in the database.
 */
export class CapacityCache implements CapacityView {
  readonly #rows = new Map<string, CapacityDay>();
  #since: string | undefined;

  get(siteId: string, workType: WorkType, day: Day): CapacityDay | undefined {
    return this.#rows.get(capacityKey(siteId, workType, day));
  }

  get size(): number {
    return this.#rows.size;
  }

  /** One indexed query: the rows changed since the last refresh (all rows the first time). */
  async refresh(db: Kysely<Schema>): Promise<number> {
    const since = this.#since;
    const result = await sql<Row>`
      select x.xmin, c.site_id, c.work_type, to_char(c.day, 'YYYY-MM-DD') as day, c.capacity,
             c.published, c.booked, c.held
      from (select pg_snapshot_xmin(pg_current_snapshot())::text as xmin) x
      left join scheduling_capacity c on ${since === undefined ? sql`true` : sql`c.changed_xid >= ${since}::xid8`}`.execute(
      db,
    );
    let changed = 0;
    for (const row of result.rows) {
      if (row.site_id === null || row.day === null) continue;
      changed++;
      this.#rows.set(capacityKey(row.site_id, row.work_type as string, row.day), {
        siteId: row.site_id,
        workType: row.work_type as WorkType,
        day: row.day,
        capacity: Number(row.capacity),
        published: row.published === true,
        booked: Number(row.booked),
        held: Number(row.held),
      });
    }
    const first = result.rows[0];
    if (first) this.#since = first.xmin;
    return changed;
  }
}
