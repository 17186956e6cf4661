import type { Coin, MarketSnapshot, Quantity } from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import { estimateMiningDay, estimateNetworkHashrate } from '../model/mining.ts';
import { COIN_RULES } from '../model/coins.ts';

/** Where a calculator input came from. */
export interface CalcInput {
  value: number;
  unit: string;
  origin: 'flag' | 'snapshot' | 'rule' | 'config';
  asOf?: string;
  source?: string;
  kind?: string;
  method?: string;
}

export interface CalcRequest {
  coin: Coin;
  hashrateMhs: number;
  difficulty?: number;
  blockReward?: number;
  height?: number;
  priceUsd?: number;
  powerW?: number;
  /** Not given: the config value `income` uses (mining.*, defaultSite.*). */
  poolFee?: number;
  minerDevFee?: number;
  uptime?: number;
  electricityUsdKwh?: number;
  pue?: number;
}

export interface CalcResult {
  coin: Coin;
  /** Coins kept per day after uptime, pool fee and miner dev fee. */
  coinsPerDay: number;
  blockReward: number;
  /** Coins mined x price, after uptime, before fees (as `income`). */
  revenueUsdPerDay: number;
  /** Pool fee + miner dev fee, USD/day. */
  feesUsdPerDay: number;
  powerCostUsdPerDay: number;
  /** revenue - fees - power: `income`'s net for the same hashrate, power and site. */
  profitUsdPerDay: number;
  networkHashrateHs: number;
  snapshotDate: string;
  inputs: Record<string, CalcInput>;
}

/**
 * Single-miner what-if (like WhatToMine): any input not given comes from the snapshot or our rules, and
 * the assumptions (pool and dev fee, uptime, tariff, PUE) from config, so it agrees with `income` for the
 * same hashrate and power. It prices a hashrate, not a card: no VRAM gate.
 */
export function calculate(req: CalcRequest, snapshot: MarketSnapshot, cfg: Config): CalcResult {
  const market = marketInputs(req, snapshot);
  const s = settings(req, cfg);
  const powerW: CalcInput = {
    value: req.powerW ?? 0,
    unit: 'W',
    origin: req.powerW !== undefined ? 'flag' : 'config',
    ...(req.powerW === undefined ? { method: 'not given: power cost left out' } : {}),
  };
  const day = estimateMiningDay({
    coin: req.coin,
    hashrateMhs: req.hashrateMhs,
    powerW: powerW.value,
    difficulty: market.difficulty.value,
    blockRewardCoins: market.blockReward.value,
    priceUsd: market.priceUsd.value,
    tariffUsdPerKwh: s.electricityUsdKwh.value,
    pue: s.pue.value,
    poolFee: s.poolFee.value,
    minerDevFee: s.minerDevFee.value,
    uptime: s.uptime.value,
  });
  return {
    coin: req.coin,
    coinsPerDay: day.coinsPerDay,
    blockReward: market.blockReward.value,
    revenueUsdPerDay: day.revenueUsdPerDay,
    feesUsdPerDay: day.feesUsdPerDay,
    powerCostUsdPerDay: day.powerCostUsdPerDay,
    profitUsdPerDay: day.netUsdPerDay,
    networkHashrateHs: estimateNetworkHashrate(req.coin, market.difficulty.value),
    snapshotDate: snapshot.date,
    inputs: {
      hashrateMhs: { value: req.hashrateMhs, unit: 'MH/s', origin: 'flag' },
      ...market,
      powerW,
      ...s,
    },
  };
}

/** Difficulty, reward, height and price: the flag, else our rule (reward at --height), else the snapshot. */
function marketInputs(req: CalcRequest, snapshot: MarketSnapshot) {
  const m = snapshot.coins[req.coin];
  const fromSnap = (q: Quantity): CalcInput => ({
    value: q.value,
    unit: q.unit,
    origin: 'snapshot',
    asOf: q.asOf,
    source: q.source,
    kind: q.kind,
    ...(q.method ? { method: q.method } : {}),
  });
  const flag = (value: number | undefined, unit: string): CalcInput | null =>
    value !== undefined ? { value, unit, origin: 'flag' } : null;
  const rule: CalcInput | null =
    req.height === undefined
      ? null
      : {
          value: COIN_RULES[req.coin].rewardAt(req.height),
          unit: `${req.coin}/block`,
          origin: 'rule',
          source: COIN_RULES[req.coin].rewardRule,
          kind: 'derived',
        };
  return {
    difficulty: flag(req.difficulty, m.difficulty.unit) ?? fromSnap(m.difficulty),
    blockReward: flag(req.blockReward, `${req.coin}/block`) ?? rule ?? fromSnap(m.blockRewardCoins),
    height: flag(req.height, 'block') ?? fromSnap(m.height),
    priceUsd: flag(req.priceUsd, `USD/${req.coin}`) ?? fromSnap(m.priceUsd),
  };
}

/** The assumptions `income` uses: the flag if given, else config (mining.*, defaultSite.*). */
function settings(req: CalcRequest, cfg: Config) {
  const setting = (given: number | undefined, fallback: number, unit: string, key: string): CalcInput =>
    given !== undefined
      ? { value: given, unit, origin: 'flag' }
      : { value: fallback, unit, origin: 'config', source: `config ${key}` };
  const site = cfg.defaultSite;
  return {
    poolFee: setting(req.poolFee, cfg.mining.poolFee, 'fraction of coins', 'mining.poolFee'),
    minerDevFee: setting(req.minerDevFee, cfg.mining.minerDevFee, 'fraction of coins', 'mining.minerDevFee'),
    uptime: setting(req.uptime, cfg.mining.uptime, 'fraction of the day hashing', 'mining.uptime'),
    electricityUsdKwh: setting(
      req.electricityUsdKwh,
      site.tariffUsdPerKwh,
      'USD/kWh',
      'defaultSite.tariffUsdPerKwh',
    ),
    pue: setting(req.pue, site.pue, 'facility W per IT W', 'defaultSite.pue'),
  };
}
