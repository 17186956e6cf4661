import { DateTime } from 'luxon';

/** Parse YYYY-MM-DD (or ISO date-time) as UTC; throws RangeError naming the input. */
export function parseUtc(iso: string): DateTime {
  const dt = DateTime.fromISO(iso, { zone: 'utc' });
  if (!dt.isValid) throw new RangeError(`not an ISO date: "${iso}" (expected YYYY-MM-DD)`);
  return dt;
}

export function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: 'utc' }).isValid;
}

/** Whole and fractional days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return parseUtc(to).diff(parseUtc(from), 'days').days;
}

export function addDays(iso: string, days: number): string {
  return parseUtc(iso).plus({ days }).toISODate()!;
}

export function addSeconds(iso: string, seconds: number): DateTime {
  return parseUtc(iso).plus({ seconds });
}
