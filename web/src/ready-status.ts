import { fetchJson, problemOf } from './api-client.ts';

/** Body of `GET /ready` when the server can serve requests. */
export interface ReadyBody {
  status: 'ready';
  database: 'pglite' | 'postgres' | (string & {});
  migrations: number;
}

export type ReadyState =
  | { kind: 'checking' }
  | { kind: 'ready'; database: string; migrations: number; checkedAt: Date }
  | { kind: 'not-ready'; title: string; detail?: string; checkedAt: Date };

/** Ask the server whether it is ready; never throws. */
export async function checkReady(signal?: AbortSignal): Promise<ReadyState> {
  try {
    const body = await fetchJson<ReadyBody>('/ready', { signal });
    return { kind: 'ready', database: body.database, migrations: body.migrations, checkedAt: new Date() };
  } catch (error) {
    if (signal?.aborted) throw error;
    const problem = problemOf(error);
    return { kind: 'not-ready', title: problem.title, detail: problem.detail, checkedAt: new Date() };
  }
}

const databaseNames: Record<string, string> = { pglite: 'embedded PGlite', postgres: 'PostgreSQL' };

export function databaseLabel(database: string): string {
  return databaseNames[database] ?? database;
}
