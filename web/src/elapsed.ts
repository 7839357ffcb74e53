/** 95 → "1 h 35 min"; 3000 → "2 d 2 h"; under a minute → "less than a minute". */
export function minutesLabel(totalMinutes: number): string {
  const minutes = Math.max(0, Math.floor(totalMinutes));
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}

function minutesBetween(fromIso: string, to: number): number {
  return (to - new Date(fromIso).getTime()) / 60_000;
}

/** "for 2 d 3 h": how long since `iso`. */
export function sinceLabel(iso: string, now = Date.now()): string {
  return minutesLabel(minutesBetween(iso, now));
}

/** "due in 4 h" or "overdue by 1 d 2 h". */
export function dueLabel(dueIso: string, now = Date.now()): string {
  const left = -minutesBetween(dueIso, now);
  return left >= 0 ? `due in ${minutesLabel(left)}` : `overdue by ${minutesLabel(-left)}`;
}
