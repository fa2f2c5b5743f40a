// Date/time helpers. Instants from the API carry the location's offset; we display them in the
// location's zone (given explicitly, or the offset the server rendered them with).
import { DateTime, Duration } from 'luxon';

export const LOCAL_ZONE = DateTime.local().zoneName ?? 'UTC';

/** Parse an API instant, keeping the offset it was rendered with. */
export function parseInstant(iso: string, zone?: string): DateTime {
  const dt = DateTime.fromISO(iso, { setZone: true });
  return zone ? dt.setZone(zone) : dt;
}

export function fmtTime(iso: string | null | undefined, zone?: string): string {
  if (!iso) return '';
  const dt = parseInstant(iso, zone);
  return dt.isValid ? dt.toLocaleString(DateTime.TIME_SIMPLE) : iso;
}

export function fmtDate(isoOrDate: string | null | undefined, zone?: string): string {
  if (!isoOrDate) return '';
  const dt = isoOrDate.length <= 10 ? DateTime.fromISO(isoOrDate) : parseInstant(isoOrDate, zone);
  return dt.isValid ? dt.toFormat('ccc d LLL yyyy') : isoOrDate;
}

export function fmtDateTime(iso: string | null | undefined, zone?: string): string {
  if (!iso) return '';
  const dt = parseInstant(iso, zone);
  return dt.isValid ? `${dt.toFormat('ccc d LLL yyyy')}, ${dt.toLocaleString(DateTime.TIME_SIMPLE)}` : iso;
}

/** "Tue 12 Mar" etc. for a YYYY-MM-DD date. */
export function fmtDayHeading(date: string): string {
  const dt = DateTime.fromISO(date);
  return dt.isValid ? dt.toFormat('cccc d LLLL yyyy') : date;
}
export function fmtDayShort(date: string): string {
  const dt = DateTime.fromISO(date);
  return dt.isValid ? dt.toFormat('ccc d LLL') : date;
}

/** Date (YYYY-MM-DD) of an instant in a zone (or in the offset it carries). */
export function dateOf(iso: string, zone?: string): string {
  return parseInstant(iso, zone).toISODate() ?? iso.slice(0, 10);
}

/** Minutes since midnight of an instant, in the zone. */
export function minuteOfDay(iso: string, zone?: string): number {
  const dt = parseInstant(iso, zone);
  return dt.hour * 60 + dt.minute;
}

export function todayIn(zone?: string): string {
  return (zone ? DateTime.now().setZone(zone) : DateTime.now()).toISODate()!;
}

export function addDays(date: string, n: number): string {
  return DateTime.fromISO(date).plus({ days: n }).toISODate()!;
}

/** Monday of the week holding `date`. */
export function weekStart(date: string): string {
  const dt = DateTime.fromISO(date);
  return dt.minus({ days: dt.weekday - 1 }).toISODate()!;
}

/** ISO instant (with offset) of local midnight starting `date` in `zone`. DST-correct. */
export function startOfDayIso(date: string, zone?: string): string {
  return DateTime.fromISO(date, { zone: zone || LOCAL_ZONE }).startOf('day').toISO({ suppressMilliseconds: true })!;
}

/** [from, to) instants covering `days` calendar days from `date` in `zone`. */
export function dayRange(date: string, zone?: string, days = 1): { from: string; to: string } {
  return { from: startOfDayIso(date, zone), to: startOfDayIso(addDays(date, days), zone) };
}

export function ageOn(birthDate: string | null | undefined, today = DateTime.now()): number | null {
  if (!birthDate) return null;
  const b = DateTime.fromISO(birthDate);
  if (!b.isValid) return null;
  return Math.floor(today.diff(b, 'years').years);
}

/** "5 min", "1 h 05 min", "2 d 3 h". */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  const m = Math.max(0, Math.floor(minutes));
  if (m < 1) return '<1 min';
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) {
    const h = Math.floor(m / 60);
    const r = m % 60;
    return `${h} h ${String(r).padStart(2, '0')} min`;
  }
  const d = Duration.fromObject({ minutes: m }).shiftTo('days', 'hours');
  return `${Math.floor(d.days)} d ${Math.floor(d.hours)} h`;
}

/** Whole minutes elapsed between an instant and `nowMs`. */
export function minutesSince(iso: string, nowMs: number): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.floor((nowMs - t) / 60000));
}

const FALLBACK_ZONES = [
  'UTC',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Toronto',
  'America/Vancouver',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Amsterdam',
  'Australia/Sydney',
];

/** IANA zones known to the browser. */
export function ianaZones(): string[] {
  try {
    const fn = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
    if (fn) {
      const list = fn('timeZone');
      if (list.length) return list.includes('UTC') ? list : ['UTC', ...list];
    }
  } catch {
    /* fall through */
  }
  return FALLBACK_ZONES;
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
