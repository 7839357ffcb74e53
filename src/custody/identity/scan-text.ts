/**
 * Keyboard-wedge scanners "type" the bar code: some prefix an AIM symbology identifier (e.g. "]C0"
 * for Code 128, "]d2" for DataMatrix), ISBT 128 bar codes start with a data identifier ('=' for the
 * donation identification number), and most end with CR or LF. People typing an eye-readable number
 * add spaces and use lower case. None of that is part of the identifier.
 */
export function normaliseScan(text: string): string {
  let value = text.replace(/[\r\n\t]+/g, ' ').trim();
  value = value.replace(/^\][A-Za-z][0-9A-Za-z]/, '');
  value = value.replace(/\s+/g, '').toUpperCase();
  // '=' followed by an alphanumeric is the ISBT 128 DIN data identifier; other ISBT identifiers
  // ('=<', '=(' …) belong to other data structures and are left for their own parsers to refuse.
  if (/^=[0-9A-Z]/.test(value)) value = value.slice(1);
  return value;
}
