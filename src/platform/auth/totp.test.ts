import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  checkTotp,
  newTotpSecret,
  TOTP_PERIOD_SECONDS,
  totpCodeForStep,
  totpStepAt,
  totpUri,
} from './totp.ts';

// RFC 6238 Appendix B, SHA-1 seed "12345678901234567890" (Base32 below), last six of the eight digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const at = (seconds: number) => new Date(seconds * 1000);

describe('TOTP (RFC 6238)', () => {
  test('matches the RFC 6238 test vectors', () => {
    for (const [seconds, code] of [
      [59, '287082'],
      [1111111109, '081804'],
      [1234567890, '005924'],
      [2000000000, '279037'],
    ] as const)
      assert.equal(totpCodeForStep(RFC_SECRET, totpStepAt(at(seconds))), code, `T=${seconds}`);
  });

  test('accepts the current step and one either side, nothing further', () => {
    const now = at(1_800_000_015);
    const step = totpStepAt(now);
    for (const offset of [-1, 0, 1]) {
      const result = checkTotp({
        secret: RFC_SECRET,
        code: totpCodeForStep(RFC_SECRET, step + offset),
        now,
        lastUsedStep: null,
      });
      assert.deepEqual(result, { ok: true, step: step + offset }, `offset ${offset}`);
    }
    for (const offset of [-3, -2, 2, 3]) {
      const result = checkTotp({
        secret: RFC_SECRET,
        code: totpCodeForStep(RFC_SECRET, step + offset),
        now,
        lastUsedStep: null,
      });
      assert.deepEqual(result, { ok: false, reason: 'wrong' }, `offset ${offset}`);
    }
  });

  test('a code is never accepted twice, nor an older one after a newer one', () => {
    const now = at(1_800_000_015);
    const step = totpStepAt(now);
    const code = totpCodeForStep(RFC_SECRET, step);
    assert.deepEqual(checkTotp({ secret: RFC_SECRET, code, now, lastUsedStep: step }), {
      ok: false,
      reason: 'reused',
    });
    const older = totpCodeForStep(RFC_SECRET, step - 1);
    assert.deepEqual(checkTotp({ secret: RFC_SECRET, code: older, now, lastUsedStep: step }), {
      ok: false,
      reason: 'reused',
    });
    const newer = totpCodeForStep(RFC_SECRET, step + 1);
    assert.deepEqual(checkTotp({ secret: RFC_SECRET, code: newer, now, lastUsedStep: step }), {
      ok: true,
      step: step + 1,
    });
  });

  test('anything but six digits is malformed (spaces a person types are fine)', () => {
    const now = at(1_800_000_015);
    const code = totpCodeForStep(RFC_SECRET, totpStepAt(now));
    assert.equal(
      checkTotp({ secret: RFC_SECRET, code: `${code.slice(0, 3)} ${code.slice(3)}`, now, lastUsedStep: null })
        .ok,
      true,
    );
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345a'])
      assert.deepEqual(checkTotp({ secret: RFC_SECRET, code: bad, now, lastUsedStep: null }), {
        ok: false,
        reason: 'malformed',
      });
  });

  test('property: within ±30 s a fresh code is accepted once and then refused', () => {
    const secret = newTotpSecret();
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
        fc.integer({ min: -30, max: 30 }),
        (t, skew) => {
          const code = totpCodeForStep(secret, totpStepAt(at(t)));
          const first = checkTotp({ secret, code, now: at(t + skew), lastUsedStep: null });
          if (!first.ok) return false;
          return !checkTotp({ secret, code, now: at(t + skew), lastUsedStep: first.step }).ok;
        },
      ),
      { numRuns: 200 },
    );
  });

  test('property: a code from more than two steps away is refused', () => {
    const secret = newTotpSecret();
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
        fc.integer({ min: 2, max: 1000 }),
        (t, away) => {
          const now = at(t);
          const code = totpCodeForStep(secret, totpStepAt(now) + away);
          const result = checkTotp({ secret, code, now, lastUsedStep: null });
          // A different step can collide on 6 digits (1 in a million); then it matched a step within the window.
          return !result.ok || Math.abs(result.step - totpStepAt(now)) <= 1;
        },
      ),
      { numRuns: 200 },
    );
  });

  test('secrets are 160-bit Base32; the otpauth URI names the issuer and the account', () => {
    const secret = newTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const uri = totpUri(secret, 'nurse@st-elisabeth.example');
    assert.match(uri, /^otpauth:\/\/totp\/Cellway:nurse%40st-elisabeth\.example\?/);
    assert.match(uri, new RegExp(`secret=${secret}`));
    assert.match(uri, /issuer=Cellway/);
    assert.equal(TOTP_PERIOD_SECONDS, 30);
  });
});
