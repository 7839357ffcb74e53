import { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type { RawClient } from './raw-client.ts';
import { PG_TYPE, parseDate, parseInt8 } from './type-parsers.ts';

type Release = () => void;

/**
 * PGlite is a single connection. Handing it to two callers at once would interleave their
 * transactions, so a FIFO mutex gives each Kysely "connection" exclusive use until it is released.
 */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<Release> {
    let release!: Release;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

function commandOf(sql: string): PostgresQueryResult<unknown>['command'] {
  const word = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase();
  return word === 'INSERT' || word === 'UPDATE' || word === 'DELETE' || word === 'MERGE' ? word : 'SELECT';
}

export type PglitePool = PostgresPool & { connectRaw(): Promise<RawClient>; pglite: PGlite };

// PGlite 0.5 ignores parsers given to its constructor, so they go with every query.
const PARSERS = { [PG_TYPE.int8]: parseInt8, [PG_TYPE.date]: parseDate };

export async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  const pglite = new PGlite(dataDir);
  await pglite.waitReady;
  return pglite;
}

export function pglitePool(pglite: PGlite): PglitePool {
  const mutex = new Mutex();
  const connectRaw = async (): Promise<RawClient & PostgresPoolClient> => {
    const release = await mutex.acquire();
    let released = false;
    const client = {
      async query(sql: string, params: readonly unknown[] = []) {
        const result = await pglite.query(sql, [...params], { parsers: PARSERS });
        return {
          command: commandOf(sql),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      async exec(script: string) {
        await pglite.exec(script);
      },
      release() {
        if (released) return;
        released = true;
        release();
      },
    };
    return client as unknown as RawClient & PostgresPoolClient;
  };
  let ended: Promise<void> | undefined;
  return {
    pglite,
    connect: connectRaw,
    connectRaw,
    end() {
      // Waits for whoever holds the connection, so close never cuts a transaction in half.
      ended ??= mutex.acquire().then(async (release) => {
        await pglite.close();
        release();
      });
      return ended;
    },
  };
}
