import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, InputError } from '../errors.ts';
import { isIsoDate } from '../lib/time.ts';
import { SHIPPED_DATA_DIR } from './files.ts';
import {
  isUsable,
  parseErgHeaderPoints,
  parseErgPoolBlocks,
  parseRvnDaily,
  parseRvnHeaderFile,
  parseRvnSamples,
  rvnHeaderPoints,
  RVN_HEADER_ORIGINS,
  type DifficultyPoint,
} from './network-history-parse.ts';

/**
 * The real RVN and ERG network difficulty history shipped in data/history/network/ (data/SOURCES.md), read
 * and queried without lookahead: a query for day t only ever returns points dated on or before t.
 */
export const NETWORK_HISTORY_DIR = join(SHIPPED_DATA_DIR, 'history', 'network');

export const NETWORK_FILES = {
  rvnDaily: 'RVN_DERIVED_daily_difficulty.csv',
  rvnSamples: 'RVN_DERIVED_difficulty_per2016blocks.csv',
  rvnHeaders: ['RVN_mainnet-incident-headers_2026-08.json', 'RVN_v4.8.0-fixtures_2026-08.json'],
  ergHeaders: 'ERG_DERIVED_header_points.csv',
  ergPool: 'ERG_sigmanaut-pool_block_2024-03.csv',
} as const;

export interface NetworkSeries {
  /** One point per UTC day 2018-01-04..2024-08-15 (measured: that day's samples; derived: interpolated). */
  rvnDaily: DifficultyPoint[];
  /** The checkpoint samples the daily series was built from (estimated times), by height. */
  rvnSamples: DifficultyPoint[];
  /** Real 2026 block headers, by height. */
  rvnHeaders: DifficultyPoint[];
  /** Header points and pool records, by time. */
  erg: DifficultyPoint[];
}

function read(dir: string, name: string): { file: string; text: string } {
  const file = join(dir, name);
  if (!existsSync(file)) throw new DataError(file, 'file not found');
  return { file, text: readFileSync(file, 'utf8') };
}

function rvnHeaderOrigin(name: string, file: string): string {
  const origin = RVN_HEADER_ORIGINS[name];
  if (!origin) throw new DataError(file, 'no public origin recorded for this header file');
  return origin;
}

export function readNetworkSeries(dir = NETWORK_HISTORY_DIR): NetworkSeries {
  const parse = <T>(name: string, f: (text: string, file: string) => T): T => {
    const { file, text } = read(dir, name);
    return f(text, file);
  };
  const headers = NETWORK_FILES.rvnHeaders.flatMap((name) =>
    parse(name, (text, file) => parseRvnHeaderFile(text, file, rvnHeaderOrigin(name, file))),
  );
  const erg = [
    ...parse(NETWORK_FILES.ergHeaders, parseErgHeaderPoints),
    ...parse(NETWORK_FILES.ergPool, parseErgPoolBlocks),
  ].sort((a, b) => a.time!.localeCompare(b.time!));
  return {
    rvnDaily: parse(NETWORK_FILES.rvnDaily, parseRvnDaily),
    rvnSamples: parse(NETWORK_FILES.rvnSamples, parseRvnSamples),
    rvnHeaders: rvnHeaderPoints(headers),
    erg,
  };
}

function checkDate(date: string): void {
  if (!isIsoDate(date)) throw new InputError('date', `expected a UTC day YYYY-MM-DD, got "${date}"`);
}

/** Index of the last point dated on or before `date` in a list sorted by date (-1: none). */
function lastOnOrBefore(points: readonly DifficultyPoint[], date: string): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.date <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

const byDateThenTime = (a: DifficultyPoint, b: DifficultyPoint) =>
  a.date.localeCompare(b.date) || (a.time ?? '').localeCompare(b.time ?? '');

export class NetworkDifficultyHistory {
  /** Usable measured RVN points (KawPow, representative): daily means to 2024-08-15, 2026 headers. */
  readonly rvnUsable: readonly DifficultyPoint[];
  /** Usable ERG points (Autolykos2, past the post-fork reset), by time. */
  readonly ergUsable: readonly DifficultyPoint[];

  constructor(readonly series: NetworkSeries) {
    this.rvnUsable = [...series.rvnDaily, ...series.rvnHeaders]
      .filter((p) => p.kind === 'measured' && isUsable(p))
      .sort(byDateThenTime);
    this.ergUsable = series.erg.filter(isUsable).sort(byDateThenTime);
  }

  /**
   * The newest usable measured RVN difficulty dated on or before `date` (null before the first). Interpolated
   * days are never returned: their value uses a later sample. Check the point's date for its age.
   */
  rvnDifficultyOn(date: string): DifficultyPoint | null {
    checkDate(date);
    return this.rvnUsable[lastOnOrBefore(this.rvnUsable, date)] ?? null;
  }

  /** Every usable ERG point dated on or before `date`, oldest first. */
  ergPointsOnOrBefore(date: string): DifficultyPoint[] {
    checkDate(date);
    return this.ergUsable.slice(0, lastOnOrBefore(this.ergUsable, date) + 1);
  }
}

export function loadNetworkHistory(dir = NETWORK_HISTORY_DIR): NetworkDifficultyHistory {
  return new NetworkDifficultyHistory(readNetworkSeries(dir));
}
