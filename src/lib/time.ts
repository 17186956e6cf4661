import { DateTime } from 'luxon';

/** Parse YYYY-MM-DD (or ISO date-time) as UTC; throws RangeError naming the input. */
export function parseUtc(iso: string): DateTime {
  const dt = DateTime.fromISO(iso, { zone: 'utc' });
  if (!dt.isValid) throw new RangeError(`not an ISO date: "${iso}" (expected YYYY-MM-DD)`);
  return dt;
}

export function isIsoDate(s: string): boolean {
  return calendarDateProblem(s) === null;
}

/**
 * Why `s` is not a calendar date YYYY-MM-DD, or null when it is one: the shape, then the month and the
 * day of that month (2026-11-31 and 2026-02-30 have the right shape and do not exist).
 */
export function calendarDateProblem(s: string): string | null {
  const shown = `"${s.slice(0, 40)}"`;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return `expected a date YYYY-MM-DD, got ${shown}`;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return `${shown} is not a calendar date: there is no month ${m[2]}`;
  const days = DateTime.utc(year, month).daysInMonth!;
  if (day < 1 || day > days) return `${shown} is not a calendar date: ${m[1]}-${m[2]} has ${days} days`;
  return null;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Milliseconds since the epoch of a calendar date YYYY-MM-DD at 00:00 UTC, or null for any other string
 * (and for dates that do not exist, like 2026-02-30): the fast path of the day arithmetic below, which
 * runs per day and per cell in hot loops where luxon costs ~600x a plain parse. Other forms go to luxon.
 */
function utcDateMs(iso: string): number | null {
  const m = DATE_ONLY.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  return y >= 1000 && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? ms : null;
}

/** Whole and fractional days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  const a = utcDateMs(from);
  const b = a === null ? null : utcDateMs(to);
  if (a !== null && b !== null) return (b - a) / DAY_MS;
  return parseUtc(to).diff(parseUtc(from), 'days').days;
}

export function addDays(iso: string, days: number): string {
  const ms = Number.isInteger(days) ? utcDateMs(iso) : null;
  const out = ms === null ? null : new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
  if (out !== null && DATE_ONLY.test(out) && utcDateMs(out) !== null) return out;
  return parseUtc(iso).plus({ days }).toISODate()!;
}

export function addSeconds(iso: string, seconds: number): DateTime {
  return parseUtc(iso).plus({ seconds });
}

/** Whether `zone` is an IANA time zone luxon knows (e.g. "Asia/Tokyo", "UTC"). */
export function isIanaZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid && zone.trim() === zone && zone !== '';
}

/** The calendar date YYYY-MM-DD at instant `now` in the IANA zone `zone` (the operator's "today"). */
export function localDate(now: Date, zone: string): string {
  const dt = DateTime.fromJSDate(now).setZone(zone);
  if (!dt.isValid) throw new RangeError(`not an IANA time zone: "${zone}"`);
  return dt.toISODate()!;
}
