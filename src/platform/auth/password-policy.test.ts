import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { commonPasswords } from './common-passwords.ts';
import { DEMO_PASSWORD } from './demo-users.ts';
import { DECOY_PASSWORD_HASH, needsRehash, PASSWORD_HASH_OPTIONS } from './password-hashing.ts';
import { canonicalPasswordForm, MIN_PASSWORD_LENGTH, passwordPolicyProblems } from './password-policy.ts';

const list = commonPasswords();
const check = (password: string, email = 'nurse@st-elisabeth.example', displayName = 'Lukas Becker') =>
  passwordPolicyProblems(password, { email, displayName, commonPasswords: list });

describe('password policy', () => {
  test('ships a list of common passwords (hundreds to thousands)', () => {
    assert.ok(list.size >= 500 && list.size <= 10_000, `${list.size} entries`);
    for (const common of ['password', 'qwertyuiop', 'iloveyou', '1q2w3e4r5t6y'])
      assert.ok(list.has(canonicalPasswordForm(common)), common);
  });

  test('accepts a long, uncommon passphrase, and the documented demo password', () => {
    assert.deepEqual(check('correct staple orbit lantern'), []);
    assert.deepEqual(check('Vein-to-vein in 21 days'), []);
    assert.deepEqual(check(DEMO_PASSWORD, 'coordinator@aurora.example', 'Priya Raman'), []);
  });

  test(`refuses fewer than ${MIN_PASSWORD_LENGTH} characters`, () => {
    assert.match(check('Short-pw-7x').join(), /at least 12 characters/);
  });

  test('refuses common passwords, also with digits or symbols added and letters swapped for look-alikes', () => {
    for (const password of [
      'qwertyuiop123',
      'passwordpassword',
      'Password2026!',
      'P@ssw0rd12345',
      '!!!Sunshine2024',
      'iloveyou1234567',
      '1q2w3e4r5t6y',
      '123456789012',
    ])
      assert.match(check(password).join(), /commonly used/, password);
  });

  test('refuses the email local part or the name inside the password', () => {
    assert.match(check('my-nurse@st-elisabeth-pass', 'nurse@st-elisabeth.example').join(), /name or email/);
    assert.match(check('Becker-rules-the-ward', 'l.b@example.org', 'Lukas Becker').join(), /name or email/);
    assert.match(check('xx-COORDINATOR-2026', 'coordinator@aurora.example', 'P R').join(), /name or email/);
  });

  test('refuses passwords of too few different characters', () => {
    assert.match(check('aaaaaaaaaaaaaaaa').join(), /different characters/);
  });

  test('property: anything shorter than the minimum is refused for its length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: MIN_PASSWORD_LENGTH - 1 }), (password) =>
        check(password).some((p) => p.includes('at least 12 characters')),
      ),
    );
  });

  test('property: a common password with any digits or symbols around it is refused', () => {
    const words = [...list].filter((w) => /^[a-z]{4,}$/.test(w));
    fc.assert(
      fc.property(
        fc.constantFrom(...words),
        fc.string({ unit: fc.constantFrom(...'0123456789!?#$%&*-_.'), maxLength: 8 }),
        fc.string({ unit: fc.constantFrom(...'0123456789!?#$%&*-_.'), minLength: 8, maxLength: 12 }),
        (word, before, after) => check(`${before}${word}${after}`).some((p) => p.includes('commonly used')),
      ),
    );
  });

  test('property: 16 random letters and digits always pass', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ'),
          minLength: 8,
          maxLength: 8,
        }),
        fc.string({
          unit: fc.constantFrom(...'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789'),
          minLength: 8,
          maxLength: 8,
        }),
        (left, right) => {
          const password = `${left}-${right}`;
          if (new Set(password).size < 5) return true;
          const problems = passwordPolicyProblems(password, { commonPasswords: list });
          return problems.length === 0 || list.has(password.toLowerCase());
        },
      ),
    );
  });
});

describe('password hashing parameters', () => {
  test('argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane)', () => {
    assert.deepEqual(
      {
        m: PASSWORD_HASH_OPTIONS.memoryCost,
        t: PASSWORD_HASH_OPTIONS.timeCost,
        p: PASSWORD_HASH_OPTIONS.parallelism,
      },
      { m: 19_456, t: 2, p: 1 },
    );
  });

  test('the decoy hash for unknown accounts costs what a real verification costs', () => {
    assert.match(DECOY_PASSWORD_HASH, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(needsRehash(DECOY_PASSWORD_HASH), false);
    assert.equal(needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA'), true);
  });
});
