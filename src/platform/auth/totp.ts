import { generateSecret, generateSync, generateURI } from 'otplib';
import { constantTimeEqual } from './secret-tokens.ts';

/**
 * TOTP (RFC 6238) as pure functions: 6 digits, SHA-1, 30-second steps, which is what every
 * authenticator app speaks. A code is accepted for its own step and one step either side (clock
 * drift), and only for a step later than the last one accepted for that user, so a code cannot be
 * used twice, nor an older code after a newer one.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_WINDOW_STEPS = 1;
export const TOTP_ISSUER = 'Cellway';

export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

export function totpCodeForStep(secret: string, step: number): string {
  return generateSync({ secret, epoch: step * TOTP_PERIOD_SECONDS, period: TOTP_PERIOD_SECONDS });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'malformed' | 'wrong' | 'reused' };

export function checkTotp(input: {
  secret: string;
  code: string;
  now: Date;
  lastUsedStep: number | null;
}): TotpCheck {
  const code = input.code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'malformed' };
  const current = totpStepAt(input.now);
  let matched: number | null = null;
  for (let step = current - TOTP_WINDOW_STEPS; step <= current + TOTP_WINDOW_STEPS; step++) {
    // Every candidate is computed and compared, so the time taken does not depend on which matched.
    if (constantTimeEqual(totpCodeForStep(input.secret, step), code) && matched === null) matched = step;
  }
  if (matched === null) return { ok: false, reason: 'wrong' };
  if (input.lastUsedStep !== null && matched <= input.lastUsedStep) return { ok: false, reason: 'reused' };
  return { ok: true, step: matched };
}

/** A new 160-bit secret (RFC 4226's recommended length), Base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, accountName: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: accountName, secret, period: TOTP_PERIOD_SECONDS });
}
