import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { recordHashOf, signatureStillValid } from '../../src/signatures/sign-record.ts';
import {
  isTimeZone,
  localSigningTime,
  manifestationOf,
  utcSigningTime,
} from '../../src/signatures/signature-manifestation.ts';
import {
  afterFailedSigning,
  SIGNING_LOCKOUT_POLICY,
  signingLocked,
  UNLOCKED,
} from '../../src/signatures/signing-lockout-rules.ts';

const at = (iso: string) => new Date(iso);
const minutes = (n: number) => n * 60_000;

describe('signing lockout', () => {
  test('the third failure within the window locks signing for the lock period', () => {
    const t0 = at('2026-11-22T10:00:00Z');
    const one = afterFailedSigning(UNLOCKED, t0);
    const two = afterFailedSigning(one, new Date(t0.getTime() + minutes(5)));
    assert.equal(two.lockedNow, false);
    assert.equal(two.failedCount, 2);
    const three = afterFailedSigning(two, new Date(t0.getTime() + minutes(10)));
    assert.equal(three.lockedNow, true);
    assert.equal(
      three.lockedUntil?.toISOString(),
      new Date(t0.getTime() + minutes(10 + SIGNING_LOCKOUT_POLICY.lockMinutes)).toISOString(),
    );
    assert.ok(signingLocked(three, new Date(t0.getTime() + minutes(11))));
    assert.ok(
      !signingLocked(three, new Date(t0.getTime() + minutes(10 + SIGNING_LOCKOUT_POLICY.lockMinutes))),
    );
  });

  test('failures spread wider than the window never lock', () => {
    let state = { ...UNLOCKED };
    let now = at('2026-11-22T10:00:00Z').getTime();
    for (let i = 0; i < 10; i++) {
      const next = afterFailedSigning(state, new Date(now));
      assert.equal(next.lockedNow, false, `failure ${i + 1}`);
      state = next;
      // two failures fit in one window, the third falls outside it and starts a new one
      now += minutes(SIGNING_LOCKOUT_POLICY.windowMinutes / 2 + 1);
    }
  });

  test('failures while locked are not counted and do not extend the lock', () => {
    const t0 = at('2026-11-22T10:00:00Z');
    let state = afterFailedSigning(afterFailedSigning(afterFailedSigning(UNLOCKED, t0), t0), t0);
    const until = state.lockedUntil?.getTime();
    state = afterFailedSigning(state, new Date(t0.getTime() + minutes(1)));
    assert.equal(state.counted, false);
    assert.equal(state.lockedUntil?.getTime(), until);
  });

  test('after a lock runs out, counting starts afresh', () => {
    const t0 = at('2026-11-22T10:00:00Z');
    const locked = afterFailedSigning(afterFailedSigning(afterFailedSigning(UNLOCKED, t0), t0), t0);
    const later = new Date(t0.getTime() + minutes(SIGNING_LOCKOUT_POLICY.lockMinutes + 1));
    const first = afterFailedSigning(locked, later);
    assert.equal(first.failedCount, 1);
    assert.equal(first.lockedNow, false);
  });
});

describe('manifestation', () => {
  test('printed name, UTC and site-local date and time, meaning', () => {
    const signedAt = at('2026-11-22T18:04:09.120Z');
    const local = localSigningTime(signedAt, 'Europe/Berlin');
    assert.equal(local, '2026-11-22 19:04 CET (Europe/Berlin)');
    assert.equal(utcSigningTime(signedAt), '2026-11-22 18:04:09 UTC');
    assert.equal(
      manifestationOf({
        signerName: 'Pieter de Vries',
        signedAt,
        signedAtLocal: local,
        meaning: 'Released by QA',
      }),
      'Pieter de Vries — 2026-11-22 18:04:09 UTC / 2026-11-22 19:04 CET (Europe/Berlin) — Released by QA',
    );
  });

  test('summer time and zones across the date line', () => {
    assert.equal(
      localSigningTime(at('2026-07-01T12:00:00Z'), 'Europe/Amsterdam'),
      '2026-07-01 14:00 CEST (Europe/Amsterdam)',
    );
    assert.equal(
      localSigningTime(at('2026-03-02T09:00:00Z'), 'America/New_York'),
      '2026-03-02 04:00 EST (America/New_York)',
    );
    assert.match(
      localSigningTime(at('2026-03-02T23:30:00Z'), 'Asia/Tokyo'),
      /^2026-03-03 08:30 \S+ \(Asia\/Tokyo\)$/,
    );
  });

  test('only IANA zones are accepted', () => {
    assert.ok(isTimeZone('Europe/Berlin'));
    assert.ok(!isTimeZone('Mars/Olympus_Mons'));
  });
});

describe('record hash', () => {
  test('the same record in any key order has the same hash; a signature counts only for it', () => {
    const a = recordHashOf({ bag: 'W9999 26 000123 K', seal: true, readings: [4.1, 5.2] });
    const b = recordHashOf({ readings: [4.1, 5.2], seal: true, bag: 'W9999 26 000123 K' });
    assert.equal(a, b);
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.ok(signatureStillValid({ recordHash: a }, b));
  });

  test('any edit to a signed record invalidates the signature', () => {
    const record = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.oneof(fc.integer(), fc.string(), fc.boolean()),
      { minKeys: 1 },
    );
    fc.assert(
      fc.property(record, fc.string({ minLength: 1, maxLength: 8 }), (original, key) => {
        const signed = recordHashOf(original);
        const edited = { ...original, [key]: original[key] === 'edited' ? 'edited again' : 'edited' };
        assert.equal(signatureStillValid({ recordHash: signed }, recordHashOf(edited)), false);
      }),
    );
  });
});
