import {
  assertIsbtParts,
  displayIsbtIdentifier,
  type IsbtIdentifierParts,
  isbtDataCharacters,
  type ParsedIsbtIdentifier,
  type ParseResult,
  parseIsbtShape,
} from './donation-identification-number.ts';
import { mod37_2CheckCharacter } from './iso7064-mod37-2.ts';

export { normaliseScan } from './scan-text.ts';

/**
 * The Chain of Identity (COI): one identifier per therapy for one patient, shaped like an ISBT 128
 * number (facility + year + sequence) with a MOD 37-2 check character so a mistyped or misread
 * identifier is refused rather than matched to someone else's cells. Its compact form
 * ("W123426000123K") matches the CAR-T template's COI pattern ^[A-Z][0-9]{4}[0-9]{2}[0-9]{6}[0-9A-Z*]$.
 * The facility is the installation's ISBT_FACILITY_ID; the sequence comes from the database.
 */
export type ChainOfIdentityParts = IsbtIdentifierParts;
export type ChainOfIdentity = ParsedIsbtIdentifier;

export const CHAIN_OF_IDENTITY_PATTERN = /^[A-Z][0-9]{4}[0-9]{2}[0-9]{6}[0-9A-Z*]$/;

/** The check character for facility + year + sequence. */
export function chainOfIdentityCheck(parts: ChainOfIdentityParts): string {
  assertIsbtParts(parts, { letterFirst: true });
  return mod37_2CheckCharacter(isbtDataCharacters(parts));
}

/** Compact, stored and bar-coded form: "W123426000123K". `year` may be 26 or 2026. */
export function formatChainOfIdentity(parts: ChainOfIdentityParts): string {
  return isbtDataCharacters(parts) + chainOfIdentityCheck(parts);
}

/** Eye-readable form for labels and screens: "W1234 26 000123 K". */
export function displayChainOfIdentity(parts: ChainOfIdentityParts): string {
  assertIsbtParts(parts, { letterFirst: true });
  return displayIsbtIdentifier(parts);
}

/** Display form of a stored compact COI; a value that does not parse is shown as given. */
export function displayChainOfIdentityText(text: string): string {
  const parsed = parseChainOfIdentity(text);
  return parsed.ok ? displayIsbtIdentifier(parsed.value) : text;
}

/**
 * Accepts the compact form, the eye-readable form with spaces, or a scan (AIM prefix, '=' data
 * identifier, CR/LF, lower case). The reason names what is wrong, e.g. "check character should be K, got L".
 */
export function parseChainOfIdentity(text: string): ParseResult<ChainOfIdentity> {
  const parsed = parseIsbtShape(text, {
    letterFirst: true,
    what: 'chain of identity',
    allowBarcodeFlags: false,
  });
  if (!parsed.ok) return parsed;
  const { facility, year, sequence, check } = parsed.value;
  return { ok: true, value: { facility, year, sequence, check } };
}

/** The compact form of any accepted input, or undefined: what two scans are compared by. */
export function canonicalChainOfIdentity(text: string): string | undefined {
  const parsed = parseChainOfIdentity(text);
  return parsed.ok ? formatChainOfIdentity(parsed.value) : undefined;
}
