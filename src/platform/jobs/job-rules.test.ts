import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkJobInput,
  describeFailure,
  isExhaustedOnClaim,
  JobInputError,
  type JobInputFacts,
  MAX_ERROR_LENGTH,
  outcomeOfFailure,
  RETRY_DELAY_CAP_MS,
  retryDelayMs,
} from './job-rules.ts';

describe('job retry rules', () => {
  test('the delay after the n-th failure lies between half of and all of 2^n seconds', () => {
    for (let attempts = 0; attempts <= 11; attempts++) {
      const nominal = 2 ** attempts * 1_000;
      assert.equal(retryDelayMs(attempts, 0), nominal / 2);
      assert.equal(retryDelayMs(attempts, 1), nominal);
      const middle = retryDelayMs(attempts, 0.5);
      assert.ok(middle > nominal / 2 && middle < nominal, `${attempts}: ${middle}`);
    }
  });

  test('the delay grows with each failure and never exceeds one hour', () => {
    let previous = 0;
    for (let attempts = 1; attempts <= 12; attempts++) {
      const delay = retryDelayMs(attempts, 1);
      assert.ok(delay >= previous);
      previous = delay;
    }
    for (const attempts of [12, 20, 100, 10_000]) {
      assert.equal(retryDelayMs(attempts, 1), RETRY_DELAY_CAP_MS);
      assert.ok(retryDelayMs(attempts, 0) >= RETRY_DELAY_CAP_MS / 2);
    }
  });

  test('jitter spreads retries: different draws give different delays', () => {
    const delays = new Set([0.1, 0.3, 0.6, 0.9].map((r) => retryDelayMs(5, r)));
    assert.equal(delays.size, 4);
  });

  test('a failed attempt is retried while attempts remain, then dead-lettered', () => {
    const delayFor = (n: number) => n * 100;
    assert.deepEqual(outcomeOfFailure({ attempts: 1, maxAttempts: 3 }, delayFor), {
      status: 'queued',
      delayMs: 100,
    });
    assert.deepEqual(outcomeOfFailure({ attempts: 2, maxAttempts: 3 }, delayFor), {
      status: 'queued',
      delayMs: 200,
    });
    assert.deepEqual(outcomeOfFailure({ attempts: 3, maxAttempts: 3 }, delayFor), { status: 'dead' });
    assert.deepEqual(outcomeOfFailure({ attempts: 1, maxAttempts: 1 }, delayFor), { status: 'dead' });
  });

  test('a job claimed beyond its budget (every attempt killed its process) is exhausted', () => {
    assert.equal(isExhaustedOnClaim({ attempts: 8, maxAttempts: 8 }), false);
    assert.equal(isExhaustedOnClaim({ attempts: 9, maxAttempts: 8 }), true);
  });
});

describe('job failure descriptions', () => {
  test('one line with the error type and message, no stack', () => {
    const error = new TypeError('cannot read "x"\n  of undefined');
    assert.equal(describeFailure(error), 'TypeError: cannot read "x" of undefined');
    assert.equal(describeFailure(new Error('relay refused')), 'relay refused');
    assert.equal(describeFailure('boom'), 'failed with a non-error value: boom');
    assert.equal(describeFailure(new Error('')), 'failed without a message');
  });

  test('a very long message is cut to the column size', () => {
    const text = describeFailure(new Error('x'.repeat(10_000)));
    assert.equal(text.length, MAX_ERROR_LENGTH);
    assert.ok(text.endsWith('…'));
  });
});

describe('job input', () => {
  const valid: JobInputFacts = {
    kind: 'case.escalate-step',
    payloadBytes: 20,
    runAt: undefined,
    dedupeKey: undefined,
    maxAttempts: undefined,
  };

  test('a well-formed job passes', () => {
    checkJobInput(valid);
    checkJobInput({ ...valid, runAt: new Date(), dedupeKey: 'case:1:escalate:2', maxAttempts: 1 });
  });

  const bad: Array<[string, Partial<JobInputFacts>, string]> = [
    ['an empty kind', { kind: '' }, 'kind'],
    ['a kind with spaces', { kind: 'send email' }, 'kind'],
    ['an upper-case kind', { kind: 'SendEmail' }, 'kind'],
    ['a payload over 64 KiB', { payloadBytes: 70_000 }, 'payload'],
    ['an invalid date', { runAt: new Date('not a date') }, 'runAt'],
    ['an empty dedupe key', { dedupeKey: '' }, 'dedupeKey'],
    ['zero attempts', { maxAttempts: 0 }, 'maxAttempts'],
    ['fractional attempts', { maxAttempts: 2.5 }, 'maxAttempts'],
    ['too many attempts', { maxAttempts: 1000 }, 'maxAttempts'],
  ];
  for (const [what, change, field] of bad)
    test(`${what} is refused, naming ${field}`, () => {
      assert.throws(
        () => checkJobInput({ ...valid, ...change }),
        (error: unknown) => error instanceof JobInputError && error.field === field,
      );
    });
});
