import { sql } from 'kysely';
import type { Tx } from '../platform/db/transaction.ts';
import { HttpProblem } from '../platform/http/problem.ts';
import type { Day } from './scheduling-model.ts';

export type UnitOp = 'hold' | 'book' | 'book_published' | 'release_held' | 'release_booked' | 'convert';
export type UnitChange = { stepKey: string; siteId: string; workType: string; day: Day; op: UnitOp };
export type UnitOutcome = UnitChange & { state: 'held' | 'booked' | 'released'; published: boolean };

/** Why a chain could not be taken: the first unit that was full or does not exist. */
export class ChainUnavailable extends HttpProblem {
  constructor(
    readonly unit: { stepKey: string; siteId: string; workType: string; day: Day },
    readonly failure: 'full' | 'missing',
  ) {
    super(
      409,
      failure === 'full'
        ? `The ${unit.workType} slot on ${unit.day} at site ${unit.siteId} (step ${unit.stepKey}) was taken by someone else; nothing was booked.`
        : `Site ${unit.siteId} offers no ${unit.workType} capacity on ${unit.day} (step ${unit.stepKey}); nothing was booked.`,
      { extensions: { code: 'chain_unavailable', unavailable: { ...unit, cause: failure } } },
    );
  }
}

const orderKey = (u: { siteId: string; workType: string; day: Day }) => `${u.siteId}|${u.workType}|${u.day}`;

/**
 * Applies a chain's counter changes in one round trip (scheduling_apply_units), units in a fixed
 * order, so two transactions always lock capacity rows in the same sequence and never deadlock on
 * them. A unit that cannot be taken throws ChainUnavailable, which rolls the caller's whole
 * transaction back: all or nothing.
 */
export async function applyUnits(trx: Tx, changes: readonly UnitChange[]): Promise<UnitOutcome[]> {
  if (changes.length === 0) return [];
  const sorted = [...changes].sort((a, b) => {
    const ka = orderKey(a);
    const kb = orderKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : a.op < b.op ? -1 : a.op > b.op ? 1 : 0;
  });
  const result = await sql<{ i: number; outcome: string; published: boolean | null }>`
    select i, outcome, published from scheduling_apply_units(
      ${sorted.map((c) => c.siteId)}::uuid[], ${sorted.map((c) => c.workType)}::text[],
      ${sorted.map((c) => c.day)}::date[], ${sorted.map((c) => c.op)}::text[])`.execute(trx);
  const outcomes: UnitOutcome[] = [];
  for (const row of result.rows) {
    const change = sorted[row.i - 1] as UnitChange;
    if (row.outcome === 'full' || row.outcome === 'missing') {
      throw new ChainUnavailable(
        { stepKey: change.stepKey, siteId: change.siteId, workType: change.workType, day: change.day },
        row.outcome,
      );
    }
    const state =
      row.outcome === 'held' || row.outcome === 'booked'
        ? row.outcome
        : row.outcome === 'convert'
          ? 'booked'
          : 'released';
    outcomes.push({ ...change, state, published: row.published === true });
  }
  return outcomes;
}
