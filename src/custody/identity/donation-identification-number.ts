import { mod37_2BarcodeFlag, mod37_2CheckCharacter, mod37_2Checksum } from './iso7064-mod37-2.ts';
import { normaliseScan } from './scan-text.ts';

/**
 * The ISBT 128 donation identification number (data structure 001): a 5-character facility
 * identification number (FIN), a 2-digit nominal year, a 6-digit sequence number, then either two
 * flag characters (bar code) or the boxed MOD 37-2 check character (eye-readable form).
 */
export type IsbtIdentifierParts = {
  /** Facility identification number, e.g. "W1234". */
  facility: string;
  /** Two-digit nominal year of collection (26 for 2026). */
  year: number;
  /** Sequence number within facility and year, 1..999999. */
  sequence: number;
};

export type ParsedIsbtIdentifier = IsbtIdentifierParts & {
  /** The eye-readable MOD 37-2 check character. */
  check: string;
};

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * ICCBBA assigns FINs: a first character A–N or P–Z (the letter O is not used, to avoid confusion
 * with zero) followed by four digits. Numeric first characters are being introduced for new
 * facilities, so DINs accept 1–9 there as well; chain-of-identity identifiers stay letter-first.
 */
const FIN_FIRST_LETTER = /^[A-NP-Z]$/;
const FIN_FIRST_ANY = /^[A-NP-Z1-9]$/;

export function facilityProblem(facility: string, options: { letterFirst: boolean }): string | undefined {
  if (facility.length !== 5) return `facility identification number "${facility}" must be 5 characters`;
  const first = facility.charAt(0);
  const allowed = options.letterFirst ? FIN_FIRST_LETTER : FIN_FIRST_ANY;
  if (!allowed.test(first)) {
    return `facility identification number must start with a letter A–N or P–Z${
      options.letterFirst ? '' : ' (or a digit 1–9)'
    }, got "${first}"`;
  }
  if (!/^[0-9]{4}$/.test(facility.slice(1))) {
    return `facility identification number "${facility}" must end with 4 digits`;
  }
  return undefined;
}

/** Normalises a full year (2026) or a two-digit year (26) to two digits, or explains why it cannot. */
export function twoDigitYear(year: number): number | string {
  if (!Number.isInteger(year)) return `year ${year} must be a whole number`;
  if (year >= 0 && year <= 99) return year;
  if (year >= 2000 && year <= 2099) return year - 2000;
  return `year ${year} must be two digits (26) or a year 2000–2099 (2026)`;
}

function partsProblem(parts: IsbtIdentifierParts, options: { letterFirst: boolean }): string | undefined {
  const facility = facilityProblem(parts.facility, options);
  if (facility) return facility;
  const year = twoDigitYear(parts.year);
  if (typeof year === 'string') return year;
  if (!Number.isInteger(parts.sequence) || parts.sequence < 1 || parts.sequence > 999_999) {
    return `sequence number ${parts.sequence} must be a whole number from 1 to 999999`;
  }
  return undefined;
}

/** The 13 data characters the check character protects: facility + yy + nnnnnn. */
export function isbtDataCharacters(parts: IsbtIdentifierParts): string {
  const year = twoDigitYear(parts.year);
  if (typeof year === 'string') throw new RangeError(year);
  return `${parts.facility}${String(year).padStart(2, '0')}${String(parts.sequence).padStart(6, '0')}`;
}

export function assertIsbtParts(parts: IsbtIdentifierParts, options: { letterFirst: boolean }): void {
  const problem = partsProblem(parts, options);
  if (problem) throw new RangeError(problem);
}

/**
 * Parses the 13 data characters plus what follows them: nothing, a check character, or two
 * bar-code flag digits. Specific reasons, because the person at the scanner needs to know what to fix.
 */
export function parseIsbtShape(
  text: string,
  options: { letterFirst: boolean; what: string; allowBarcodeFlags: boolean },
): ParseResult<ParsedIsbtIdentifier & { flags?: string }> {
  const value = normaliseScan(text);
  if (value.length === 0) return { ok: false, reason: `${options.what} is empty` };
  const facility = value.slice(0, 5);
  const facilityIssue = facilityProblem(facility, options);
  if (facilityIssue) return { ok: false, reason: facilityIssue };
  const yearText = value.slice(5, 7);
  if (!/^[0-9]{2}$/.test(yearText))
    return { ok: false, reason: `year must be two digits, got "${yearText}"` };
  const sequenceText = value.slice(7, 13);
  if (!/^[0-9]{6}$/.test(sequenceText)) {
    return { ok: false, reason: `sequence number must be six digits, got "${sequenceText}"` };
  }
  const sequence = Number(sequenceText);
  if (sequence === 0) return { ok: false, reason: 'sequence number 000000 is not issued' };
  const data = value.slice(0, 13);
  const expected = mod37_2CheckCharacter(data);
  const rest = value.slice(13);
  const parts = { facility, year: Number(yearText), sequence, check: expected };
  if (rest.length === 0) {
    return { ok: false, reason: `check character missing (should be ${expected})` };
  }
  if (rest.length === 1) {
    if (rest !== expected) return { ok: false, reason: `check character should be ${expected}, got ${rest}` };
    return { ok: true, value: parts };
  }
  if (rest.length === 2 && options.allowBarcodeFlags && /^[0-9]{2}$/.test(rest)) {
    const flag = Number(rest);
    // Flags 60–96 carry the MOD 37-2 checksum in the bar code; other values are process flags.
    if (flag >= 60 && flag <= 96 && flag - 60 !== mod37_2Checksum(data)) {
      return { ok: false, reason: `check flag should be ${mod37_2BarcodeFlag(data)}, got ${rest}` };
    }
    return { ok: true, value: { ...parts, flags: rest } };
  }
  return {
    ok: false,
    reason: `${options.what} has ${value.length} characters; expected 14 (${data}${expected})`,
  };
}

export type DonationIdentificationNumber = ParsedIsbtIdentifier;

/** Accepts the eye-readable form ("W1234 26 000123 K"), the compact form, or a bar-code scan ("=W12342600012377"). */
export function parseDonationIdentificationNumber(text: string): ParseResult<DonationIdentificationNumber> {
  const parsed = parseIsbtShape(text, {
    letterFirst: false,
    what: 'donation identification number',
    allowBarcodeFlags: true,
  });
  if (!parsed.ok) return parsed;
  const { facility, year, sequence, check } = parsed.value;
  return { ok: true, value: { facility, year, sequence, check } };
}

/** Compact form with its check character: "W123426000123K". */
export function formatDonationIdentificationNumber(parts: IsbtIdentifierParts): string {
  assertIsbtParts(parts, { letterFirst: false });
  const data = isbtDataCharacters(parts);
  return data + mod37_2CheckCharacter(data);
}

/** Eye-readable form for labels and screens: "W1234 26 000123 K". */
export function displayIsbtIdentifier(parts: IsbtIdentifierParts): string {
  const data = isbtDataCharacters(parts);
  return `${data.slice(0, 5)} ${data.slice(5, 7)} ${data.slice(7, 13)} ${mod37_2CheckCharacter(data)}`;
}

/** The ISBT 128 DIN bar-code text: data identifier '=', 13 data characters, checksum flag (60 + checksum). */
export function donationNumberBarcodeText(parts: IsbtIdentifierParts): string {
  assertIsbtParts(parts, { letterFirst: false });
  const data = isbtDataCharacters(parts);
  return `=${data}${mod37_2BarcodeFlag(data)}`;
}

/**
 * The compact form ("W123426000123K") of any accepted DIN input, or undefined: what a scan of the
 * DIN bar code ("=W12342600012377", flags instead of the check character) is compared by.
 */
export function canonicalDonationNumber(text: string): string | undefined {
  const parsed = parseDonationIdentificationNumber(text);
  return parsed.ok ? formatDonationIdentificationNumber(parsed.value) : undefined;
}
