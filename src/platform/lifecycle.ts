import { startCheckpointTimer } from './audit/checkpointer.ts';
import { defaultKeyFile, loadOrCreateInstallationKey, registerPublicKey } from './audit/installation-key.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { loadMigrations, migrate } from './db/migrations.ts';
import type { App } from './http/app-type.ts';
import { buildServer } from './http/server.ts';
import { installedJobHandlers } from './jobs/installed-job-handlers.ts';
import { startJobRunner } from './jobs/job-runner.ts';
import type { Logger } from './logger.ts';
import { type SeedProgress, seedDemo } from './seed/demo-seed.ts';

export type RunningCellway = {
  app: App;
  database: Database;
  url: string;
  stop(reason?: string): Promise<void>;
};

export class PortInUseError extends Error {}

/** Opens the database, migrates, optionally seeds, then serves. The same path for CLI, tests and benches. */
export async function startCellway(options: {
  config: Config;
  logger: Logger;
  demo?: boolean;
  onSeedProgress?: SeedProgress;
  webDistDir?: string;
  /** Adds routes before the server starts listening (tests use it for probes such as slow requests). */
  beforeListen?: (app: App) => void;
}): Promise<RunningCellway> {
  const { config, logger } = options;
  const migrations = loadMigrations();
  const database = await openDatabase(config.database);
  try {
    const report = await migrate(database, {
      migrations,
      onApply: (m) => logger.info({ migration: m.version, name: m.name }, 'applying migration'),
    });
    logger.info(
      { applied: report.applied.length, total: report.total, database: database.kind },
      'database migrated',
    );
    if (options.demo) await seedDemo(database, options.onSeedProgress);
    const ledgerKey = loadOrCreateInstallationKey(config.ledgerKeyFile ?? defaultKeyFile(config));
    await registerPublicKey(database, ledgerKey);

    // Loaded before serving so a broken handler module stops start-up, not the first job.
    const jobHandlers = await installedJobHandlers({ mail: config.mail, jobs: config.jobs, logger });

    const { app } = await buildServer({
      database,
      logger,
      expectedMigrations: migrations.length,
      auth: config.auth,
      ledgerKey,
      isbtFacilityId: config.isbtFacilityId,
      schedulingHoldMinutes: config.schedulingHoldMinutes,
      ...(options.webDistDir ? { webDistDir: options.webDistDir } : {}),
    });
    options.beforeListen?.(app);
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      await app.close();
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new PortInUseError(`port ${config.port} on ${config.host} is already in use (PORT, HOST)`);
      throw error;
    }
    const checkpoints = startCheckpointTimer(
      database,
      ledgerKey,
      config.ledgerCheckpointSeconds * 1000,
      logger,
    );
    // Started once migrated and serving; jobs and timers that fell due while no process ran are picked up now.
    const jobRunner = await startJobRunner({
      database,
      logger,
      handlers: jobHandlers.handlers,
      concurrency: config.jobs.concurrency,
      pollMs: config.jobs.pollMs,
      leaseMs: config.jobs.leaseMs,
    }).catch(async (error) => {
      await app.close();
      await checkpoints.stop();
      throw error;
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

    let stopping: Promise<void> | undefined;
    const stop = (reason = 'stop requested') => {
      stopping ??= (async () => {
        logger.info({ reason }, 'shutting down: finishing in-flight requests');
        // Claims no new job from now on; the jobs in flight finish (commit or roll back) before the database closes.
        const jobsStopped = jobRunner.stop();
        const timer = setTimeout(() => {
          logger.error(
            { graceMs: config.shutdownGraceMs },
            'shutdown grace period exceeded; closing connections',
          );
          app.server.closeAllConnections();
        }, config.shutdownGraceMs);
        try {
          await app.close();
        } finally {
          clearTimeout(timer);
          await jobsStopped;
          jobHandlers.close();
          await checkpoints.stop();
          await database.close();
          logger.info('stopped cleanly');
        }
      })();
      return stopping;
    };
    return { app, database, url, stop };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}
