/**
 * PGlite and node-postgres disagree on a few result types out of the box. Both sides get the same
 * parsers so one query returns the same JavaScript values on either database.
 */
export const PG_TYPE = { int8: 20, date: 1082 } as const;

/** bigint counters and sequences stay well inside 2^53 in this domain; numbers are easier to use. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} exceeds the safe integer range`);
  return value;
}

/** A calendar date is not an instant: keep it as 'YYYY-MM-DD' so no time zone can shift it. */
export function parseDate(text: string): string {
  return text;
}
