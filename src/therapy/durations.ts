import { type Duration, ISO_DURATION, type TimeUnit } from './template-schema.ts';

const UNIT_MS: Record<TimeUnit, number> = {
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

export function unitToMs(amount: number, unit: TimeUnit): number {
  return amount * UNIT_MS[unit];
}

/** Exact milliseconds: the schema only admits units of fixed length. */
export function durationToMs(duration: Duration): number {
  if (typeof duration !== 'string') return unitToMs(duration.amount, duration.unit);
  const match = ISO_DURATION.exec(duration);
  if (!match) throw new Error(`not a supported ISO-8601 duration: ${duration}`);
  const n = (part: string | undefined) => (part ? Number.parseInt(part, 10) : 0);
  return (
    n(match[1]) * UNIT_MS.weeks +
    n(match[2]) * UNIT_MS.days +
    n(match[4]) * UNIT_MS.hours +
    n(match[5]) * UNIT_MS.minutes +
    n(match[6]) * 1000
  );
}
