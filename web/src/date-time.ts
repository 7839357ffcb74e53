const localFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

const localDateFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "12 Mar 2025, 14:03:05 CET" in the browser's time zone; the input when it is not a date. */
export function formatLocalDateTime(iso: string): string {
  const date = parse(iso);
  return date ? localFormat.format(date) : iso;
}

/** "12 Mar 2025" in the browser's time zone. */
export function formatLocalDate(iso: string): string {
  const date = parse(iso);
  return date ? localDateFormat.format(date) : iso;
}

/** "2025-03-12 13:03:05 UTC": unambiguous, for records that inspectors compare. */
export function formatUtc(iso: string): string {
  const date = parse(iso);
  return date ? `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC` : iso;
}

/** `<input type="datetime-local">` value (local wall time) → ISO instant, or undefined when empty. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** ISO instant → `<input type="datetime-local">` value in the browser's time zone. */
export function isoToLocalInput(iso: string | null): string {
  const date = iso ? parse(iso) : null;
  if (!date) return '';
  const offset = date.getTimezoneOffset() * 60_000;
  return new Date(date.getTime() - offset).toISOString().slice(0, 16);
}

/** True when the instant is still in the future. */
export function isFuture(iso: string | null): boolean {
  const date = iso ? parse(iso) : null;
  return date !== null && date.getTime() > Date.now();
}

/** True when the browser itself works in UTC, so a local time would only repeat the UTC one. */
export function isUtcTimeZone(): boolean {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone === 'UTC' || zone === 'Etc/UTC' || zone === 'Etc/GMT';
}
