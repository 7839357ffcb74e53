import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { appliedMigrationCount } from '../db/migrations.ts';
import type { App } from './app-type.ts';
import { HttpProblem } from './problem.ts';

const readySchema = z.object({
  status: z.literal('ready'),
  database: z.enum(['pglite', 'postgres']),
  migrations: z.number().int(),
});

export function registerSystemRoutes(app: App, database: Database, expectedMigrations: number): void {
  app.get(
    '/health',
    {
      config: { access: { public: true, why: 'liveness probe' } },
      schema: {
        summary: 'Liveness: the process is up',
        tags: ['system'],
        response: { 200: z.object({ status: z.literal('alive') }) },
      },
    },
    async () => ({ status: 'alive' as const }),
  );

  app.get(
    '/ready',
    {
      config: { access: { public: true, why: 'readiness probe' } },
      schema: {
        summary: 'Readiness: the database answers and every migration is applied',
        tags: ['system'],
        response: { 200: readySchema },
      },
    },
    async () => {
      let applied: number;
      try {
        applied = await appliedMigrationCount(database);
      } catch (error) {
        throw new HttpProblem(
          503,
          `The database does not answer: ${(error as Error).message.split('\n')[0]}`,
          {
            title: 'Not ready',
          },
        );
      }
      if (applied < expectedMigrations)
        throw new HttpProblem(503, `${applied} of ${expectedMigrations} migrations applied.`, {
          title: 'Not ready',
        });
      return { status: 'ready' as const, database: database.kind, migrations: applied };
    },
  );
}
