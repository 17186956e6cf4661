import type { Coin } from '../domain/types.ts';
import { COINS } from '../domain/types.ts';
import { byCoin } from '../domain/coins.ts';
import { COIN_RULES } from '../model/coins.ts';
import { addDays } from '../lib/time.ts';

/**
 * Daily coin markets for replays and risk, built only from real observations dated on or before each day.
 *
 * Price: the newest daily close on or before the day, at most MARKET_LIMITS.maxPriceAgeDays old.
 * Height: the newest real height on or before the day plus the elapsed time at the protocol's target block
 * time. Difficulty: the newest real point on or before the day, carried at most maxCarryDays; past that
 * (ERG: its real points are months apart) the PARITY MODEL: since the coin's newest real point p, its
 * revenue per hash moved as much as that of a coin with a real difficulty on both days (GPU miners move
 * between the two coins until a hash earns alike on both):
 *   D_c(t) = D_c(p) x [U_c(t) / U_c(p)] x [(U_r(p) / D_r(p)) / (U_r(t) / D_r(t))],  U = price x block reward.
 * Calibrated only on points dated on or before t; its error on real points it did not see: leaveOneOut().
 * A coin without usable inputs on a day gets `missing` (the reason); nothing is filled silently.
 */
export const MARKET_LIMITS = {
  /** A daily close older than this is not a price for the day. */
  maxPriceAgeDays: 45,
  /** A real difficulty is used as is for this many days after its date. */
  maxCarryDays: 7,
  /** The parity model runs at most this long after the coin's newest real point (the longest gap in the
   * leave-one-out check, 2023-05-13..2023-10-29 on ERG, is 169 days). */
  maxModelDays: 180,
} as const;

export interface PricePoint {
  date: string;
  value: number;
  source?: string;
}

/** A real, usable difficulty observation (the coin's current algorithm, network in normal operation). */
export interface DifficultyObservation {
  date: string;
  time?: string;
  difficulty: number;
  source: string;
}

/** A real block height at a UTC time. */
export interface HeightObservation {
  time: string;
  height: number;
  source: string;
}

/** Real observations per coin, each list oldest first (chainHistory() sorts them). */
export interface ChainHistory {
  prices: Record<Coin, readonly PricePoint[]>;
  difficulty: Record<Coin, readonly DifficultyObservation[]>;
  heights: Record<Coin, readonly HeightObservation[]>;
  /** Why the usable difficulty series starts where it does, e.g. "KawPow era only: from 2020-05-08". */
  eraNote: Record<Coin, string>;
}

/** A value for one day with where it came from; `basis` holds the date of every real observation used. */
export interface DatedValue {
  value: number;
  asOf: string;
  kind: 'measured' | 'derived';
  source: string;
  method: string;
  basis: string[];
}

export interface CoinDay {
  price: DatedValue | null;
  height: DatedValue | null;
  difficulty: DatedValue | null;
  /** Why the coin cannot be used on this day; null when price, height and difficulty are all there. */
  missing: string | null;
}

export interface MarketDay {
  date: string;
  coins: Record<Coin, CoinDay>;
}

/** The same observations, sorted oldest first (by date, then time). */
export function chainHistory(h: ChainHistory): ChainHistory {
  const byDate = <T extends { date: string; time?: string }>(xs: readonly T[]) =>
    [...xs].sort((a, b) => a.date.localeCompare(b.date) || (a.time ?? '').localeCompare(b.time ?? ''));
  return {
    prices: byCoin((c) => byDate(h.prices[c])),
    difficulty: byCoin((c) => byDate(h.difficulty[c])),
    heights: byCoin((c) => [...h.heights[c]].sort((a, b) => a.time.localeCompare(b.time))),
    eraNote: h.eraNote,
  };
}

/** Index of the last element whose day (`dayOf`) is on or before `date` in a sorted list; -1: none. */
function lastOnOrBefore<T>(xs: readonly T[], date: string, dayOf: (x: T) => string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dayOf(xs[mid]!) <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

const DAY_MS = 86_400_000;
/** Whole days from one UTC day (YYYY-MM-DD) to another. */
const ageDays = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** The newest daily close on or before `t`, or why there is none. */
export function priceOn(h: ChainHistory, coin: Coin, t: string): DatedValue | string {
  const i = lastOnOrBefore(h.prices[coin], t, (p) => p.date);
  if (i < 0) return `no ${coin} price on or before the day`;
  const p = h.prices[coin][i]!;
  const age = ageDays(p.date, t);
  if (age > MARKET_LIMITS.maxPriceAgeDays)
    return `newest ${coin} price (${p.date}) is more than ${MARKET_LIMITS.maxPriceAgeDays} days old`;
  return {
    value: p.value,
    asOf: p.date,
    kind: 'measured',
    source: p.source ?? 'price history',
    method: age === 0 ? 'daily close' : `daily close of ${p.date}, held ${age} days`,
    basis: [p.date],
  };
}

/** Height at noon UTC of `t`: the newest real height on or before `t` + elapsed time / target block time. */
export function heightOn(h: ChainHistory, coin: Coin, t: string): DatedValue | string {
  const xs = h.heights[coin];
  const i = lastOnOrBefore(xs, t, (x) => x.time.slice(0, 10));
  if (i < 0) return `no real ${coin} height on or before the day`;
  const x = xs[i]!;
  const day = x.time.slice(0, 10);
  const age = ageDays(day, t);
  if (age > MARKET_LIMITS.maxModelDays)
    return `newest real ${coin} height (${day}) is more than ${MARKET_LIMITS.maxModelDays} days old`;
  const blockS = COIN_RULES[coin].blockTimeS;
  const elapsedS = Math.max(0, (Date.parse(`${t}T12:00:00Z`) - Date.parse(x.time)) / 1000);
  return {
    value: x.height + Math.floor(elapsedS / blockS),
    asOf: t,
    kind: 'derived',
    source: x.source,
    method: `real height ${x.height} at ${x.time} + time to ${t} 12:00 UTC / ${blockS} s target block time`,
    basis: [day],
  };
}

/** The newest real difficulty on or before `t` if at most maxCarryDays old (no model), or why not. */
function carriedDifficulty(
  points: readonly DifficultyObservation[],
  coin: Coin,
  t: string,
): DatedValue | string {
  const i = lastOnOrBefore(points, t, (p) => p.date);
  if (i < 0) return `no real ${coin} difficulty on or before the day`;
  const p = points[i]!;
  const age = ageDays(p.date, t);
  if (age > MARKET_LIMITS.maxCarryDays)
    return `newest real ${coin} difficulty (${p.date}) is more than ${MARKET_LIMITS.maxCarryDays} days old`;
  return {
    value: p.difficulty,
    asOf: p.date,
    kind: 'measured',
    source: p.source,
    method: age === 0 ? 'real difficulty of the day' : `real difficulty of ${p.date}, carried ${age} days`,
    basis: [p.date],
  };
}

/** USD per block to miners on day `t`: price x block reward at that day's height. */
function usdPerBlock(h: ChainHistory, coin: Coin, t: string): { usd: number; basis: string[] } | string {
  const price = priceOn(h, coin, t);
  if (typeof price === 'string') return price;
  const height = heightOn(h, coin, t);
  if (typeof height === 'string') return height;
  return {
    usd: price.value * COIN_RULES[coin].rewardAt(height.value),
    basis: [...price.basis, ...height.basis],
  };
}

const sig = (x: number) => Number(x.toPrecision(4));

/** The parity model for `coin` on day `t` from its real point `p` and the coin `ref`, or why not. */
function parityDifficulty(
  h: ChainHistory,
  coin: Coin,
  p: DifficultyObservation,
  ref: Coin,
  t: string,
): DatedValue | string {
  const refNow = carriedDifficulty(h.difficulty[ref], ref, t);
  const refThen = carriedDifficulty(h.difficulty[ref], ref, p.date);
  const uNow = usdPerBlock(h, coin, t);
  const uThen = usdPerBlock(h, coin, p.date);
  const rNow = usdPerBlock(h, ref, t);
  const rThen = usdPerBlock(h, ref, p.date);
  for (const x of [refNow, refThen, uNow, uThen, rNow, rThen]) if (typeof x === 'string') return x;
  const [dNow, dThen] = [refNow as DatedValue, refThen as DatedValue];
  const [cNow, cThen, qNow, qThen] = [uNow, uThen, rNow, rThen] as { usd: number; basis: string[] }[];
  const revenue = cNow!.usd / cThen!.usd;
  const refPerHash = qNow!.usd / dNow.value / (qThen!.usd / dThen.value);
  return {
    value: (p.difficulty * revenue) / refPerHash,
    asOf: t,
    kind: 'derived',
    source: `parity model on real ${coin} difficulty of ${p.date} (${p.source}) and real ${ref} difficulty`,
    method:
      `${coin}'s revenue per hash moves with ${ref}'s since ${p.date}: D ${sig(p.difficulty)} x ${coin} ` +
      `USD/block x${sig(revenue)} / ${ref} USD per hash x${sig(refPerHash)} (${ref} D of ${dThen.asOf} ` +
      `and ${dNow.asOf})`,
    basis: [p.date, ...dNow.basis, ...dThen.basis, ...cNow!.basis, ...cThen!.basis, ...qNow!.basis],
  };
}

/** Difficulty of `coin` on `t` from `points` (default: all its real ones): carried, modelled, or why not. */
export function difficultyOn(
  h: ChainHistory,
  coin: Coin,
  t: string,
  points: readonly DifficultyObservation[] = h.difficulty[coin],
): DatedValue | string {
  const carried = carriedDifficulty(points, coin, t);
  if (typeof carried !== 'string') return carried;
  const i = lastOnOrBefore(points, t, (p) => p.date);
  if (i < 0) return `${carried} (${h.eraNote[coin]})`;
  const p = points[i]!;
  const age = ageDays(p.date, t);
  if (age > MARKET_LIMITS.maxModelDays)
    return `${carried}, and more than ${MARKET_LIMITS.maxModelDays}: past the parity model's limit`;
  const why: string[] = [];
  for (const ref of COINS) {
    if (ref === coin) continue;
    const m = parityDifficulty(h, coin, p, ref, t);
    if (typeof m !== 'string') return m;
    why.push(`parity with ${ref}: ${m}`);
  }
  return `${carried} and the model cannot run (${why.join('; ') || 'no other coin'})`;
}

function coinDay(h: ChainHistory, coin: Coin, t: string): CoinDay {
  const [price, height, difficulty] = [priceOn(h, coin, t), heightOn(h, coin, t), difficultyOn(h, coin, t)];
  const reasons = [difficulty, price, height].filter((x): x is string => typeof x === 'string');
  const ok = (x: DatedValue | string) => (typeof x === 'string' ? null : x);
  return {
    price: ok(price),
    height: ok(height),
    difficulty: ok(difficulty),
    missing: reasons.length ? reasons.join('; ') : null,
  };
}

/** One entry per day from `from` to `to`; each day reads only observations dated on or before it. */
export function buildMarketDays(h: ChainHistory, from: string, to: string): MarketDay[] {
  const days: MarketDay[] = [];
  for (let t = from; t <= to; t = addDays(t, 1))
    days.push({ date: t, coins: byCoin((c) => coinDay(h, c, t)) });
  return days;
}

export interface ErrorStats {
  n: number;
  medianAbsErrorPct: number;
  meanAbsErrorPct: number;
  maxAbsErrorPct: number;
  /** Root mean square of ln(predicted / actual). */
  rmsLogError: number;
}

export interface LeaveOneOut extends ErrorStats {
  coin: Coin;
  to: string;
  /** How each prediction was made: counts per method. */
  byMethod: { carried: number; parity: number };
  /** Points the rule could not predict without them (no earlier point, or beyond the limits). */
  unpredicted: number;
  /** Carrying the previous real point forward without limit, on the same points. */
  baseline: ErrorStats & { method: string };
  points: {
    date: string;
    actual: number;
    predicted: number;
    method: 'carried' | 'parity';
    errorPct: number;
    baselineErrorPct: number;
  }[];
}

function stats(logErrors: number[]): ErrorStats {
  const pct = logErrors.map((e) => Math.abs(Math.expm1(e)) * 100).sort((a, b) => a - b);
  const n = pct.length;
  const mid = n >> 1;
  return {
    n,
    medianAbsErrorPct: n === 0 ? NaN : n % 2 ? pct[mid]! : (pct[mid - 1]! + pct[mid]!) / 2,
    meanAbsErrorPct: n === 0 ? NaN : pct.reduce((a, b) => a + b, 0) / n,
    maxAbsErrorPct: n === 0 ? NaN : pct[n - 1]!,
    rmsLogError: n === 0 ? NaN : Math.sqrt(logErrors.reduce((a, e) => a + e * e, 0) / n),
  };
}

/**
 * Leave-one-out check of the difficulty rule on `coin`'s real points dated on or before `to`: each point is
 * predicted by difficultyOn() on its own day from every other point dated on or before it (so only from
 * what a decision that day could have seen, less the point itself), then compared with its real value.
 */
export function leaveOneOut(h: ChainHistory, coin: Coin, to: string): LeaveOneOut {
  const all = h.difficulty[coin];
  const points: LeaveOneOut['points'] = [];
  let unpredicted = 0;
  for (let i = 0; i < all.length && all[i]!.date <= to; i++) {
    const p = all[i]!;
    const others = all.filter((_, k) => k !== i && all[k]!.date <= p.date);
    // nor its height, where the point came with one (a header)
    const unseen: ChainHistory = p.time
      ? {
          ...h,
          heights: byCoin((c) => (c === coin ? h.heights[c].filter((x) => x.time !== p.time) : h.heights[c])),
        }
      : h;
    const pred = difficultyOn(unseen, coin, p.date, others);
    if (typeof pred === 'string' || others.length === 0) {
      unpredicted++;
      continue;
    }
    const prev = others.at(-1)!.difficulty;
    points.push({
      date: p.date,
      actual: p.difficulty,
      predicted: pred.value,
      method: pred.kind === 'measured' ? 'carried' : 'parity',
      errorPct: (pred.value / p.difficulty - 1) * 100,
      baselineErrorPct: (prev / p.difficulty - 1) * 100,
    });
  }
  return {
    coin,
    to,
    ...stats(points.map((x) => Math.log(x.predicted / x.actual))),
    byMethod: {
      carried: points.filter((x) => x.method === 'carried').length,
      parity: points.filter((x) => x.method === 'parity').length,
    },
    unpredicted,
    baseline: {
      method: 'the previous real point carried forward (no limit, no model)',
      ...stats(points.map((x) => Math.log1p(x.baselineErrorPct / 100))),
    },
    points,
  };
}
