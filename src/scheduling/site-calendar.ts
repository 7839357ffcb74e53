/**
 * Calendar arithmetic for scheduling: site-local days ('YYYY-MM-DD') and UTC instants, with time
 * zones resolved through Intl (no time zone library). Days are also handled as integers (days
 * since 1970-01-01) because the search walks thousands of them and string parsing would dominate.
 */
import type { Closure, Day, OpeningHours, SchedulingSite } from './scheduling-model.ts';

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written 'YYYY-MM-DD' (rejects 2026-02-30). */
export function isDay(value: string): boolean {
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const n = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isFinite(n) && new Date(n).toISOString().slice(0, 10) === value;
}

/** Days since 1970-01-01 for a 'YYYY-MM-DD' day. */
export function dayNumber(day: Day): number {
  const match = DAY_PATTERN.exec(day);
  if (!match) throw new Error(`not a day: ${day}`);
  return Math.round(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS);
}

// The search turns day numbers back into strings constantly; a bounded cache saves the Date work.
const dayStrings = new Map<number, Day>();
export function dayFromNumber(n: number): Day {
  let day = dayStrings.get(n);
  if (day === undefined) {
    day = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (dayStrings.size > 100_000) dayStrings.clear();
    dayStrings.set(n, day);
  }
  return day;
}

export function addDays(day: Day, days: number): Day {
  return dayFromNumber(dayNumber(day) + days);
}

export function daysBetween(from: Day, to: Day): number {
  return dayNumber(to) - dayNumber(from);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekdayOfNumber(n: number): OpeningHours['weekday'] {
  return ((((n % 7) + 7 + 3) % 7) + 1) as OpeningHours['weekday'];
}

export function isoWeekday(day: Day): OpeningHours['weekday'] {
  return isoWeekdayOfNumber(dayNumber(day));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the IANA zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of an instant in a zone, as if that wall clock were UTC (ms). */
function wallClockAsUtc(timeZone: string, instantMs: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instantMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** Offset of the zone from UTC at an instant, in ms (Berlin in summer: +7,200,000). */
export function zoneOffsetMs(timeZone: string, instantMs: number): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return wallClockAsUtc(timeZone, whole) - whole;
}

/** Minutes after midnight of an 'HH:MM' time. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * The UTC instant (ms) of a wall-clock time on a local day. A wall time skipped by a DST jump
 * resolves to the instant just after the jump, which is what a site's clock shows at opening.
 */
export function localTimeToUtcMs(timeZone: string, day: Day | number, time: string): number {
  const n = typeof day === 'number' ? day : dayNumber(day);
  const wall = n * DAY_MS + minutesOf(time) * 60_000;
  const first = wall - zoneOffsetMs(timeZone, wall);
  const second = wall - zoneOffsetMs(timeZone, first);
  return second === first ? first : Math.max(first, second);
}

/** The local day (in the zone) on which an instant falls. */
export function localDayOf(timeZone: string, instant: Date | number): Day {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return new Date(wallClockAsUtc(timeZone, ms)).toISOString().slice(0, 10);
}

/** The first opening hours of a weekday; undefined when the site is closed that weekday. */
export function hoursOn(
  site: Pick<SchedulingSite, 'openingHours'>,
  day: Day | number,
): OpeningHours | undefined {
  const weekday = isoWeekdayOfNumber(typeof day === 'number' ? day : dayNumber(day));
  let best: OpeningHours | undefined;
  for (const hours of site.openingHours)
    if (hours.weekday === weekday && (!best || minutesOf(hours.opens) < minutesOf(best.opens))) best = hours;
  return best;
}

/** The closure covering a day, if any. */
export function closureOn(site: Pick<SchedulingSite, 'closures'>, day: Day): Closure | undefined {
  return site.closures.find((c) => c.from <= day && day <= c.to);
}

/** When a step booked at the site on the day starts (its opening time); undefined when closed. */
export function openingInstantMs(site: SchedulingSite, day: Day): number | undefined {
  if (closureOn(site, day)) return undefined;
  const hours = hoursOn(site, day);
  return hours ? localTimeToUtcMs(site.timeZone, day, hours.opens) : undefined;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
