/**
 * ISO/IEC 7064 MOD 37-2: the pure check-character system ISBT 128 uses for the donation
 * identification number (DIN). One check character over the alphabet 0-9, A-Z, '*' detects every
 * single-character substitution and every transposition of two adjacent characters, which are the
 * errors people make when they type a number off a label.
 */

/** The 37 characters, in value order: '0' is 0, 'A' is 10, 'Z' is 35, '*' is 36. */
export const MOD37_2_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*';

const MODULUS = 37;

/** The numeric value (0..36) of one character, or undefined when it is not in the alphabet. */
export function mod37Value(character: string): number | undefined {
  const index = MOD37_2_ALPHABET.indexOf(character);
  return index >= 0 && character.length === 1 ? index : undefined;
}

/**
 * The ISO 7064 checksum (0..36) of `data` (digits and upper-case letters; '*' is check-only).
 * Each character's value is weighted by 2^n, n being its position from the right counting from 1;
 * the checksum is (38 - sum mod 37) mod 37. Horner's rule keeps the numbers small for any length.
 */
export function mod37_2Checksum(data: string): number {
  if (data.length === 0) throw new RangeError('MOD 37-2 needs at least one character');
  let sum = 0;
  for (const character of data) {
    const value = mod37Value(character);
    if (value === undefined || value === 36) {
      throw new RangeError(`"${character}" cannot appear in MOD 37-2 data (0-9 and A-Z only)`);
    }
    sum = ((sum + value) * 2) % MODULUS;
  }
  return (38 - sum) % MODULUS;
}

/** The eye-readable check character for `data`. */
export function mod37_2CheckCharacter(data: string): string {
  return MOD37_2_ALPHABET.charAt(mod37_2Checksum(data));
}

/**
 * The ISBT 128 bar-code form of the same checksum: the two flag digits "60".."96" carried in the
 * flag positions of the DIN bar code (ISBT 128 flag type 3).
 */
export function mod37_2BarcodeFlag(data: string): string {
  return String(60 + mod37_2Checksum(data));
}

/** True when the last character of `text` is the MOD 37-2 check character of the rest. */
export function hasValidMod37_2Check(text: string): boolean {
  if (text.length < 2) return false;
  try {
    return mod37_2CheckCharacter(text.slice(0, -1)) === text.slice(-1);
  } catch {
    return false;
  }
}
