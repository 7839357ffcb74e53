import { type RawBuilder, sql } from 'kysely';
import { canonicalJson } from '../ledger/canonical-json.ts';
import type { JsonObject } from './job-tables.ts';

/**
 * JSON for a jsonb column, sent as text and cast by PostgreSQL: node-postgres would turn a top-level
 * array into a PostgreSQL array and PGlite would encode a string twice, so neither driver is trusted
 * to guess. Canonical JSON refuses what JSON.stringify would silently drop (undefined, NaN, Maps).
 */
export function jsonbValue(value: JsonObject): { value: RawBuilder<JsonObject>; bytes: number } {
  const text = canonicalJson(value);
  return { value: sql<JsonObject>`cast(${text} as text)::jsonb`, bytes: Buffer.byteLength(text) };
}
