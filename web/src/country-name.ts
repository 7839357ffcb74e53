let regionNames: Intl.DisplayNames | undefined;

/** English name of an ISO 3166 country code ("DE" → "Germany"); returns the input when it is not a known code. */
export function countryName(code: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return code;
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
