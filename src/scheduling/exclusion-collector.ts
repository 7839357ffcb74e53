/**
 * "Why no slot", kept small: one exclusion per site × reason (× step), spanning the first and last
 * day it applied, instead of one line per day that nobody reads.
 */
import type { Day, Exclusion, SchedulingSite } from './scheduling-model.ts';

const MAX_EXCLUSIONS = 200;

type Entry = Exclusion & { describe: (first: Day, last: Day, count: number) => string; weekly?: boolean };

const ORDER: readonly Exclusion['code'][] = [
  'no_route',
  'lead_time',
  'avoided',
  'no_capacity',
  'unpublished',
  'patient_conflict',
  'after_latest_infusion',
  'site_closed',
];

export function siteLabel(site: SchedulingSite | undefined, siteId: string): string {
  return site ? `${site.code} (${site.name})` : siteId;
}

export class ExclusionCollector {
  private readonly entries = new Map<string, Entry>();

  /** A reason that applies to a single site × step over days: repeated calls widen the day range. */
  day(
    code: Exclusion['code'],
    detail: string,
    fields: { stepKey?: string; siteId?: string; siteSetRank?: number },
    day: Day,
    describe: (first: Day, last: Day, count: number) => string,
  ): void {
    const key = `${code}|${detail}|${fields.siteId ?? ''}|${fields.stepKey ?? ''}`;
    const entry = this.entries.get(key);
    if (entry) {
      if (day < (entry.day as Day)) entry.day = day;
      if (day > (entry.lastDay as Day)) entry.lastDay = day;
      entry.count = (entry.count ?? 0) + 1;
      return;
    }
    if (this.entries.size >= MAX_EXCLUSIONS) return;
    this.entries.set(key, {
      code,
      ...fields,
      day,
      lastDay: day,
      count: 1,
      reason: '',
      describe,
      ...(detail === 'weekday' ? { weekly: true } : {}),
    });
  }

  /** A reason without days (no route, a lead time no day can meet, an avoided site). */
  once(code: Exclusion['code'], fields: Omit<Exclusion, 'code' | 'reason'>, reason: string): void {
    const key = `${code}|${fields.siteId ?? ''}|${fields.stepKey ?? ''}|${fields.siteSetRank ?? ''}|${reason}`;
    if (this.entries.has(key) || this.entries.size >= MAX_EXCLUSIONS) return;
    this.entries.set(key, { code, ...fields, reason, describe: () => reason });
  }

  /** Most telling first: what rules out a site entirely, then full or missing capacity, weekly closing days last. */
  list(): Exclusion[] {
    const weight = (e: Entry) => ORDER.indexOf(e.code) + (e.weekly ? ORDER.length : 0);
    const sorted = [...this.entries.values()].sort(
      (a, b) => weight(a) - weight(b) || (b.count ?? 0) - (a.count ?? 0),
    );
    return sorted.map(({ describe, weekly, ...e }) => {
      const out: Exclusion = {
        ...e,
        reason: e.day ? describe(e.day, e.lastDay ?? e.day, e.count ?? 1) : e.reason,
      };
      return out;
    });
  }
}

export function dayRange(first: Day, last: Day, count: number): string {
  if (first === last) return `on ${first}`;
  return `on ${count} day${count === 1 ? '' : 's'} between ${first} and ${last}`;
}
