import { COINS, type Coin, type ModelIncome } from '../domain/types.ts';
import { byCoin } from '../domain/coins.ts';
import { byPaidUse, type PaidUse } from '../domain/uses.ts';
import { mulberry32 } from '../lib/random.ts';
import { COIN_RULES } from '../model/coins.ts';
import type { MarketDay } from './market-series.ts';
import type { OnProgress } from '../lib/progress.ts';

/**
 * Monte Carlo of net income per GPU model and use over a horizon.
 *
 * Mining: revenue per hash, price x block reward / difficulty, moves by daily log-changes drawn from real
 * history (dailyRevenuePerHashChanges: real prices, real RVN difficulty, ERG by the backtest's parity
 * model between its real points), in blocks of `blockDays` consecutive days drawn at the same dates for
 * every coin, so prices and difficulty move jointly as they did (seeded). Nothing pulls a path back to
 * today's level. Mining net per day is (revenue - fees) x ratio_d - power, ratio_d = exp(sum of the drawn
 * changes to day d). AI: the rental price is held at today's value and utilisation, when `aiUtilisation`
 * is given, is drawn once per path uniformly within mean +- spread (clamped to 0-1) from its own seeded
 * stream, independent of the coins; AI net is linear in utilisation (the income model gives its two
 * ends). Rewards are held at today's value over the horizon. All stated in the output.
 */
export interface RiskOptions {
  /** Daily log-changes of revenue per hash per coin, aligned on the same days, oldest first. */
  returns: Record<Coin, Float64Array>;
  returnsFrom: string;
  returnsTo: string;
  paths: number;
  horizonDays: number;
  blockDays: number;
  seed: number;
  /** AI utilisation uncertainty; absent (or spread 0) holds AI net at today's value. */
  aiUtilisation?: { mean: number; spread: number };
  /** Steps done: the simulated paths, then one per model (label: the model). */
  onProgress?: OnProgress;
}

export interface UseBand {
  p10: number;
  p50: number;
  p90: number;
  mean: number;
}
export interface ModelRisk {
  modelId: string;
  siteId: string;
  /** Net USD per device over the horizon, per use; null when the use is not possible. */
  uses: Record<PaidUse, UseBand | null>;
  /** Share of paths in which AI rental nets more than the better mining use (null: AI or mining not possible). */
  pAiBeatsMining: number | null;
}

export interface RiskResult {
  paths: number;
  horizonDays: number;
  blockDays: number;
  seed: number;
  aiUtilisation: { mean: number; spread: number } | null;
  returnsWindow: { from: string; to: string; days: number };
  unit: string;
  models: ModelRisk[];
  assumptions: string[];
}

const fmtPct = (x: number) => `${Math.round(Math.min(1, Math.max(0, x)) * 100)}%`;

/** Simulated revenue-per-hash ratios to today per coin: paths x days, row-major. */
export function simulateRevenueRatios(o: RiskOptions): Record<Coin, Float64Array> {
  const n = o.returns[COINS[0]].length;
  for (const c of COINS)
    if (o.returns[c].length !== n)
      throw new RangeError(`returns: ${COINS.join(', ')} must be aligned (same length)`);
  if (n < o.blockDays) throw new RangeError(`returns: ${n} days is fewer than one block of ${o.blockDays}`);
  const rand = mulberry32(o.seed);
  const out = byCoin(() => new Float64Array(o.paths * o.horizonDays));
  const returns = COINS.map((c) => o.returns[c]);
  const ratios = COINS.map((c) => out[c]);
  const logRatio = new Float64Array(COINS.length);
  for (let p = 0; p < o.paths; p++) {
    logRatio.fill(0);
    let start = 0;
    const base = p * o.horizonDays;
    for (let d = 0; d < o.horizonDays; d++) {
      if (d % o.blockDays === 0) start = Math.floor(rand() * (n - o.blockDays + 1));
      const k = start + (d % o.blockDays);
      for (let c = 0; c < returns.length; c++) {
        logRatio[c]! += returns[c]![k]!;
        ratios[c]![base + d] = Math.exp(logRatio[c]!);
      }
    }
  }
  return out;
}

function quantile(sorted: Float64Array, q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i),
    hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

function band(values: Float64Array): UseBand {
  let s = 0;
  for (const v of values) s += v;
  const sorted = Float64Array.from(values).sort();
  return {
    p10: quantile(sorted, 0.1),
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    mean: s / values.length,
  };
}

/** Bands per model and use from today's incomes (per device per day) and simulated paths. */
/** One realised AI utilisation per path (a market condition shared by every model), or null when held flat. */
export function simulateUtilisation(
  o: Pick<RiskOptions, 'paths' | 'seed' | 'aiUtilisation'>,
): Float64Array | null {
  const u = o.aiUtilisation;
  if (!u || u.spread <= 0) return null;
  const rand = mulberry32((o.seed ^ 0x5bd1e995) | 0); // its own stream: adding it leaves the price paths unchanged
  const out = new Float64Array(o.paths);
  for (let p = 0; p < o.paths; p++) out[p] = Math.min(1, Math.max(0, u.mean + (2 * rand() - 1) * u.spread));
  return out;
}

function aiTotals(
  ai: ModelIncome['uses']['AI'],
  util: Float64Array | null,
  paths: number,
  H: number,
): Float64Array {
  const lo = ai.detail.netUsdPerDayAtZeroUtilisation,
    hi = ai.detail.netUsdPerDayAtFullUtilisation;
  if (!util || typeof lo !== 'number' || typeof hi !== 'number')
    return new Float64Array(paths).fill(ai.netUsdPerDay * H);
  const t = new Float64Array(paths);
  for (let p = 0; p < paths; p++) t[p] = (lo + util[p]! * (hi - lo)) * H;
  return t;
}

export function estimateRisk(incomes: ModelIncome[], o: RiskOptions): RiskResult {
  const total = incomes.length + 1;
  o.onProgress?.(0, total, 'paths');
  const ratios = simulateRevenueRatios(o);
  const util = simulateUtilisation(o);
  o.onProgress?.(1, total, 'paths');
  const H = o.horizonDays;
  const models = incomes.map((inc, i): ModelRisk => {
    o.onProgress?.(i + 1, total, inc.modelId);
    const totals: Record<PaidUse, Float64Array | null> = byPaidUse(() => null);
    for (const coin of COINS) {
      const u = inc.uses[coin];
      if (!u.eligible) continue;
      const rev = u.revenueUsdPerDay - u.feesUsdPerDay,
        cost = u.powerCostUsdPerDay;
      const r = ratios[coin],
        t = new Float64Array(o.paths);
      for (let p = 0; p < o.paths; p++) {
        let acc = 0;
        for (let d = p * H, end = d + H; d < end; d++) acc += rev * r[d]! - cost;
        t[p] = acc;
      }
      totals[coin] = t;
    }
    if (inc.uses.AI.eligible) totals.AI = aiTotals(inc.uses.AI, util, o.paths, H);
    let pAi: number | null = null;
    const mining = COINS.flatMap((c) => totals[c] ?? []);
    if (totals.AI && mining.length > 0) {
      let wins = 0;
      for (let p = 0; p < o.paths; p++) {
        let mine = -Infinity;
        for (const t of mining) mine = Math.max(mine, t[p]!);
        if (totals.AI[p]! > mine) wins++;
      }
      pAi = wins / o.paths;
    }
    return {
      modelId: inc.modelId,
      siteId: inc.siteId,
      uses: byPaidUse((u) => {
        const t = totals[u];
        return t && band(t);
      }),
      pAiBeatsMining: pAi,
    };
  });
  o.onProgress?.(total, total, 'done');
  return {
    paths: o.paths,
    horizonDays: H,
    blockDays: o.blockDays,
    seed: o.seed,
    aiUtilisation: util ? o.aiUtilisation! : null,
    returnsWindow: { from: o.returnsFrom, to: o.returnsTo, days: o.returns[COINS[0]].length },
    unit: `USD net per device over ${H} days`,
    models,
    assumptions: [
      `Mining: revenue per hash (price x block reward / difficulty) moves by blocks of ${o.blockDays} ` +
        `consecutive days (seed ${o.seed}) of its real daily log-changes ${o.returnsFrom}..${o.returnsTo} ` +
        `(${o.returns[COINS[0]].length} days), ${COINS.join(' and ')} drawn on the same dates; ` +
        "no reversion to today's level.",
      'Difficulty in that history: RVN real (KawPow era); ERG between its real points by the backtest ' +
        "parity model (its revenue per hash moves with RVN's), so ERG's own variability shows at its real " +
        'points only; days a block reward changed (halvings, ERG emission steps) are left out: scheduled, ' +
        'not random.',
      util
        ? "AI: rental price held at today's value (the dated rental price tables are months apart: " +
          'no daily changes to draw); utilisation drawn once per path uniformly in ' +
          `${fmtPct(o.aiUtilisation!.mean - o.aiUtilisation!.spread)}-` +
          `${fmtPct(o.aiUtilisation!.mean + o.aiUtilisation!.spread)} ` +
          '(ai.utilisation +- ai.utilisationSpread, assumed), independent of coin prices.'
        : "AI rental net held at today's value (rental price tables are months apart; " +
          'ai.utilisationSpread is 0).',
      "Block rewards held at today's value over the horizon.",
    ],
  };
}

/** ln(price x block reward / difficulty) of a coin on a market day, when its price is that day's own. */
function logRevenuePerHash(day: MarketDay, coin: Coin): { x: number; reward: number } | null {
  const c = day.coins[coin];
  if (c.missing || c.price!.asOf !== day.date) return null;
  const reward = COIN_RULES[coin].rewardAt(c.height!.value);
  return { x: Math.log((c.price!.value * reward) / c.difficulty!.value), reward };
}

/**
 * Daily log-changes of revenue per hash for every coin at once, over consecutive days on which every coin
 * has its own day's price and a difficulty; days a block reward changed are left out (scheduled steps).
 */
export function dailyRevenuePerHashChanges(
  days: readonly MarketDay[],
): Record<Coin, Float64Array> & { from: string; to: string } {
  const out = COINS.map((): number[] => []);
  const dates: string[] = [];
  for (let i = 1; i < days.length; i++) {
    const [a, b] = [days[i - 1]!, days[i]!];
    if ((Date.parse(b.date) - Date.parse(a.date)) / 86_400_000 !== 1) continue;
    const pairs = COINS.map((c) => [logRevenuePerHash(a, c), logRevenuePerHash(b, c)] as const);
    if (pairs.some(([x, y]) => !x || !y || x.reward !== y.reward)) continue;
    pairs.forEach(([x, y], c) => out[c]!.push(y!.x - x!.x));
    dates.push(b.date);
  }
  return {
    ...byCoin((c) => Float64Array.from(out[COINS.indexOf(c)]!)),
    from: dates[0] ?? '',
    to: dates.at(-1) ?? '',
  };
}
