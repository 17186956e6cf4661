import { InvalidArgumentError } from 'commander';
import { calendarDateProblem } from '../lib/time.ts';
import { isDecimalNumber } from '../lib/num.ts';

export interface NumberRule {
  min?: number;
  max?: number;
  gt?: number;
  integer?: boolean;
  what: string;
}

/** A commander argument parser for a number with a physical range; the message says what is expected. */
export function numberFlag(rule: NumberRule): (raw: string) => number {
  return (raw: string) => {
    const v = Number(raw);
    const expect = () => new InvalidArgumentError(`expected ${rule.what}, got "${raw}"`);
    if (!isDecimalNumber(raw) || !Number.isFinite(v)) throw expect(); // not 0x10, Infinity
    if (rule.integer && !Number.isInteger(v)) throw expect();
    if (rule.gt !== undefined && !(v > rule.gt)) throw expect();
    if (rule.min !== undefined && v < rule.min) throw expect();
    if (rule.max !== undefined && v > rule.max) throw expect();
    return v;
  };
}

/** A commander argument parser for a calendar date YYYY-MM-DD (2026-11-31 is refused, naming why). */
export function dateFlag(raw: string): string {
  const problem = calendarDateProblem(raw);
  if (problem) throw new InvalidArgumentError(problem);
  return raw;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** --date of the commands that read one snapshot (`.option(...SNAPSHOT_DATE_FLAG)`). */
export const SNAPSHOT_DATE_FLAG = [
  '--date <YYYY-MM-DD>',
  'use the newest snapshot on or before this date',
  dateFlag,
] as const;

/** --out of the commands that write or read the reports folder (`.option(...REPORTS_OUT_FLAG)`). */
export const REPORTS_OUT_FLAG = [
  '--out <dir>',
  'reports folder (default: $RIGPIVOT_REPORTS_DIR or reports/)',
] as const;

/** The --currency flag of the commands that show money to people (`.option(...CURRENCY_FLAG)`). */
export const CURRENCY_FLAG = [
  '--currency <code>',
  'also show money in this currency (EUR, GBP, PLN, ...) at a dated rate from `collect --live` or ' +
    'config fx (labelled user-given); JSON stays USD (default: config displayCurrency)',
] as const;
