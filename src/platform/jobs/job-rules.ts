/**
 * The decisions of the job queue as pure functions: what happens to a job after a failed attempt,
 * and what a valid job looks like. No database, no clock: time and chance are arguments.
 */

export const DEFAULT_MAX_ATTEMPTS = 8;
export const MAX_ATTEMPTS_LIMIT = 100;
export const RETRY_DELAY_CAP_MS = 3_600_000;
/** Payloads carry identifiers, not documents: the job reads the record it works on. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const MAX_ERROR_LENGTH = 2_000;

/**
 * Exponential backoff with jitter: about 2^attempts seconds, capped at one hour. The delay is drawn
 * from the upper half of that window, so processes retrying together spread out without any retry
 * coming sooner than half its nominal time.
 */
export function retryDelayMs(attempts: number, random: number): number {
  const nominal = Math.min(2 ** Math.max(attempts, 0) * 1_000, RETRY_DELAY_CAP_MS);
  const unit = Math.min(Math.max(random, 0), 1);
  return Math.round(nominal / 2 + (nominal / 2) * unit);
}

export type FailureOutcome = { status: 'queued'; delayMs: number } | { status: 'dead' };

/** After a failed attempt: try again later, or give up (dead-letter) once the attempts are used up. */
export function outcomeOfFailure(
  job: { attempts: number; maxAttempts: number },
  delayFor: (attempts: number) => number,
): FailureOutcome {
  if (job.attempts >= job.maxAttempts) return { status: 'dead' };
  return { status: 'queued', delayMs: delayFor(job.attempts) };
}

/**
 * A claim increments `attempts` before the handler runs. A job claimed beyond its budget was started
 * that many times without any attempt finishing (the process died or lost its lease each time): a
 * job that kills its process must not be retried for ever.
 */
export function isExhaustedOnClaim(job: { attempts: number; maxAttempts: number }): boolean {
  return job.attempts > job.maxAttempts;
}

/** One readable line for `last_error`: what went wrong, never a stack trace, bounded in length. */
export function describeFailure(error: unknown): string {
  let text: string;
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    text = `${name}${error.message || 'failed without a message'}`;
  } else text = `failed with a non-error value: ${String(error)}`;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}

export class JobInputError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`job ${field} ${problem}`);
    this.name = 'JobInputError';
  }
}

export type JobInputFacts = {
  kind: string;
  payloadBytes: number;
  runAt: Date | undefined;
  dedupeKey: string | undefined;
  maxAttempts: number | undefined;
};

/** Refuses a malformed job before anything is written, naming the field and the reason. */
export function checkJobInput(input: JobInputFacts): void {
  if (!/^[a-z0-9][a-z0-9._-]{0,199}$/.test(input.kind))
    throw new JobInputError('kind', 'must be 1 to 200 lower-case letters, digits, ".", "_" or "-"');
  if (input.payloadBytes > MAX_PAYLOAD_BYTES)
    throw new JobInputError('payload', `must be at most ${MAX_PAYLOAD_BYTES} bytes of JSON; pass record ids`);
  if (input.runAt !== undefined && Number.isNaN(input.runAt.getTime()))
    throw new JobInputError('runAt', 'must be a valid date');
  if (input.dedupeKey !== undefined && (input.dedupeKey.length < 1 || input.dedupeKey.length > 300))
    throw new JobInputError('dedupeKey', 'must be 1 to 300 characters');
  if (
    input.maxAttempts !== undefined &&
    !(
      Number.isInteger(input.maxAttempts) &&
      input.maxAttempts >= 1 &&
      input.maxAttempts <= MAX_ATTEMPTS_LIMIT
    )
  )
    throw new JobInputError('maxAttempts', `must be a whole number from 1 to ${MAX_ATTEMPTS_LIMIT}`);
}
