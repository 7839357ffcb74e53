import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';
import { MAX_PASSWORD_LENGTH } from './password-policy.ts';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's baseline: 19 MiB of memory, 2 passes, one
 * lane (about 15 ms to verify on a server core). Exported so benchmarks (signature re-authentication
 * compared with a bare verify) measure exactly what sign-in does.
 */
export const PASSWORD_HASH_OPTIONS = {
  algorithm: 2 as Algorithm, // Argon2id (a const enum, so spelled as its value)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  // Longer inputs are refused before hashing, so nobody can make the server hash megabytes.
  if (password.length > MAX_PASSWORD_LENGTH * 4) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password nobody knows, with the same parameters: an unknown email or a
 * disabled account costs the same verification as a real one, so response times do not tell which
 * addresses have accounts.
 */
export const DECOY_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$cz06ikrx+ySJzxKDIJ/XOA$F/376IOSe2qdJm/x90z9bC9OAduMe5JyKzGHJAVFMMc';

export async function spendDecoyVerification(password: string): Promise<void> {
  await verifyPassword(DECOY_PASSWORD_HASH, password);
}

/** True when a stored hash was made with weaker (or just other) parameters than today's. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const options = parseOptions(passwordHash);
    return (
      options.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
      options.memoryCost !== PASSWORD_HASH_OPTIONS.memoryCost ||
      options.timeCost !== PASSWORD_HASH_OPTIONS.timeCost ||
      options.parallelism !== PASSWORD_HASH_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}
