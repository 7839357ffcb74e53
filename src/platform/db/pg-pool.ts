import pg from 'pg';
import type { RawClient } from './raw-client.ts';
import { PG_TYPE, parseDate, parseInt8 } from './type-parsers.ts';

const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === PG_TYPE.int8) return parseInt8;
    if (oid === PG_TYPE.date) return parseDate;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export type ServerPool = pg.Pool & { connectRaw(): Promise<RawClient> };

export function serverPool(url: string, max: number, applicationName = 'cellway'): ServerPool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: types as pg.CustomTypesConfig,
    application_name: applicationName,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  }) as ServerPool;
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  pool.connectRaw = async () => {
    const client = await pool.connect();
    return {
      query: (sql, params = []) => client.query(sql, [...params]) as never,
      exec: async (script) => {
        await client.query(script);
      },
      release: () => client.release(),
    };
  };
  return pool;
}
