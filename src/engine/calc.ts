import type { Coin, MarketSnapshot } from '../domain/types.ts';
import { estimateCoinsPerDay, estimateNetworkHashrate } from '../model/mining.ts';
import { estimatePowerCostUsdPerDay } from '../model/power.ts';
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
  poolFee: { value: number; origin: 'flag' | 'config' };
  powerW?: number;
  electricityUsdKwh: { value: number; origin: 'flag' | 'config' };
  pue?: number;
}

export interface CalcResult {
  coin: Coin;
  coinsPerDay: number;
  blockReward: number;
  revenueUsdPerDay: number;
  powerCostUsdPerDay: number;
  profitUsdPerDay: number;
  networkHashrateHs: number;
  snapshotDate: string;
  inputs: Record<string, CalcInput>;
}

/** Single-miner what-if (like WhatToMine): any input not given comes from the snapshot or our rules. */
export function calculate(req: CalcRequest, snapshot: MarketSnapshot): CalcResult {
  const m = snapshot.coins[req.coin];
  const fromSnap = (q: typeof m.priceUsd): CalcInput => ({
    value: q.value,
    unit: q.unit,
    origin: 'snapshot',
    asOf: q.asOf,
    source: q.source,
    kind: q.kind,
    ...(q.method ? { method: q.method } : {}),
  });
  const height: CalcInput =
    req.height !== undefined ? { value: req.height, unit: 'block', origin: 'flag' } : fromSnap(m.height);
  let reward: CalcInput;
  if (req.blockReward !== undefined)
    reward = { value: req.blockReward, unit: `${req.coin}/block`, origin: 'flag' };
  else if (req.height !== undefined) {
    reward = {
      value: COIN_RULES[req.coin].rewardAt(req.height),
      unit: `${req.coin}/block`,
      origin: 'rule',
      source: COIN_RULES[req.coin].rewardRule,
      kind: 'derived',
    };
  } else reward = fromSnap(m.blockRewardCoins);
  const difficulty =
    req.difficulty !== undefined
      ? { value: req.difficulty, unit: m.difficulty.unit, origin: 'flag' as const }
      : fromSnap(m.difficulty);
  const price =
    req.priceUsd !== undefined
      ? { value: req.priceUsd, unit: `USD/${req.coin}`, origin: 'flag' as const }
      : fromSnap(m.priceUsd);
  const powerW: CalcInput = {
    value: req.powerW ?? 0,
    unit: 'W',
    origin: req.powerW !== undefined ? 'flag' : 'config',
    ...(req.powerW === undefined ? { method: 'not given: power cost left out' } : {}),
  };
  const pue: CalcInput = {
    value: req.pue ?? 1,
    unit: 'facility W per IT W',
    origin: req.pue !== undefined ? 'flag' : 'config',
  };
  const gross = estimateCoinsPerDay(req.coin, req.hashrateMhs, difficulty.value, reward.value);
  const coinsPerDay = gross * (1 - req.poolFee.value);
  const revenue = coinsPerDay * price.value;
  const power = estimatePowerCostUsdPerDay(powerW.value, req.electricityUsdKwh.value, pue.value);
  return {
    coin: req.coin,
    coinsPerDay,
    blockReward: reward.value,
    revenueUsdPerDay: revenue,
    powerCostUsdPerDay: power,
    profitUsdPerDay: revenue - power,
    networkHashrateHs: estimateNetworkHashrate(req.coin, difficulty.value),
    snapshotDate: snapshot.date,
    inputs: {
      hashrateMhs: { value: req.hashrateMhs, unit: 'MH/s', origin: 'flag' },
      difficulty,
      blockReward: reward,
      height,
      priceUsd: price,
      poolFee: { value: req.poolFee.value, unit: 'fraction', origin: req.poolFee.origin },
      powerW,
      electricityUsdKwh: {
        value: req.electricityUsdKwh.value,
        unit: 'USD/kWh',
        origin: req.electricityUsdKwh.origin,
      },
      pue,
    },
  };
}
