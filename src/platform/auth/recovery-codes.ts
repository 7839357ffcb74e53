import { randomInt } from 'node:crypto';
import { sha256Hex } from './secret-tokens.ts';

/**
 * One-time recovery codes for a lost authenticator: ten per enrolment, each 16 characters of
 * Crockford Base32 (80 random bits), shown once and stored as SHA-256 (80
 * bits cannot be brute-forced from the hash, so a slow hash would only slow down sign-in).
 */
export const RECOVERY_CODE_COUNT = 10;
// Crockford's Base32: no i, l, o or u, and the look-alikes are read as the digit they resemble.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUPS = 4;
const GROUP_LENGTH = 4;

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () =>
    Array.from({ length: GROUPS }, () =>
      Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    ).join('-'),
  );
}

/** Case, spaces, dashes and look-alikes (o for 0, i or l for 1) do not matter when a person types a code back. */
export function normaliseRecoveryCode(code: string): string {
  return code
    .toLowerCase()
    .replace(/[\s-]+/g, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return normaliseRecoveryCode(code).length === GROUPS * GROUP_LENGTH;
}

export function recoveryCodeHash(code: string): string {
  return sha256Hex(normaliseRecoveryCode(code));
}
