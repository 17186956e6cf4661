import type { Coin, MarketSnapshot, Quantity } from '../domain/types.ts';
import { estimateHeight } from '../model/chain.ts';
import { COIN_RULES } from '../model/coins.ts';
import { byCoin, COIN_INFO } from '../domain/coins.ts';
import { estimateNetworkHashrate } from '../model/mining.ts';
import { addDays } from '../lib/time.ts';
import { COINS } from '../domain/types.ts';

/**
 * Daily market series for replays and risk, built only from data dated on or before each day.
 *
 * No real difficulty history exists in our data, so network hashrate is MODELLED (an assumption):
 * miners' revenue equilibrium with a lag. The USD paid to miners per day, U_t = price_t x reward(h_t) x
 * blocks/day, attracts hashrate H_t = level x EMA_tau(U)_t, i.e. hashrate follows revenue with a lag of
 * ~tau days and revenue per hash mean-reverts to 1/level. `level` is calibrated so the model reproduces
 * one observed (or snapshot) difficulty on its date. Difficulty follows from H (RVN: D = H x 60 / 2^32;
 * ERG: D = H x 120). Stored daily collections replace the model as they accumulate.
 */
export interface HashrateModel {
  tauDays: number;
  calibration: Record<Coin, { date: string; difficulty: number; source: string; hashPerUsdDay: number }>;
  levelFactor: number;
}

export const DEFAULT_TAU_DAYS = 30;

/**
 * Real and snapshot difficulty points that fix the model's level: hashPerUsdDay is
 * calibrateLevel() on the shipped price history (H/s per USD/day of miners' revenue, 90-day mean).
 */
export const DIFFICULTY_CALIBRATION: HashrateModel['calibration'] = {
  ERG: {
    date: '2022-09-05',
    difficulty: 2_465_921_113_260_032,
    source:
      'Ergo node /info at h=832,295, 2022-09-05 (ergo-mainnet-4.0.35 response in a public Go test mock)',
    hashPerUsdDay: 232_930_887.49842903,
  },
  RVN: {
    date: '2026-11-25',
    difficulty: 92_100,
    source: 'embedded snapshot 2026-11-25 (itself assumed by revenue parity; see data/SOURCES.md)',
    hashPerUsdDay: 665_827_894.7646953,
  },
};

export interface PricePoint {
  date: string;
  value: number;
}

export interface MarketDay {
  date: string;
  coins: Record<
    Coin,
    {
      priceUsd: number | null;
      priceAsOf: string | null;
      height: number;
      rewardCoins: number;
      difficulty: number | null;
      minersUsdPerDay: number | null;
    }
  >;
}

/** Blocks per day at the protocols' target spacing (the difficulty definitions use the same). */
const BLOCKS_PER_DAY: Record<Coin, number> = byCoin((c) => 86_400 / COIN_RULES[c].blockTimeS);
export const MAX_PRICE_GAP_DAYS = 45;

export function rewardAt(coin: Coin, height: number): number {
  return COIN_RULES[coin].rewardAt(height);
}

function difficultyFromHashrate(coin: Coin, hs: number): number {
  return hs / estimateNetworkHashrate(coin, 1);
}

/**
 * One entry per day from `from` to `to`: last price on or before the day (at most MAX_PRICE_GAP_DAYS old,
 * else null), height and reward by our rules, modelled difficulty. `prices` may hold points after `to`:
 * they are never read for an earlier day.
 */
export function buildMarketDays(
  prices: Record<Coin, PricePoint[]>,
  from: string,
  to: string,
  model: HashrateModel,
): MarketDay[] {
  const warmFrom = addDays(from, -model.tauDays * 4); // the EMA needs a run-in
  const days: string[] = [];
  for (let d = warmFrom; d <= to; d = addDays(d, 1)) days.push(d);
  const perCoin = {} as Record<Coin, MarketDay['coins'][Coin][]>;
  for (const coin of COINS) {
    const pts = [...prices[coin]].sort((a, b) => a.date.localeCompare(b.date));
    const alpha = 1 / Math.max(1, model.tauDays);
    let i = 0,
      last: PricePoint | null = null,
      ema: number | null = null;
    const level = model.calibration[coin].hashPerUsdDay * model.levelFactor;
    perCoin[coin] = days.map((day) => {
      while (i < pts.length && pts[i]!.date <= day) last = pts[i++]!;
      const prev = last as PricePoint | null;
      const fresh =
        prev && (Date.parse(day) - Date.parse(prev.date)) / 86_400_000 <= MAX_PRICE_GAP_DAYS ? prev : null;
      const height = estimateHeight(coin, `${day}T00:00:00Z`).value;
      const reward = rewardAt(coin, height);
      const u = fresh ? fresh.value * reward * BLOCKS_PER_DAY[coin] : null;
      if (u !== null) ema = ema === null ? u : ema + alpha * (u - ema);
      const difficulty = ema !== null ? difficultyFromHashrate(coin, level * ema) : null;
      return {
        priceUsd: fresh?.value ?? null,
        priceAsOf: fresh?.date ?? null,
        height,
        rewardCoins: reward,
        difficulty,
        minersUsdPerDay: u,
      };
    });
  }
  return days
    .map((date, k) => ({ date, coins: byCoin((c) => perCoin[c][k]!) }))
    .filter((d) => d.date >= from);
}

/**
 * level = H_cal / mean(U over the 90 days to the calibration date): network hash rate per USD/day of miners'
 * revenue. Computed once from the shipped history and stored as a model parameter (DIFFICULTY_CALIBRATION),
 * so a replayed day never reads prices dated after it; a test recomputes it.
 */
export function calibrateLevel(
  coin: Coin,
  pts: PricePoint[],
  cal: { date: string; difficulty: number },
): number | null {
  const sorted = [...pts].sort((a, b) => a.date.localeCompare(b.date));
  let last: PricePoint | null = null,
    i = 0,
    sum = 0,
    n = 0;
  for (let d = addDays(cal.date, -89); d <= cal.date; d = addDays(d, 1)) {
    while (i < sorted.length && sorted[i]!.date <= d) last = sorted[i++]!;
    if (!last) continue;
    sum += last.value * rewardAt(coin, estimateHeight(coin, `${d}T00:00:00Z`).value) * BLOCKS_PER_DAY[coin];
    n++;
  }
  return n === 0 ? null : estimateNetworkHashrate(coin, cal.difficulty) / (sum / n);
}

/**
 * A MarketSnapshot for one replayed day: modelled coin markets, and the base snapshot's cloud and
 * marketplace prices held flat (no daily rental-price history exists; labelled as an assumption).
 */
export function snapshotForDay(
  base: MarketSnapshot,
  day: MarketDay,
  model: HashrateModel,
  priceSource: Record<Coin, string>,
): MarketSnapshot | null {
  const coins = {} as MarketSnapshot['coins'];
  for (const coin of COINS) {
    const c = day.coins[coin];
    if (c.priceUsd === null || c.difficulty === null) return null;
    const q = (
      value: number,
      unit: string,
      kind: Quantity['kind'],
      source: string,
      method?: string,
    ): Quantity => ({ value, unit, asOf: day.date, kind, source, ...(method ? { method } : {}) });
    coins[coin] = {
      coin,
      priceUsd: { ...q(c.priceUsd, `USD/${coin}`, 'measured', priceSource[coin]), asOf: c.priceAsOf! },
      difficulty: q(
        c.difficulty,
        `difficulty (${COIN_INFO[coin].difficultyNote})`,
        'assumed',
        'rigpivot hashrate model',
        `revenue equilibrium, tau ${model.tauDays} d, level x${model.levelFactor}, calibrated to ${model.calibration[coin].difficulty} on ${model.calibration[coin].date}`,
      ),
      height: q(
        c.height,
        'block',
        'derived',
        'rigpivot chain anchors',
        'anchor height + elapsed time / average block time',
      ),
      blockRewardCoins: q(c.rewardCoins, `${coin}/block`, 'derived', COIN_RULES[coin].rewardRule),
    } as MarketSnapshot['coins'][Coin];
  }
  const held = (o: { kind: string; method?: string }) => ({
    kind: 'assumed' as const,
    method: `held at the ${base.id} snapshot's value for the replay (${o.kind}${o.method ? `; ${o.method}` : ''})`,
  });
  return {
    id: `replay-${day.date}`,
    date: day.date,
    coins,
    cloud: base.cloud.map((o) => ({ ...o, ...held(o) })),
    marketplace: base.marketplace.map((m) => ({ ...m, ...held(m) })),
    notes: [
      'Replayed day: coin prices from shipped history; difficulty from the hashrate model (assumed); AI rental prices held flat (assumed).',
    ],
  };
}
