import { humanise } from '../therapy/therapy-labels.ts';
import type { BookingStatus, ChainStep } from './scheduling-api.ts';
import { siteOf } from './use-scheduling-sites.ts';

const workTypeTitles: Record<string, string> = {
  apheresis: 'Apheresis',
  courier_pickup: 'Courier pick-up',
  manufacturing_start: 'Manufacturing start',
  qc_release: 'QC release',
  conditioning: 'Conditioning',
  infusion: 'Infusion',
};

export function workTypeTitle(workType: string): string {
  return workTypeTitles[workType] ?? humanise(workType);
}

/** Where a kind of work happens, so an unnamed site still says what it is. */
const siteRoles: Record<string, string> = {
  apheresis: 'Collection centre',
  courier_pickup: 'Collection centre',
  manufacturing_start: 'Plant',
  qc_release: 'Plant',
  conditioning: 'Infusion site',
  infusion: 'Infusion site',
};

export function siteRoleOf(workType: string): string {
  return siteRoles[workType] ?? 'Site';
}

/**
 * A site as "Leiden cell processing facility (ALM-PLANT)" from the network's site directory; until
 * that has loaded (or for a site it does not list), its role and the start of its id.
 */
export function siteLabel(siteId: string, workType?: string): string {
  const site = siteOf(siteId);
  if (site) return `${site.name} (${site.code})`;
  return `${workType ? siteRoleOf(workType) : 'Site'} ${siteId.slice(0, 8)}`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

const shortDayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});

/** A calendar day ('2026-11-23', the site's own day) as "Mon, 23 Nov 2026", the same in every time zone. */
export function dayLabel(day: string, short = false): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return (short ? shortDayFormat : dayFormat).format(date);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const utcFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const browserZoneName = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' });
const zoneFormats = new Map<string, { time: Intl.DateTimeFormat; names: Intl.DateTimeFormat[] }>();

function zoneFormatsOf(timeZone: string) {
  let formats = zoneFormats.get(timeZone);
  if (!formats) {
    formats = {
      time: new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone }),
      // The browser's language first; English ones when it only knows "GMT+1" for the zone.
      names: [undefined, 'en-US', 'en-GB'].map(
        (locale) => new Intl.DateTimeFormat(locale, { timeZoneName: 'short', timeZone }),
      ),
    };
    zoneFormats.set(timeZone, formats);
  }
  return formats;
}

const zoneNameOf = (format: Intl.DateTimeFormat, date: Date) =>
  format.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? '';

/** The zone's abbreviation at that instant: "CET", "CDT"; "GMT+1" only when no language has a name. */
export function zoneAbbreviation(timeZone: string, date: Date): string {
  const names = zoneFormatsOf(timeZone).names.map((format) => zoneNameOf(format, date));
  return names.find((name) => name && !/^(GMT|UTC)[+−-]/.test(name)) ?? names[0] ?? '';
}

/**
 * "07:30–11:30 CET" in the time zone of the step's site (the browser's when the site is not known),
 * and the same span in UTC; `inUtc` says the local span is UTC anyway.
 */
export function timeSpan(step: Pick<ChainStep, 'startsAt' | 'endsAt'> & { siteId?: string }): {
  local: string;
  utc: string;
  inUtc: boolean;
} {
  const start = new Date(step.startsAt);
  const end = new Date(step.endsAt);
  const site = step.siteId ? siteOf(step.siteId) : undefined;
  const format = site ? zoneFormatsOf(site.timeZone).time : timeFormat;
  const zone = site ? zoneAbbreviation(site.timeZone, start) : zoneNameOf(browserZoneName, start);
  const utc = (date: Date) => date.toISOString().slice(11, 16);
  return {
    local: `${format.format(start)}–${format.format(end)} ${zone}`.trim(),
    utc: `${utc(start)}–${utc(end)} UTC`,
    // Same wall clock as UTC at both ends: the zone's offset is 0 then (GMT in winter, say).
    inUtc: format.format(start) === utcFormat.format(start) && format.format(end) === utcFormat.format(end),
  };
}

/** The lead time between two step starts: "1 d 22 h", "18 h", "5 d". */
export function gapLabel(fromIso: string, toIso: string): string {
  const hours = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 3_600_000);
  const sign = hours < 0 ? '−' : '';
  const abs = Math.abs(hours);
  const days = Math.floor(abs / 24);
  const rest = abs % 24;
  if (days === 0) return `${sign}${rest} h`;
  return rest === 0 ? `${sign}${days} d` : `${sign}${days} d ${rest} h`;
}

export const bookingStatusColours: Record<BookingStatus | string, string> = {
  held: 'yellow',
  requested: 'violet',
  booked: 'teal',
  cancelled: 'gray',
  expired: 'gray',
  declined: 'red',
};

/** The statuses in which a booking still holds capacity. */
export function isLive(status: string): boolean {
  return status === 'held' || status === 'requested' || status === 'booked';
}

const whyLabels: Record<string, string> = {
  moved_by_request: 'Moved as you asked',
  lead_time: 'Moved to keep the lead time',
  capacity: 'Moved: no free slot at the old place',
  unchanged: 'Still fits: unchanged',
};

export function whyLabel(why: string): string {
  return whyLabels[why] ?? humanise(why);
}

const exclusionTitles: Record<string, string> = {
  site_closed: 'Site closed',
  no_capacity: 'No free capacity',
  unpublished: 'Only unpublished capacity',
  no_route: 'No route',
  lead_time: 'Lead time cannot be kept',
  patient_conflict: 'Patient has another appointment',
  avoided: 'Avoided as you asked',
  after_latest_infusion: 'After the latest infusion date',
};

export function exclusionTitle(code: string): string {
  return exclusionTitles[code] ?? humanise(code);
}

/** Today as the browser sees it, YYYY-MM-DD. */
export function todayDay(): string {
  const now = new Date();
  const offset = now.getTimezoneOffset() * 60_000;
  return new Date(now.getTime() - offset).toISOString().slice(0, 10);
}

/** `day` plus `days` calendar days, YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
