import path from 'node:path';
import { z } from 'zod';
import { facilityProblem } from '../custody/identity/donation-identification-number.ts';

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

const wholeNumber = (what: string) =>
  z.coerce
    .number({ message: `must be a whole number, 0 or more (${what})` })
    .int(`must be a whole number, 0 or more (${what})`)
    .min(0, `must be a whole number, 0 or more (${what})`);

// The URL carries the credentials (smtps://user:password@host:465); it is never logged.
const smtpUrl = z.string().refine((value) => /^smtps?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
  message:
    'must be an SMTP URL such as smtp://mail.example.org:587 or smtps://user:password@mail.example.org:465',
});

const mailFrom = z
  .string()
  .refine((value) => /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(value.trim()), {
    message: 'must be an address such as no-reply@example.org or "Cellway <no-reply@example.org>"',
  });

const testHandlersModule = z
  .string()
  .refine((value) => path.isAbsolute(value) && /\.(ts|mts|js|mjs)$/.test(value), {
    message: 'must be the absolute path of a .ts or .js module (tests only)',
  });

// ICCBBA assigns the facility identification number; it starts every chain of identity issued here.
const isbtFacilityId = z.string().superRefine((value, context) => {
  const problem = facilityProblem(value, { letterFirst: true });
  if (problem) context.addIssue({ code: 'custom', message: `${problem} (an ISBT 128 FIN such as W1234)` });
});

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
  CELLWAY_LEDGER_KEY_FILE: z.string().min(1, 'must be a file path').optional(),
  LEDGER_CHECKPOINT_SECONDS: positiveInt('seconds').max(86_400).default(10),
  SESSION_IDLE_MINUTES: positiveInt('minutes').max(1440, 'must be at most 1440 minutes (a day)').default(15),
  SESSION_ABSOLUTE_HOURS: positiveInt('hours').max(720, 'must be at most 720 hours (30 days)').default(12),
  COOKIE_SECURE: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  DEMO_SIGN_IN: z.enum(['auto', 'on', 'off'], { message: 'must be auto, on or off' }).default('auto'),
  SIGNATURE_SECOND_FACTOR: z
    .enum(['required', 'off'], { message: 'must be required or off' })
    .default('required'),
  SMTP_URL: smtpUrl.optional(),
  MAIL_FROM: mailFrom.default('Cellway <no-reply@cellway.local>'),
  JOBS_CONCURRENCY: wholeNumber('jobs run at once by this process; 0 runs none').max(100).default(4),
  JOBS_POLL_MS: positiveInt('milliseconds').min(10, 'must be at least 10 (milliseconds)').default(500),
  JOBS_LEASE_MS: positiveInt('milliseconds')
    .min(1_000, 'must be at least 1000 (milliseconds)')
    .default(60_000),
  CELLWAY_TEST_JOB_HANDLERS: testHandlersModule.optional(),
  ISBT_FACILITY_ID: isbtFacilityId.default('W9999'),
  SCHEDULING_HOLD_MINUTES: positiveInt('minutes').max(1440, 'must be at most 1440 (a day)').default(15),
});

/** Loopback only: where a plain-http browser session, and a published demo password, are harmless. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

export type AuthSettings = {
  /** A session unused for this long ends (sliding: every use restarts the clock). */
  sessionIdleMinutes: number;
  /** A session ends this long after sign-in, however busy. */
  sessionAbsoluteHours: number;
  /** The session cookie's Secure flag: browsers then send it over https only. */
  cookieSecure: boolean;
  /** Whether demo accounts (published credentials, created by the demo seed) may sign in. */
  demoSignIn: boolean;
  /** Electronic signatures ask a signer who enrolled an authenticator for a one-time code too (required) or not (off). */
  signatureSecondFactor?: 'required' | 'off';
};

export function authSettingsFrom(e: {
  HOST: string;
  SESSION_IDLE_MINUTES: number;
  SESSION_ABSOLUTE_HOURS: number;
  COOKIE_SECURE?: 'true' | 'false' | undefined;
  DEMO_SIGN_IN: 'auto' | 'on' | 'off';
  SIGNATURE_SECOND_FACTOR?: 'required' | 'off';
}): AuthSettings {
  return {
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : !isLoopbackHost(e.HOST),
    demoSignIn: e.DEMO_SIGN_IN === 'auto' ? isLoopbackHost(e.HOST) : e.DEMO_SIGN_IN === 'on',
    signatureSecondFactor: e.SIGNATURE_SECOND_FACTOR ?? 'required',
  };
}

export type Config = {
  port: number;
  host: string;
  /** dataDir undefined: an in-memory embedded database (tests, benches). */
  database:
    | { kind: 'pglite'; dataDir: string | undefined }
    | { kind: 'postgres'; url: string; poolSize: number };
  logLevel: z.infer<typeof logLevel>;
  shutdownGraceMs: number;
  /** Where the installation's ledger signing key lives; undefined: beside the data (see installation-key.ts). */
  ledgerKeyFile: string | undefined;
  ledgerCheckpointSeconds: number;
  auth: AuthSettings;
  mail: MailSettings;
  jobs: JobSettings;
  /** ISBT 128 facility identification number that prefixes chain-of-identity identifiers. */
  isbtFacilityId: string;
  /** How long a tentative hold on a slot chain keeps its capacity unless the request asks otherwise. */
  schedulingHoldMinutes: number;
};

export type MailSettings = {
  /** Unset: email stays held in the outbox, readable in the app. */
  smtpUrl: string | undefined;
  from: string;
};

export type JobSettings = {
  /** 0: this process runs no jobs (for example a process that only serves the API). */
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  /** Tests only: a module whose `testJobHandlers` are added to the runner (kinds must start with "test."). */
  testHandlersModule: string | undefined;
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

const SECRET_BEARING = new Set(['SMTP_URL']);

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
    // A URL with credentials in it is not repeated back: the error line may end up in a log.
    const given = SECRET_BEARING.has(setting) ? undefined : env[setting];
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
    ledgerKeyFile: e.CELLWAY_LEDGER_KEY_FILE ? path.resolve(cwd, e.CELLWAY_LEDGER_KEY_FILE) : undefined,
    ledgerCheckpointSeconds: e.LEDGER_CHECKPOINT_SECONDS,
    auth: authSettingsFrom(e),
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM.trim() },
    jobs: {
      concurrency: e.JOBS_CONCURRENCY,
      pollMs: e.JOBS_POLL_MS,
      leaseMs: e.JOBS_LEASE_MS,
      testHandlersModule: e.CELLWAY_TEST_JOB_HANDLERS,
    },
    isbtFacilityId: e.ISBT_FACILITY_ID,
    schedulingHoldMinutes: e.SCHEDULING_HOLD_MINUTES,
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
  [
    'CELLWAY_LEDGER_KEY_FILE',
    '(beside the data)',
    'Ed25519 key that signs ledger checkpoints; created on first start',
  ],
  ['LEDGER_CHECKPOINT_SECONDS', '10', 'How often new ledger entries are sealed under a signed checkpoint'],
  ['SESSION_IDLE_MINUTES', '15', 'A signed-in session unused for this long ends'],
  ['SESSION_ABSOLUTE_HOURS', '12', 'A session ends this long after sign-in, however busy'],
  ['COOKIE_SECURE', 'true unless HOST is loopback', 'Send the session cookie over https only: true or false'],
  ['DEMO_SIGN_IN', 'auto', 'Demo accounts may sign in: auto (only when HOST is loopback), on or off'],
  [
    'SIGNATURE_SECOND_FACTOR',
    'required',
    'Electronic signatures also ask for a one-time code from signers who enrolled an authenticator: required or off',
  ],
  ['SMTP_URL', '(unset)', 'smtp:// or smtps:// URL of the mail relay; unset keeps email held in the outbox'],
  ['MAIL_FROM', 'Cellway <no-reply@cellway.local>', 'Sender of the emails Cellway sends'],
  ['JOBS_CONCURRENCY', '4', 'Background jobs run at once by this process; 0 runs none'],
  ['JOBS_POLL_MS', '500', 'How often this process looks for due jobs and timers'],
  ['JOBS_LEASE_MS', '60000', "How long a stopped process's job waits before another process takes it over"],
  [
    'CELLWAY_TEST_JOB_HANDLERS',
    '(unset)',
    'Tests only: absolute path of a module adding job kinds named test.*',
  ],
  [
    'ISBT_FACILITY_ID',
    'W9999 (demo)',
    'ICCBBA-assigned facility identification number (letter A–N/P–Z + 4 digits) that starts every chain of identity',
  ],
  [
    'SCHEDULING_HOLD_MINUTES',
    '15',
    'How long a tentative hold on a slot chain keeps its capacity before a timer releases it (1–1440)',
  ],
] as const;
