import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Bearer secrets (session cookies, sign-in challenges, access tokens, client secrets): 256 random
 * bits, base64url. The database keeps only their SHA-256: with 256 bits of entropy there is no
 * dictionary to try, so a fast hash is as safe as a slow one and keeps every request cheap, while a
 * stolen table still holds nothing that can be presented.
 */
export function newSecretToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
