import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting comes from the environment and is validated once at start-up, so a typo in a
 * deployment fails loudly and immediately instead of surfacing as odd behaviour hours later.
 */
const port = z.coerce
  .number({ message: 'must be a whole number between 0 and 65535' })
  .int('must be a whole number between 0 and 65535')
  .min(0, 'must be a whole number between 0 and 65535')
  .max(65535, 'must be a whole number between 0 and 65535');

const databaseUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    message: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/cellway',
  });

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  message: 'must be one of fatal, error, warn, info, debug, trace, silent',
});

const positiveInt = (what: string) =>
  z.coerce
    .number({ message: `must be a positive whole number (${what})` })
    .int(`must be a positive whole number (${what})`)
    .positive(`must be a positive whole number (${what})`);

const envSchema = z.object({
  PORT: port.default(8080),
  HOST: z
    .string()
    .min(1, 'must be a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  DATABASE_URL: databaseUrl.optional(),
  CELLWAY_DATA_DIR: z.string().min(1, 'must be a folder path').default('./.cellway/data'),
  DATABASE_POOL_SIZE: positiveInt('connections per process').max(200).default(10),
  LOG_LEVEL: logLevel.default('info'),
  SHUTDOWN_GRACE_MS: positiveInt('milliseconds').default(10_000),
});

export type Config = {
  port: number;
  host: string;
  /** dataDir undefined: an in-memory embedded database (tests, benches). */
  database: { kind: 'pglite'; dataDir: string | undefined } | { kind: 'postgres'; url: string; poolSize: number };
  logLevel: z.infer<typeof logLevel>;
  shutdownGraceMs: number;
};

/** One line that names the setting and what it accepts; never a stack trace. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    readonly problem: string,
  ) {
    super(`invalid setting ${setting}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset: `PORT= cellway start` should mean the default, not an error. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const setting = String(issue?.path[0] ?? 'environment');
    const given = env[setting];
    throw new ConfigError(
      setting,
      `${issue?.message ?? 'invalid'}${given === undefined ? '' : ` (got "${given}")`}`,
    );
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: path.resolve(cwd, e.CELLWAY_DATA_DIR) },
    logLevel: e.LOG_LEVEL,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
  };
}

/** The settings table for the README and `cellway doctor`, kept beside the schema so they cannot drift. */
export const settingsReference = [
  ['PORT', '8080', 'HTTP port (0 picks a free one)'],
  ['HOST', '127.0.0.1', 'Interface to listen on; 0.0.0.0 to accept outside connections'],
  ['DATABASE_URL', '(unset)', 'PostgreSQL server URL; unset means the embedded PGlite database'],
  ['CELLWAY_DATA_DIR', './.cellway/data', 'Folder of the embedded database (ignored with DATABASE_URL)'],
  ['DATABASE_POOL_SIZE', '10', 'Connections per process in server mode'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['SHUTDOWN_GRACE_MS', '10000', 'How long SIGTERM waits for in-flight requests'],
] as const;
