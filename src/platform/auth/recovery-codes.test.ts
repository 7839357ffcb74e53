import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { looksLikeRecoveryCode, newRecoveryCodes, recoveryCodeHash } from './recovery-codes.ts';

describe('recovery codes', () => {
  test('ten distinct codes of four groups of four Crockford Base32 characters', () => {
    const codes = newRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
  });

  test('case, spaces, dashes and look-alike letters do not matter when typed back', () => {
    const [code] = newRecoveryCodes(1) as [string];
    const typed = code.toUpperCase().replace(/-/g, ' ').replace(/0/g, 'O').replace(/1/g, 'l');
    assert.equal(looksLikeRecoveryCode(typed), true);
    assert.equal(recoveryCodeHash(typed), recoveryCodeHash(code));
    assert.match(recoveryCodeHash(code), /^[0-9a-f]{64}$/);
    assert.equal(looksLikeRecoveryCode('123456'), false);
  });
});
