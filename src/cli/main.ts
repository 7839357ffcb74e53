import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from '../platform/config.ts';
import { DatabaseUnreachableError, openDatabase } from '../platform/db/database.ts';
import { DataDirInUseError } from '../platform/db/embedded-lock.ts';
import { MigrationError, migrate } from '../platform/db/migrations.ts';
import { PortInUseError, startCellway } from '../platform/lifecycle.ts';
import { createLogger } from '../platform/logger.ts';
import { seedDemo } from '../platform/seed/demo-seed.ts';
import { formatReport, runDoctor } from './doctor.ts';
import { runLedgerCommand } from './ledger-commands.ts';
import { progressBar } from './progress-bar.ts';
import { ensureWebBuild } from './web-build.ts';

const USAGE = `Usage: cellway <command> [options]

Commands:
  start [--demo] [--no-web-build]   migrate, (seed the demo network,) and serve the API and web app
  migrate                           apply pending database migrations and exit
  seed --demo                       load the demo network (safe to repeat)
  doctor                            check Node, database, data folder and port
  ledger verify [--file F]          verify the ledger (database, or an export file offline)
                [--public-key F]    …against the installation public key you trust
  ledger export [--out F]           write a self-contained, verifiable export of the ledger
  ledger checkpoint                 sign a checkpoint over the entries written since the last

Settings come from the environment (PORT, HOST, DATABASE_URL, CELLWAY_DATA_DIR, LOG_LEVEL…); see README.`;

/** Errors a user can fix: one line naming what is wrong, no stack trace. */
const EXPECTED_ERRORS = [
  ConfigError,
  DatabaseUnreachableError,
  DataDirInUseError,
  MigrationError,
  PortInUseError,
];

const say = (line: string) => process.stderr.write(`${line}\n`);

async function start(config: Config, demo: boolean, buildWeb: boolean): Promise<number> {
  const logger = createLogger(config.logLevel);
  if (buildWeb) await ensureWebBuild(say);
  const bar = progressBar(process.stderr, 'Demo data ');
  const running = await startCellway({
    config,
    logger,
    demo,
    onSeedProgress: (done, total, label) => bar.update(done, total, label),
  });
  if (demo) bar.finish('Demo data ready.');
  const where =
    config.database.kind === 'pglite'
      ? `embedded database in ${config.database.dataDir}`
      : 'PostgreSQL server';
  say(`Cellway is running at ${running.url} (${where}). Press Ctrl+C to stop.`);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      running.stop(signal).then(resolve, (error) => {
        logger.error({ err: error }, 'shutdown failed');
        resolve();
      });
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  return 0;
}

async function migrateOnly(config: Config): Promise<number> {
  const database = await openDatabase(config.database);
  try {
    const report = await migrate(database, { onApply: (m) => say(`applying ${m.version} ${m.name}`) });
    say(`${report.applied.length} migration(s) applied; ${report.total} in total.`);
    return 0;
  } finally {
    await database.close();
  }
}

async function seed(config: Config, demo: boolean): Promise<number> {
  if (!demo) {
    say('cellway seed: only the demo data set exists; run `cellway seed --demo`');
    return 2;
  }
  const database = await openDatabase(config.database);
  try {
    await migrate(database);
    const bar = progressBar(process.stderr, 'Demo data ');
    await seedDemo(database, (done, total, label) => bar.update(done, total, label));
    bar.finish('Demo data ready.');
    return 0;
  } finally {
    await database.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        demo: { type: 'boolean', default: false },
        'no-web-build': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        file: { type: 'string' },
        out: { type: 'string' },
        'public-key': { type: 'string' },
      },
    });
  } catch (error) {
    say(`cellway: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) {
    say(USAGE);
    return command || parsed.values.help ? 0 : 2;
  }
  if (rest.length > (command === 'ledger' ? 1 : 0)) {
    say(`cellway: unexpected argument "${rest[0]}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const config = loadConfig();
    const demo = Boolean(parsed.values.demo);
    switch (command) {
      case 'start':
        return await start(config, demo, !parsed.values['no-web-build']);
      case 'migrate':
        return await migrateOnly(config);
      case 'seed':
        return await seed(config, demo);
      case 'ledger':
        return await runLedgerCommand(config, rest[0], {
          ...(typeof parsed.values.file === 'string' ? { file: parsed.values.file } : {}),
          ...(typeof parsed.values.out === 'string' ? { out: parsed.values.out } : {}),
          ...(typeof parsed.values['public-key'] === 'string'
            ? { publicKey: parsed.values['public-key'] }
            : {}),
        });
      case 'doctor': {
        const checks = await runDoctor(config);
        say(formatReport(checks));
        return checks.some((c) => c.status === 'fail') ? 1 : 0;
      }
      default:
        say(`cellway: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (EXPECTED_ERRORS.some((kind) => error instanceof kind)) {
      say(`cellway: ${(error as Error).message}`);
      return 1;
    }
    say(`cellway: unexpected error: ${(error as Error).message}`);
    if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace')
      say(String((error as Error).stack));
    else say('cellway: set LOG_LEVEL=debug for the stack trace');
    return 1;
  }
}
