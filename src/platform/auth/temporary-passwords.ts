import { randomInt } from 'node:crypto';

// No look-alikes (0/O, 1/l/I), so a temporary password read out over the phone arrives intact.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A temporary password an administrator hands over: four groups of five (about 115 random bits),
 * valid until the first sign-in, which must replace it.
 */
export function newTemporaryPassword(): string {
  return Array.from({ length: 4 }, () =>
    Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  ).join('-');
}
