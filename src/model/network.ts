/**
 * The fleet moves the network. Once difficulty retargets, a coin pays its miners a fixed amount a day
 * (blocks per day x block reward x price) shared in proportion to hashrate, so a fleet hashing F on a
 * network whose other miners hash N earns
 *
 *   R(F) = kept x B x F / (N + F)        (B = issued USD/day, kept = 1 - pool fee - miner dev fee)
 *
 * which is concave in F: each added card earns less than the one before. For F << N this is the linear
 * per-card answer (B / N per MH/s); at F = N every card earns half of what a lone card would. Hashrates
 * here are effective (uptime included), MH/s. Pure functions only.
 */
import type { Coin, CoinMarket } from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import { SECONDS_PER_DAY } from '../lib/num.ts';
import { formatNumber } from '../lib/format.ts';
import { COIN_RULES } from './coins.ts';
import { estimateNetworkHashrate } from './mining.ts';

export interface NetworkTerms {
  coin: Coin;
  /** What the protocol issues to all the coin's miners, USD/day: blocks/day x reward x price, before fees. */
  issuedUsdPerDay: number;
  /** Share of mining revenue a miner keeps after pool and miner dev fees. */
  keptShare: number;
  /** Hashrate of everyone but the fleet, MH/s. */
  externalMhs: number;
}

export interface RevenueSegment {
  fromMhs: number;
  toMhs: number;
  /** Revenue per MH/s of fleet hashrate added within the segment (secant slope), USD/day, after fees. */
  usdPerMhsDay: number;
}

export interface SegmentedRevenue {
  segments: RevenueSegment[];
  /** Largest amount by which the segments understate R(F) anywhere on [0, maxMhs], USD/day. */
  maxGapUsdPerDay: number;
}

/** Default largest ratio between the slopes of two consecutive segments (1 % steps in marginal revenue). */
export const SEGMENT_SLOPE_STEP = 1.01;
/** Default cap on segments per coin (reached only when the fleet could exceed ~145x the network). */
export const MAX_SEGMENTS = 1000;

function check(t: NetworkTerms): void {
  if (!(t.externalMhs > 0))
    throw new RangeError(`${t.coin}: external network hashrate must be > 0 MH/s, got ${t.externalMhs}`);
  if (!(t.issuedUsdPerDay >= 0) || !Number.isFinite(t.issuedUsdPerDay))
    throw new RangeError(`${t.coin}: issued USD/day must be a finite number >= 0, got ${t.issuedUsdPerDay}`);
  if (!(t.keptShare >= 0 && t.keptShare <= 1))
    throw new RangeError(`${t.coin}: kept share must be in [0, 1], got ${t.keptShare}`);
}

/** R(F): the fleet's revenue after fees from `fleetMhs` of effective hashrate, USD/day. */
export function fleetRevenueUsdPerDay(t: NetworkTerms, fleetMhs: number): number {
  check(t);
  if (!(fleetMhs >= 0)) throw new RangeError(`${t.coin}: fleet hashrate must be >= 0 MH/s, got ${fleetMhs}`);
  return (t.keptShare * t.issuedUsdPerDay * fleetMhs) / (t.externalMhs + fleetMhs);
}

/** R'(F): revenue of one more MH/s at fleet hashrate F, USD/day per MH/s (kept B x N / (N + F)^2). */
export function marginalUsdPerMhsDay(t: NetworkTerms, fleetMhs: number): number {
  check(t);
  const g = t.externalMhs + fleetMhs;
  return (t.keptShare * t.issuedUsdPerDay * t.externalMhs) / (g * g);
}

/** R'(0): what one MH/s earns when the fleet is a negligible share (the linear, per-card answer). */
export function loneUsdPerMhsDay(t: NetworkTerms): number {
  return marginalUsdPerMhsDay(t, 0);
}

/**
 * R(F) on [0, maxMhs] as secant segments with breakpoints geometric in N + F, so consecutive slopes differ
 * by at most `slopeStep` (or as little as `maxSegments` allows). Secants are exact at the breakpoints and
 * never overstate revenue; the largest understatement is returned (closed form on each segment:
 * kept B N (sqrt(g_b) - sqrt(g_a))^2 / (g_a g_b), g = N + F).
 */
export function revenueSegments(
  t: NetworkTerms,
  maxMhs: number,
  slopeStep = SEGMENT_SLOPE_STEP,
  maxSegments = MAX_SEGMENTS,
): SegmentedRevenue {
  check(t);
  if (!(slopeStep > 1)) throw new RangeError(`slope step must be > 1, got ${slopeStep}`);
  if (!(maxMhs > 0)) return { segments: [], maxGapUsdPerDay: 0 };
  const n = t.externalMhs;
  const ratio = (n + maxMhs) / n;
  // Secant slopes are kB N / (g_k g_k+1): consecutive ones differ by the square of the breakpoint ratio.
  const count = Math.min(maxSegments, Math.max(1, Math.ceil((2 * Math.log(ratio)) / Math.log(slopeStep))));
  const kb = t.keptShare * t.issuedUsdPerDay;
  const segments: RevenueSegment[] = [];
  let maxGap = 0;
  let ga = n;
  for (let k = 1; k <= count; k++) {
    const gb = k === count ? n + maxMhs : n * ratio ** (k / count);
    segments.push({ fromMhs: ga - n, toMhs: gb - n, usdPerMhsDay: (kb * n) / (ga * gb) });
    maxGap = Math.max(maxGap, (kb * n * (Math.sqrt(gb) - Math.sqrt(ga)) ** 2) / (ga * gb));
    ga = gb;
  }
  return { segments, maxGapUsdPerDay: maxGap };
}

/** The segments' value of `fleetMhs` (filled in order, as an LP fills a concave function), USD/day. */
export function segmentedRevenueUsdPerDay(segments: readonly RevenueSegment[], fleetMhs: number): number {
  let total = 0;
  for (const s of segments) {
    if (fleetMhs <= s.fromMhs) break;
    total += (Math.min(fleetMhs, s.toMhs) - s.fromMhs) * s.usdPerMhsDay;
  }
  return total;
}

/** USD/day a coin issues to its miners at the market's reward and price (protocol block time). */
export function issuedUsdPerDay(market: CoinMarket): number {
  const blocksPerDay = SECONDS_PER_DAY / COIN_RULES[market.coin].blockTimeS;
  return blocksPerDay * market.blockRewardCoins.value * market.priceUsd.value;
}

export interface ExternalHashrate {
  /** Hashrate implied by the market's difficulty, MH/s (everyone, the fleet's current miners included). */
  impliedMhs: number;
  /** N: the implied hashrate less the fleet's current miners on the coin, MH/s. */
  externalMhs: number;
  /** How N was found, in words. */
  method: string;
  /** Set when the inputs contradict each other and N fell back to the implied hashrate. */
  warning?: string;
}

const THS = (mhs: number) => `${(mhs / 1e6).toFixed(3)} TH/s`;

/**
 * N for a coin: the hashrate implied by the difficulty (which already counts whatever the fleet mines
 * there today) less the fleet's current effective hashrate on the coin. When the fleet says it mines at
 * least the whole implied hashrate, the two inputs contradict each other: N falls back to the implied
 * hashrate (the lower revenue of the two readings) with a warning.
 */
export function externalHashrate(market: CoinMarket, fleetCurrentMhs: number): ExternalHashrate {
  const coin = market.coin;
  const impliedMhs = estimateNetworkHashrate(coin, market.difficulty.value) / 1e6;
  const d = market.difficulty;
  const base =
    `${coin} difficulty ${formatNumber(d.value)} (${d.kind}, as of ${d.asOf}) ` +
    `implies ${THS(impliedMhs)}`;
  if (fleetCurrentMhs < impliedMhs)
    return {
      impliedMhs,
      externalMhs: impliedMhs - fleetCurrentMhs,
      method:
        `${base}; less the fleet's current ${coin} miners (${THS(fleetCurrentMhs)}, uptime included), ` +
        'assumed to be in that difficulty already',
    };
  return {
    impliedMhs,
    externalMhs: impliedMhs,
    method: `${base}; taken as the hashrate of other miners`,
    warning:
      `the fleet file's current ${coin} miners (${THS(fleetCurrentMhs)}) are at least the whole network ` +
      `the difficulty implies (${THS(impliedMhs)}); the difficulty or the current allocation is wrong. ` +
      `Other miners are taken to hash the implied ${THS(impliedMhs)} (the lower-revenue reading).`,
  };
}

/** The terms of a coin's network for a fleet whose current miners hash `fleetCurrentMhs` there. */
export function networkTermsOf(
  market: CoinMarket,
  mining: Config['mining'],
  fleetCurrentMhs: number,
): { terms: NetworkTerms; external: ExternalHashrate } {
  const external = externalHashrate(market, fleetCurrentMhs);
  return {
    terms: {
      coin: market.coin,
      issuedUsdPerDay: issuedUsdPerDay(market),
      keptShare: 1 - mining.poolFee - mining.minerDevFee,
      externalMhs: external.externalMhs,
    },
    external,
  };
}
