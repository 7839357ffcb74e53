/**
 * Text helpers shared by the label and dossier PDFs. Both use the PDF standard fonts (Helvetica,
 * Courier), which need no font files on the server and render identically everywhere, but encode
 * only Windows-1252: anything else would print as garbage, so it is replaced visibly instead.
 */

const WIN_ANSI_EXTRAS = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ']);

/** Text the standard PDF fonts can show; other characters become '?' (never silently dropped). */
export function pdfText(value: string): string {
  let out = '';
  for (const character of value
    .replace(/→/g, '->')
    .replace(/≤/g, '<=')
    .replace(/≥/g, '>=')
    .replace(/[−‐‑]/g, '-')) {
    const code = character.codePointAt(0) ?? 0;
    if (character === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff))
      out += character;
    else if (WIN_ANSI_EXTRAS.has(character)) out += character;
    else {
      // Decomposable letters keep their base letter (e.g. "ł" has none and becomes "?", "ő" becomes "o").
      const base = character.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += /^[\x20-\x7e]+$/.test(base) ? base : '?';
    }
  }
  return out;
}

function parts(date: Date, timeZone: string): Record<string, string> {
  const formatter = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const out: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) out[part.type] = part.value;
  return out;
}

/** "2026-11-22 14:05 UTC": inspection records state UTC so every site's times compare directly. */
export function utcText(value: Date | string): string {
  const date = new Date(value);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "2026-11-22 15:05 GMT+1" in the site's own zone; falls back to UTC for an unknown zone. */
export function localText(value: Date | string, timeZone: string | undefined): string {
  const date = new Date(value);
  if (!timeZone) return utcText(date);
  try {
    const p = parts(date, timeZone);
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName ?? timeZone}`;
  } catch {
    return utcText(date);
  }
}

/** Both, for records read by people in different places: "2026-11-22 14:05 UTC (15:05 GMT+1 local)". */
export function utcAndLocalText(value: Date | string, timeZone: string | undefined): string {
  const utc = utcText(value);
  if (!timeZone || timeZone === 'UTC') return utc;
  const local = localText(value, timeZone);
  return `${utc} (${local} local)`;
}

/** A SHA-256 hex shown short, as Git shows commits: enough to find it, short enough to read. */
export function shortHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 12)}…` : hash;
}
