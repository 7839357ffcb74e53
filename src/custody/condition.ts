import type { CustodyItemType } from './custody-tables.ts';

/*
 * Condition data of a hand-off: temperature readings typed in or read from a data logger's CSV
 * export, summarised against the range the material allows. Pure: no clock, no database.
 */

export type TemperatureReading = { at: string; celsius: number };
/** Inclusive °C bounds; null = unbounded on that side. */
export type TemperatureRange = { min: number | null; max: number | null; label: string };

/** Fresh material travels at 2–8 °C; cryopreserved product in vapour-phase nitrogen at ≤ −150 °C. */
export const ALLOWED_RANGE: Record<CustodyItemType, TemperatureRange | null> = {
  apheresis_bag: { min: 2, max: 8, label: '2 to 8 °C (fresh)' },
  sample: { min: 2, max: 8, label: '2 to 8 °C (fresh)' },
  final_product_bag: { min: null, max: -150, label: '≤ −150 °C (cryopreserved)' },
  shipper: null,
};

/** The range every item of a hand-off allows, or a reason when they cannot travel together. */
export function rangeForItems(
  types: readonly CustodyItemType[],
): { ok: true; range: TemperatureRange | null } | { ok: false; reason: string } {
  const ranges = [...new Set(types)].flatMap((t) => {
    const range = ALLOWED_RANGE[t];
    return range ? [range] : [];
  });
  if (ranges.length === 0) return { ok: true, range: null };
  const min = Math.max(...ranges.map((r) => r.min ?? Number.NEGATIVE_INFINITY));
  const max = Math.min(...ranges.map((r) => r.max ?? Number.POSITIVE_INFINITY));
  if (min > max)
    return {
      ok: false,
      reason: `items needing ${ranges.map((r) => r.label).join(' and ')} cannot travel in one hand-off`,
    };
  return {
    ok: true,
    range: {
      min: Number.isFinite(min) ? min : null,
      max: Number.isFinite(max) ? max : null,
      label: [...new Set(ranges.map((r) => r.label))].join(' and '),
    },
  };
}

/** 512 KiB of CSV: a week of one-minute readings, well under the request body limit once base64-encoded. */
export const DATA_LOGGER_MAX_BYTES = 512 * 1024;
export const MAX_READINGS = 20_000;

export type ParseOutcome = { ok: true; readings: TemperatureReading[] } | { ok: false; reason: string };

/**
 * A data logger's CSV export: `timestamp,celsius` per line (ISO 8601 timestamps with an offset or Z),
 * an optional header line, blank lines ignored, `;` accepted as separator and `,` as decimal mark
 * when `;` separates. Any other malformed line is refused with its line number: a partial reading
 * of a logger file would hide exactly the excursion it was meant to show.
 */
export function parseDataLoggerCsv(text: string): ParseOutcome {
  if (Buffer.byteLength(text, 'utf8') > DATA_LOGGER_MAX_BYTES)
    return { ok: false, reason: `is larger than ${DATA_LOGGER_MAX_BYTES / 1024} KiB` };
  const readings: TemperatureReading[] = [];
  let sawHeader = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === '') continue;
    const semicolon = line.includes(';');
    const [rawAt, rawValue, ...rest] = line.split(semicolon ? ';' : ',').map((s) => s.trim());
    if (!sawHeader && readings.length === 0 && !/^\d{4}-/.test(rawAt ?? '')) {
      sawHeader = true; // the column names
      continue;
    }
    if (rest.length > 0 || rawAt === undefined || rawValue === undefined)
      return { ok: false, reason: `line ${index + 1}: expected "timestamp,celsius"` };
    const at = Date.parse(rawAt);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(rawAt) || !/(Z|[+-]\d{2}:?\d{2})$/.test(rawAt) || Number.isNaN(at))
      return {
        ok: false,
        reason: `line ${index + 1}: "${rawAt}" is not an ISO 8601 timestamp with a UTC offset`,
      };
    const value = Number(semicolon ? rawValue.replace(',', '.') : rawValue);
    if (!/^-?\d+([.,]\d+)?$/.test(rawValue) || !Number.isFinite(value) || value < -273.15 || value > 100)
      return { ok: false, reason: `line ${index + 1}: "${rawValue}" is not a temperature in °C` };
    readings.push({ at: new Date(at).toISOString(), celsius: Math.round(value * 100) / 100 });
    if (readings.length > MAX_READINGS)
      return { ok: false, reason: `has more than ${MAX_READINGS} readings` };
  }
  if (readings.length === 0) return { ok: false, reason: 'contains no readings' };
  return { ok: true, readings };
}

export type ConditionSummary = {
  source: 'readings' | 'data_logger';
  fileName: string | null;
  /** SHA-256 of the data-logger file as uploaded, so the dossier names the exact file. */
  fileSha256: string | null;
  count: number;
  first: string;
  last: string;
  minCelsius: number;
  maxCelsius: number;
  allowed: TemperatureRange | null;
  excursion: boolean;
  /** The readings outside the range (at most 20 listed; `excursionCount` counts all). */
  excursions: TemperatureReading[];
  excursionCount: number;
  reasonCode: 'above_range' | 'below_range' | null;
};

export function outOfRange(reading: TemperatureReading, range: TemperatureRange | null): boolean {
  if (!range) return false;
  return (
    (range.min !== null && reading.celsius < range.min) || (range.max !== null && reading.celsius > range.max)
  );
}

/** Min, max and excursions of readings (sorted by time here) against the allowed range. */
export function summariseReadings(
  readings: readonly TemperatureReading[],
  range: TemperatureRange | null,
  source: { kind: 'readings' | 'data_logger'; fileName?: string | null; fileSha256?: string | null },
): ConditionSummary {
  if (readings.length === 0) throw new Error('summariseReadings needs at least one reading');
  const sorted = [...readings].sort((a, b) => a.at.localeCompare(b.at));
  const outside = sorted.filter((r) => outOfRange(r, range));
  const above = outside.some((r) => range?.max !== null && range?.max !== undefined && r.celsius > range.max);
  return {
    source: source.kind,
    fileName: source.fileName ?? null,
    fileSha256: source.fileSha256 ?? null,
    count: sorted.length,
    first: (sorted[0] as TemperatureReading).at,
    last: (sorted[sorted.length - 1] as TemperatureReading).at,
    minCelsius: Math.min(...sorted.map((r) => r.celsius)),
    maxCelsius: Math.max(...sorted.map((r) => r.celsius)),
    allowed: range,
    excursion: outside.length > 0,
    excursions: outside.slice(0, 20),
    excursionCount: outside.length,
    reasonCode: outside.length === 0 ? null : above ? 'above_range' : 'below_range',
  };
}

/** Whether a shipper's qualification holds on the day of the hand-off ('YYYY-MM-DD' compare). */
export function shipperQualification(
  shipper: { qualified_until: string | null } | undefined,
  on: Date,
): 'qualified' | 'expired' | 'unknown' {
  if (!shipper?.qualified_until) return 'unknown';
  return shipper.qualified_until >= on.toISOString().slice(0, 10) ? 'qualified' : 'expired';
}
