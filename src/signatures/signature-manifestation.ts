/**
 * The manifestation of a signature (21 CFR 11.50): the printed name of the signer, the date and
 * time of signing, and its meaning, shown wherever the signature appears. Time is given in UTC and
 * in the site's local time, so the courier in one country and the inspector in another read the
 * same instant without converting.
 */

export function isTimeZone(zone: string): boolean {
  try {
    formatterFor('en-GB', zone);
    return true;
  } catch {
    return false;
  }
}

// Building a formatter costs far more than using one; signing happens at a handful of sites' zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

function partsIn(instant: Date, timeZone: string, locale: string) {
  const parts = formatterFor(locale, timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}`,
    zoneName: get('timeZoneName'),
  };
}

/** e.g. '2026-11-22 19:04 CET (Europe/Berlin)'; an abbreviation where one is in common use, else the offset. */
export function localSigningTime(instant: Date, timeZone: string): string {
  const british = partsIn(instant, timeZone, 'en-GB');
  let zoneName = british.zoneName;
  if (/^(GMT|UTC)[+-]/.test(zoneName)) {
    const american = partsIn(instant, timeZone, 'en-US').zoneName;
    if (!/^(GMT|UTC)/.test(american)) zoneName = american;
  }
  return `${british.date} ${british.time} ${zoneName} (${timeZone})`;
}

/** e.g. '2026-11-22 18:04:09 UTC' */
export function utcSigningTime(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function manifestationOf(input: {
  signerName: string;
  signedAt: Date;
  signedAtLocal: string;
  meaning: string;
}): string {
  return `${input.signerName} — ${utcSigningTime(input.signedAt)} / ${input.signedAtLocal} — ${input.meaning}`;
}
