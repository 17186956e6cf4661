import {
  COINS,
  type Coin,
  type DeviceModel,
  type CoinMarket,
  type UseIncome,
  type MiningProfile,
} from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import { SECONDS_PER_DAY, GIB } from '../lib/num.ts';
import { COIN_INFO } from '../domain/coins.ts';
import { COIN_RULES } from './coins.ts';
import { estimatePowerCostUsdPerDay } from './power.ts';

/**
 * Expected coins per day before fees. RVN: hashrate x 86400 x R / (D x 2^32) (Bitcoin-style difficulty);
 * ERG: hashrate x 86400 x R / D (difficulty = expected hashes per block); hashes per block: model/coins.ts.
 */
export function estimateCoinsPerDay(
  coin: Coin,
  hashrateMhs: number,
  difficulty: number,
  blockRewardCoins: number,
): number {
  if (!(hashrateMhs > 0)) throw new RangeError(`hashrate must be > 0 MH/s, got ${hashrateMhs}`);
  if (!(difficulty > 0)) throw new RangeError(`difficulty must be > 0, got ${difficulty}`);
  if (!(blockRewardCoins >= 0)) throw new RangeError(`block reward must be >= 0, got ${blockRewardCoins}`);
  const hashesPerBlock = COIN_RULES[coin].hashesPerBlock(difficulty);
  return (hashrateMhs * 1e6 * SECONDS_PER_DAY * blockRewardCoins) / hashesPerBlock;
}

/** Network hashrate implied by a difficulty, H/s: hashes per block / target block time (RVN: D x 2^32 / 60). */
export function estimateNetworkHashrate(coin: Coin, difficulty: number): number {
  const rules = COIN_RULES[coin];
  return rules.hashesPerBlock(difficulty) / rules.blockTimeS;
}

export interface MemoryFit {
  requiredGiB: number;
  usableGiB: number;
  /** usable - required; negative means it does not fit. */
  marginGiB: number;
  what: string;
}

const MIB = 2 ** 20;

/**
 * Whether a card holds what a miner of `coin` keeps in VRAM at `height`, as miners size it: the DAG or
 * table (COIN_RULES memoryAt) plus the coin's own overhead (config vram.overheadMiB) must fit in the
 * nominal VRAM less the driver reserve (vram.reserveMiB). Calibration: config/schema.ts, README "VRAM fit".
 */
export function estimateMemoryFit(
  coin: Coin,
  height: number,
  vramGiB: number,
  cfg: Config['vram'],
): MemoryFit {
  const { bytes, what } = COIN_RULES[coin].memoryAt(height);
  const overheadMiB = cfg.overheadMiB[coin];
  if (overheadMiB === undefined) throw new RangeError(`config vram.overheadMiB has no entry for ${coin}`);
  const requiredGiB = (bytes + overheadMiB * MIB) / GIB;
  const usableGiB = vramGiB - (cfg.reserveMiB * MIB) / GIB;
  return { requiredGiB, usableGiB, marginGiB: usableGiB - requiredGiB, what };
}

export interface SiteEconomics {
  tariffUsdPerKwh: number;
  pue: number;
}

/** One miner's day: hashrate and power, the coin's market, the site and the mining assumptions. */
export interface MiningDayInputs extends SiteEconomics {
  coin: Coin;
  hashrateMhs: number;
  powerW: number;
  difficulty: number;
  blockRewardCoins: number;
  priceUsd: number;
  /** Fractions: pool fee and miner dev fee (taken off coins), uptime (fraction of the day hashing). */
  poolFee: number;
  minerDevFee: number;
  uptime: number;
}

export interface MiningDay {
  /** Coins per day kept after uptime, pool fee and dev fee. */
  coinsPerDay: number;
  /** Coins mined x price (after uptime, before fees). */
  revenueUsdPerDay: number;
  feesUsdPerDay: number;
  /** Device power x uptime x 24 h x tariff x PUE. */
  powerCostUsdPerDay: number;
  netUsdPerDay: number;
}

/**
 * The mining day rule shared by `income`/`advise` (per catalogue card) and `calc` (any hashrate):
 * revenue = coins/day x uptime x price; fees = revenue x (pool fee + dev fee); power = W x uptime x 24 h x
 * tariff x PUE; net = revenue - fees - power.
 */
export function estimateMiningDay(x: MiningDayInputs): MiningDay {
  const grossCoins = estimateCoinsPerDay(x.coin, x.hashrateMhs, x.difficulty, x.blockRewardCoins) * x.uptime;
  const revenue = grossCoins * x.priceUsd;
  const feeShare = x.poolFee + x.minerDevFee;
  const fees = revenue * feeShare;
  const powerCost = estimatePowerCostUsdPerDay(x.powerW * x.uptime, x.tariffUsdPerKwh, x.pue);
  return {
    coinsPerDay: grossCoins * (1 - feeShare),
    revenueUsdPerDay: revenue,
    feesUsdPerDay: fees,
    powerCostUsdPerDay: powerCost,
    netUsdPerDay: revenue - fees - powerCost,
  };
}

export function miningProfile(model: DeviceModel, coin: Coin): MiningProfile | null {
  return model[COIN_INFO[coin].algorithm];
}

/** Net income of one device mining `coin` for a day at a site. */
export function estimateMiningIncome(
  model: DeviceModel,
  market: CoinMarket,
  site: SiteEconomics,
  cfg: Config,
): UseIncome {
  const coin = market.coin;
  const profile = miningProfile(model, coin);
  const algo = COIN_INFO[coin].algorithm;
  if (!profile) {
    const mines = COINS.filter((c) => miningProfile(model, c)).map(
      (c) => `${COIN_INFO[c].algorithmName} (${c})`,
    );
    const reason =
      model.deviceClass === 'asic'
        ? `ASIC mines only ${mines.join(', ')}`
        : `no ${algo} profile: ${model.missing[algo] ?? 'not in the catalogue'}`;
    return ineligible(coin, reason);
  }
  const height = market.height.value;
  const fit = model.deviceClass === 'asic' ? null : estimateMemoryFit(coin, height, model.vramGiB, cfg.vram);
  if (fit && fit.marginGiB < 0) {
    return ineligible(
      coin,
      `${model.vramGiB} GiB card: ${fit.what} + miner overhead needs ${fit.requiredGiB.toFixed(2)} GiB, ` +
        `${fit.usableGiB.toFixed(2)} GiB usable`,
      { vramMarginGiB: round3(fit.marginGiB), heightBlock: height },
    );
  }
  const day = estimateMiningDay({
    coin,
    hashrateMhs: profile.hashrateMhs,
    powerW: profile.powerW,
    difficulty: market.difficulty.value,
    blockRewardCoins: market.blockRewardCoins.value,
    priceUsd: market.priceUsd.value,
    ...site,
    ...cfg.mining,
  });
  return {
    use: coin,
    eligible: true,
    revenueUsdPerDay: day.revenueUsdPerDay,
    feesUsdPerDay: day.feesUsdPerDay,
    powerCostUsdPerDay: day.powerCostUsdPerDay,
    netUsdPerDay: day.netUsdPerDay,
    wallPowerW: profile.powerW * site.pue,
    detail: {
      coinsPerDay: day.coinsPerDay,
      hashrateMhs: profile.hashrateMhs,
      devicePowerW: profile.powerW,
      vramMarginGiB: fit ? round3(fit.marginGiB) : null,
      memoryNeed: fit ? fit.what : 'ASIC (no VRAM gate)',
      heightBlock: height,
    },
  };
}

export function ineligible(
  use: UseIncome['use'],
  reason: string,
  detail: UseIncome['detail'] = {},
): UseIncome {
  return {
    use,
    eligible: false,
    reason,
    revenueUsdPerDay: 0,
    powerCostUsdPerDay: 0,
    feesUsdPerDay: 0,
    netUsdPerDay: 0,
    wallPowerW: 0,
    detail,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
