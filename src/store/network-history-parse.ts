import { z } from 'zod';
import type { Coin } from '../domain/types.ts';
import { DataError } from '../errors.ts';
import { formatIssues } from '../domain/schemas.ts';
import {
  bigIntField,
  csvRecords,
  decimalField,
  fieldError,
  intField,
  textField,
  type CsvRecord,
} from './csv-records.ts';

/**
 * Pure parsers for the network difficulty history in data/history/network/ (see data/SOURCES.md): text in,
 * dated and typed points out, every row validated and carrying its provenance. No file access here.
 */

export type AlgorithmEra = 'x16r' | 'kawpow' | 'autolykos-v1' | 'autolykos-v2';

export interface DifficultyPoint {
  coin: Coin;
  /** UTC day the value describes (YYYY-MM-DD). */
  date: string;
  /** UTC time (ISO 8601) where the source has one. */
  time?: string;
  /** The time is an estimate (RVN checkpoint samples: interpolated in height between dated anchors). */
  timeEstimated?: boolean;
  height?: number;
  difficulty: number;
  unit: string;
  /** measured: chain data (headers, checkpoint targets, their same-day mean); derived: interpolated. */
  kind: 'measured' | 'derived';
  /** Public origin, then the shipped file and line. */
  source: string;
  method: string;
  algorithmEra: AlgorithmEra;
  /** false: real, but not the network in normal operation (an incident, a post-fork reset). */
  representative: boolean;
  /** Why the point is outside the usable series (another algorithm era, not representative). */
  caveat?: string;
}

export const RVN_DIFFICULTY_UNIT = 'Bitcoin-style difficulty (x 2^32 hashes per block)';
export const ERG_DIFFICULTY_UNIT = 'expected hashes per block';

/** Ravencoin nKAWPOWActivationTime (src/chainparams.cpp): 2020-05-06 18:00 UTC. X16R/X16Rv2 before. */
export const RVN_KAWPOW_ACTIVATION_UNIX = 1_588_788_000;
/** First all-KawPow UTC day: 05-06 is X16R until 18:00, 05-07 is interpolated across the fork. */
export const RVN_FIRST_KAWPOW_DAY = '2020-05-08';
/** Consensus incident: ~3-day stall, then DGW collapsed the difficulty (block 4,488,000). */
export const RVN_INCIDENT_DAYS = { from: '2026-08-07', to: '2026-08-10' } as const;
export const ERG_AUTOLYKOS_V2_HEIGHT = 417_792;
/** The last post-fork point the source names as the difficulty reset (418,138 and 421,410 are). */
export const ERG_RESET_LAST_HEIGHT = 421_410;

const ELECTRUM_RVN = 'Electrum-RVN-SIG/electrum-ravencoin';
export const RVN_DGW_ORIGIN = `${ELECTRUM_RVN} @ 3d369d73 electrum/checkpoints_dgw.json (MIT)`;
export const RVN_CHUNK_ORIGIN = `${ELECTRUM_RVN} @ 32f60d98 electrum/checkpoints.json (MIT)`;
const ALENOC = 'ALENOC/electrumx-ravencoin @ 6074ae41 core-safety';
/** Public origin of each shipped RVN header file (getblockheader from a Ravencoin 4.8.0 mainnet node). */
export const RVN_HEADER_ORIGINS: Readonly<Record<string, string>> = {
  'RVN_mainnet-incident-headers_2026-08.json': `${ALENOC}/fixtures/mainnet-incident-headers.json`,
  'RVN_v4.8.0-fixtures_2026-08.json':
    `${ALENOC}/production/certifications/` + 'ravenproject-ravencoin-v4.8.0-22549129-fixtures.json',
};
export const ERG_POOL_ORIGIN = 'marctheshark3/sigmanaut-mining-pool-ui @ 5ccc15ab assets/block.csv';
/** Rows whose provenance column names a research-workspace file: their public origin instead. */
const ERG_PUBLIC_ORIGIN_BY_HEIGHT: Readonly<Record<number, string>> = {
  832295:
    'a real Ergo node /info response (ergo-mainnet-4.0.35, fullHeight 832,295, currentTime 1662401307197) ' +
    'embedded as a mock in a public Go test (repository not recorded)',
};

const DIFF1_RVN = 0xffffn << 208n;
const TWO_POW_32 = 2 ** 32;

export function isUsable(p: DifficultyPoint): boolean {
  return (p.algorithmEra === 'kawpow' || p.algorithmEra === 'autolykos-v2') && p.representative;
}

/** Bitcoin compact bits -> the integer they encode (a target for RVN, the difficulty itself for ERG). */
export function decodeCompactBits(bits: number): bigint {
  if (bits & 0x00800000) throw new RangeError(`compact bits 0x${bits.toString(16)} encode a negative number`);
  const size = BigInt(bits >>> 24);
  const word = BigInt(bits & 0x007fffff);
  return size <= 3n ? word >> (8n * (3n - size)) : word << (8n * (size - 3n));
}

/** RVN difficulty (0xFFFF x 2^208 / target), correctly rounded to a double. */
export function rvnDifficultyFromTarget(target: bigint): number {
  if (target <= 0n) throw new RangeError('target must be > 0');
  return Number((DIFF1_RVN << 64n) / target) / 2 ** 64;
}

function isoFromMs(ms: number): string {
  return new Date(ms).toISOString();
}

type EraFlags = Pick<DifficultyPoint, 'algorithmEra' | 'representative' | 'caveat'>;

function rvnEraFlags(date: string, unixS: number | null, height?: number): EraFlags {
  const x16r = unixS === null ? date < RVN_FIRST_KAWPOW_DAY : unixS < RVN_KAWPOW_ACTIVATION_UNIX;
  if (x16r)
    return {
      algorithmEra: 'x16r',
      representative: true,
      caveat:
        'X16R/X16Rv2 era (KawPow from 2020-05-06 18:00 UTC; first whole KawPow day 2020-05-08): ' +
        'not comparable',
    };
  if (date >= RVN_INCIDENT_DAYS.from && date <= RVN_INCIDENT_DAYS.to)
    return {
      algorithmEra: 'kawpow',
      representative: false,
      caveat:
        `RVN consensus incident ${RVN_INCIDENT_DAYS.from}..${RVN_INCIDENT_DAYS.to} (~3-day stall, then DGW ` +
        `collapse${height === 4_488_000 ? ' at this block' : ''}): not representative`,
    };
  return { algorithmEra: 'kawpow', representative: true };
}

function ergEraFlags(height: number): EraFlags {
  if (height < ERG_AUTOLYKOS_V2_HEIGHT)
    return {
      algorithmEra: 'autolykos-v1',
      representative: true,
      caveat: `Autolykos v1 (Autolykos2 from height ${ERG_AUTOLYKOS_V2_HEIGHT}): not comparable`,
    };
  if (height <= ERG_RESET_LAST_HEIGHT)
    return {
      algorithmEra: 'autolykos-v2',
      representative: false,
      caveat:
        `difficulty reset after the Autolykos2 fork (heights ${ERG_AUTOLYKOS_V2_HEIGHT}..` +
        `${ERG_RESET_LAST_HEIGHT}): not representative`,
    };
  return { algorithmEra: 'autolykos-v2', representative: true };
}

const DAY_MS = 86_400_000;
/** The UTC day `days` after a YYYY-MM-DD day ('' if the day is not a real one). */
function dayPlus(day: string, days: number): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms)) return '';
  const out = new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
  return days === 0 && out !== day ? '' : out;
}

function dateField(r: CsvRecord, field: string): string {
  const v = textField(r, field, /^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
  if (dayPlus(v, 0) !== v) throw fieldError(r, field, 'a real calendar date');
  return v;
}

function checkNear(r: CsvRecord, field: string, expected: number, tolerance: number, how: string): void {
  const v = decimalField(r, field, true);
  if (!(Math.abs(v - expected) <= tolerance))
    throw fieldError(r, field, `~${expected.toPrecision(6)} (${how})`);
}

const rvnThs = (d: number) => (d * TWO_POW_32) / 60 / 1e12;
const shipped = (r: CsvRecord) => `shipped as history/network/${r.file.split(/[\\/]/).pop()} line ${r.line}`;

/** RVN_DERIVED_daily_difficulty.csv: one row per UTC day, ascending, no gaps. */
export function parseRvnDaily(text: string, file: string): DifficultyPoint[] {
  const cols = ['date_utc', 'difficulty_btc_style', 'hashrate_THs_implied', 'method'];
  let prev: string | null = null;
  return csvRecords(text, file, cols).map((r): DifficultyPoint => {
    const date = dateField(r, 'date_utc');
    if (prev !== null && date !== dayPlus(prev, 1))
      throw fieldError(r, 'date_utc', `${dayPlus(prev, 1)} (one row per day, ascending)`);
    prev = date;
    const difficulty = decimalField(r, 'difficulty_btc_style');
    checkNear(r, 'hashrate_THs_implied', rvnThs(difficulty), 6e-5, 'difficulty x 2^32 / 60 / 1e12');
    const how = textField(
      r,
      'method',
      /^(mean_of_[1-9]\d*_samples|loglinear_interp)$/,
      '"mean_of_<N>_samples" or "loglinear_interp"',
    );
    const n = how.match(/^mean_of_(\d+)_samples$/)?.[1];
    const method = n
      ? `mean of the ${n} Electrum checkpoint difficulties (D = 0xFFFF x 2^208 / target) whose estimated ` +
        'time falls on this UTC day; sample times interpolated in height between dated anchors (+-1 day)'
      : 'log-linear interpolation between the neighbouring checkpoint samples (no sample on this day); ' +
        'uses the next, later sample';
    return {
      coin: 'RVN',
      date,
      difficulty,
      unit: RVN_DIFFICULTY_UNIT,
      kind: n ? 'measured' : 'derived',
      source: `${RVN_DGW_ORIGIN} (before block 338,688: ${RVN_CHUNK_ORIGIN}); ${shipped(r)}`,
      method,
      ...rvnEraFlags(date, null),
    };
  });
}

/** RVN_DERIVED_difficulty_per2016blocks.csv: the checkpoint targets, by height, with estimated times. */
export function parseRvnSamples(text: string, file: string): DifficultyPoint[] {
  const cols = ['height', 'est_time_utc', 'est_unix', 'kind', 'target', 'difficulty_btc_style'];
  let prevHeight = -1;
  return csvRecords(text, file, [...cols, 'hashrate_THs_implied']).map((r): DifficultyPoint => {
    const height = intField(r, 'height');
    if (height <= prevHeight) throw fieldError(r, 'height', `a height above ${prevHeight} (ascending)`);
    prevHeight = height;
    const unixS = intField(r, 'est_unix');
    const time = isoFromMs(unixS * 1000);
    if (textField(r, 'est_time_utc') !== time.slice(0, 16).replace('T', ' '))
      throw fieldError(r, 'est_time_utc', `${time.slice(0, 16).replace('T', ' ')} (est_unix in UTC)`);
    const chunk = textField(r, 'kind', /^(chunk_target_pre_DGW|block)$/, '"chunk_target_pre_DGW" or "block"');
    const difficulty = rvnDifficultyFromTarget(bigIntField(r, 'target'));
    checkNear(r, 'difficulty_btc_style', difficulty, 0.005 + difficulty * 1e-12, '0xFFFF x 2^208 / target');
    checkNear(r, 'hashrate_THs_implied', rvnThs(difficulty), 6e-5, 'difficulty x 2^32 / 60 / 1e12');
    const date = time.slice(0, 10);
    return {
      coin: 'RVN',
      date,
      time,
      timeEstimated: true,
      height,
      difficulty,
      unit: RVN_DIFFICULTY_UNIT,
      kind: 'measured',
      source: `${chunk === 'block' ? RVN_DGW_ORIGIN : RVN_CHUNK_ORIGIN}; ${shipped(r)}`,
      method:
        `D = 0xFFFF x 2^208 / target of ${chunk === 'block' ? 'this block' : 'its 2016-block chunk'}` +
        '; time estimated by linear interpolation in height between dated anchors (+-1 day)',
      ...rvnEraFlags(date, unixS, height),
    };
  });
}

/** One decoded 120-byte KawPow header with where it came from. */
export interface RvnHeader {
  height: number;
  hash: string;
  headerHex: string;
  prevHash: string;
  timeS: number;
  bits: number;
  origin: string;
  where: string;
}

const headerSchema = z.object({
  height: z.number().int().nonnegative(),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'a 64-digit lowercase hex block hash'),
  headerHex: z.string().regex(/^([0-9a-f]{2}){120}$/, 'a 120-byte KawPow header as lowercase hex'),
  timestamp: z.number().int().positive().optional(),
  declaredHeight: z.number().int().nonnegative().optional(),
});
const headerFileSchema = z.object({ validHeaders: z.array(headerSchema).min(1) });

/** The line a JSON value sits on, when it occurs exactly once in the text. */
function lineOf(text: string, value: unknown): string {
  if (value === undefined || typeof value === 'object') return '';
  const needle = JSON.stringify(value);
  const at = text.indexOf(needle);
  if (at < 0 || text.indexOf(needle, at + 1) >= 0) return '';
  return `line ${text.slice(0, at).split('\n').length}, `;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], root);
}

/** A Ravencoin header fixture file (`validHeaders`): decoded and checked against its stated fields. */
export function parseRvnHeaderFile(text: string, file: string, origin: string): RvnHeader[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DataError(file, `not valid JSON (${(e as Error).message})`);
  }
  const parsed = headerFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = lineOf(text, valueAt(raw, issue.path));
    throw new DataError(file, `${where}field ${formatIssues(parsed.error)[0]}`);
  }
  return parsed.data.validHeaders.map((h, i) => {
    const at = `validHeaders[${i}]`;
    const fail = (field: keyof typeof h, msg: string) =>
      new DataError(
        file,
        `${lineOf(text, h[field]) || lineOf(text, h.headerHex)}field ${at}.${field}: ${msg}`,
      );
    const b = Buffer.from(h.headerHex, 'hex');
    const decoded = { timeS: b.readUInt32LE(68), bits: b.readUInt32LE(72), nHeight: b.readUInt32LE(76) };
    if (decoded.nHeight !== h.height)
      throw fail('headerHex', `the header's nHeight is ${decoded.nHeight}, expected height ${h.height}`);
    if (h.declaredHeight !== undefined && h.declaredHeight !== h.height)
      throw fail('declaredHeight', `expected ${h.height}, got ${h.declaredHeight}`);
    if (h.timestamp !== undefined && h.timestamp !== decoded.timeS)
      throw fail('timestamp', `expected the header's time ${decoded.timeS}, got ${h.timestamp}`);
    if (BigInt(`0x${h.hash}`) > decodeCompactBits(decoded.bits))
      throw fail(
        'hash',
        `above the target of the header's nBits 0x${decoded.bits.toString(16)} (not a valid block)`,
      );
    const prevHash = Buffer.from(b.subarray(4, 36)).reverse().toString('hex');
    return {
      height: h.height,
      hash: h.hash,
      headerHex: h.headerHex,
      prevHash,
      ...decoded,
      origin,
      where: `${file} ${at}`,
    };
  });
}

/** Headers from several files -> one point per height; a height given twice must be the same header. */
export function rvnHeaderPoints(headers: readonly RvnHeader[]): DifficultyPoint[] {
  const byHeight = new Map<number, RvnHeader>();
  for (const h of headers) {
    const seen = byHeight.get(h.height);
    if (seen && seen.headerHex !== h.headerHex)
      throw new DataError(h.where, `block ${h.height} differs from ${seen.where}`);
    if (!seen) byHeight.set(h.height, h);
  }
  const sorted = [...byHeight.values()].sort((a, b) => a.height - b.height);
  sorted.forEach((h, i) => {
    const prev = sorted[i - 1];
    if (prev && prev.height === h.height - 1 && prev.hash !== h.prevHash)
      throw new DataError(
        h.where,
        `block ${h.height}'s previous-block hash is not block ${prev.height}'s hash`,
      );
  });
  return sorted.map((h): DifficultyPoint => {
    const time = isoFromMs(h.timeS * 1000);
    const date = time.slice(0, 10);
    return {
      coin: 'RVN',
      date,
      time,
      height: h.height,
      difficulty: rvnDifficultyFromTarget(decodeCompactBits(h.bits)),
      unit: RVN_DIFFICULTY_UNIT,
      kind: 'measured',
      source:
        `${h.origin} (getblockheader, Ravencoin 4.8.0 mainnet node); ` +
        `shipped as history/network/${h.where.split(/[\\/]/).pop()}`,
      method: `D = 0xFFFF x 2^208 / target of the header's nBits 0x${h.bits.toString(16)}; header time`,
      ...rvnEraFlags(date, h.timeS, h.height),
    };
  });
}

/** ERG_DERIVED_header_points.csv: real mainnet headers; nBits, where given, must decode to `difficulty`. */
export function parseErgHeaderPoints(text: string, file: string): DifficultyPoint[] {
  const cols = ['height', 'time_utc', 'timestamp_ms', 'nBits', 'difficulty', 'check', 'provenance'];
  let prev: { height: number; origin: string } | null = null;
  return csvRecords(text, file, [...cols, 'hashrate_THs_implied(D/120)']).map((r): DifficultyPoint => {
    const height = intField(r, 'height');
    if (prev && height <= prev.height)
      throw fieldError(r, 'height', `a height above ${prev.height} (ascending)`);
    const time = isoFromMs(intField(r, 'timestamp_ms'));
    if (textField(r, 'time_utc') !== time.slice(0, 16).replace('T', ' '))
      throw fieldError(r, 'time_utc', `${time.slice(0, 16).replace('T', ' ')} (timestamp_ms in UTC)`);
    const exact = bigIntField(r, 'difficulty');
    const bitsText = textField(r, 'nBits', /^(\d+)?$/, 'empty or a decimal compact-bits integer');
    if (bitsText !== '' && decodeCompactBits(Number(bitsText)) !== exact)
      throw fieldError(r, 'difficulty', `${decodeCompactBits(Number(bitsText))} (decoded nBits ${bitsText})`);
    textField(r, 'check', /^(nBits==difficulty)?$/, 'empty or "nBits==difficulty"');
    const difficulty = Number(exact);
    checkNear(r, 'hashrate_THs_implied(D/120)', difficulty / 120 / 1e12, 0.0051, 'difficulty / 120 / 1e12');
    const origin = ergOrigin(r, height, prev?.origin ?? null);
    prev = { height, origin };
    return {
      coin: 'ERG',
      date: time.slice(0, 10),
      time,
      height,
      difficulty,
      unit: ERG_DIFFICULTY_UNIT,
      kind: 'measured',
      source: `${origin}; ${shipped(r)}`,
      method: bitsText
        ? `difficulty decoded from the header's nBits ${bitsText}`
        : 'difficulty as printed by the node or explorer (the source gives no nBits)',
      ...ergEraFlags(height),
    };
  });
}

/** The row's public origin: "same file" refers to the row above; research-workspace paths are replaced. */
function ergOrigin(r: CsvRecord, height: number, previous: string | null): string {
  let p = textField(r, 'provenance');
  if (p.startsWith('same file')) {
    if (!previous) throw fieldError(r, 'provenance', 'a source ("same file" needs a row above)');
    p = `${previous}${p.slice('same file'.length)}`;
  }
  const replaced = ERG_PUBLIC_ORIGIN_BY_HEIGHT[height];
  if (replaced)
    p = `${replaced}${p.includes('currentTime used') ? '; its currentTime used as the time' : ''}`;
  if (/(^|[\s/])(shared|research)\//.test(p))
    throw fieldError(r, 'provenance', 'a public origin (this names a path our users do not have)');
  return p;
}

/** ERG_sigmanaut-pool_block_*.csv: miningcore's `networkDifficulty` is ERG D / 2^32. */
export function parseErgPoolBlocks(text: string, file: string): DifficultyPoint[] {
  const recs = csvRecords(text, file, ['Time Found', 'blockHeight', 'networkDifficulty']);
  return recs.map((r): DifficultyPoint => {
    const found = textField(r, 'Time Found', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'YYYY-MM-DD HH:MM:SS');
    if (dayPlus(found.slice(0, 10), 0) === '') throw fieldError(r, 'Time Found', 'a real calendar date');
    const height = intField(r, 'blockHeight');
    const poolDifficulty = decimalField(r, 'networkDifficulty');
    return {
      coin: 'ERG',
      date: found.slice(0, 10),
      time: `${found.replace(' ', 'T')}Z`,
      height,
      difficulty: poolDifficulty * TWO_POW_32,
      unit: ERG_DIFFICULTY_UNIT,
      kind: 'measured',
      source: `${ERG_POOL_ORIGIN} (Sigmanaut pool's record of block ${height}); ${shipped(r)}`,
      method:
        `pool-recorded miningcore networkDifficulty ${poolDifficulty} x 2^32 (miningcore keeps D / 2^32); ` +
        'time taken as UTC (miningcore stores UTC; the file does not say)',
      ...ergEraFlags(height),
    };
  });
}
