import type { Coin, Fleet, MarketSnapshot } from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import type { ReferenceData } from '../domain/reference.ts';
import type { Highs } from '../solve/highs.ts';
import type { HistoryReader } from './history.ts';
import {
  buildMarketDays,
  snapshotForDay,
  DEFAULT_TAU_DAYS,
  DIFFICULTY_CALIBRATION,
  type HashrateModel,
  type PricePoint,
} from '../analysis/market-series.ts';
import { replay, type PolicyName, type ReplayResult } from './replay.ts';
import { InputError } from '../errors.ts';

export interface BacktestOptions {
  history: HistoryReader;
  base: MarketSnapshot;
  reference: ReferenceData;
  config: Config;
  fleet: Fleet;
  highs: Highs;
  from: string;
  to: string;
  policies: readonly PolicyName[];
  tauDays?: number;
  levelFactor?: number;
}

export interface BacktestResult extends ReplayResult {
  fleet: string;
  hashrateModel: HashrateModel & { kind: 'assumed'; method: string };
  priceSources: Record<Coin, string>;
  assumptions: string[];
}

/** Daily coin prices from history, points dated up to `to` only. */
export function coinPrices(
  history: HistoryReader,
  to: string,
): { prices: Record<Coin, PricePoint[]>; sources: Record<Coin, string> } {
  const prices = {} as Record<Coin, PricePoint[]>;
  const sources = {} as Record<Coin, string>;
  for (const coin of ['RVN', 'ERG'] as const) {
    const rows = history.rows('coin.priceUsd', coin, '0000-01-01', to);
    prices[coin] = rows.map((r) => ({ date: r.date, value: r.value }));
    sources[coin] = rows.at(-1)?.source ?? 'none';
  }
  return { prices, sources };
}

export function hashrateModel(
  tauDays = DEFAULT_TAU_DAYS,
  levelFactor = 1,
): HashrateModel & { kind: 'assumed'; method: string } {
  return {
    tauDays,
    levelFactor,
    calibration: DIFFICULTY_CALIBRATION,
    kind: 'assumed',
    method:
      `network hashrate = level x EMA(${tauDays} d) of miners' USD revenue per day; level ` +
      `calibrated to ERG difficulty on ${DIFFICULTY_CALIBRATION.ERG.date} (node /info) and RVN ` +
      `difficulty of the ${DIFFICULTY_CALIBRATION.RVN.date} snapshot` +
      `${levelFactor !== 1 ? `, then x${levelFactor}` : ''}`,
  };
}

/** Replay the fleet over [from, to] on shipped/stored history with the hashrate model (an assumption). */
export function runBacktest(o: BacktestOptions): BacktestResult {
  if (o.from > o.to) throw new InputError('--from', `${o.from} is after --to ${o.to}`);
  const model = hashrateModel(o.tauDays, o.levelFactor);
  const { prices, sources } = coinPrices(o.history, o.to);
  for (const coin of ['RVN', 'ERG'] as const) {
    if (prices[coin].length === 0)
      throw new InputError(
        'history',
        `no ${coin} price history on or before ${o.to}: run \`rigpivot import-history\``,
      );
  }
  const days = buildMarketDays(prices, o.from, o.to, model).map((d) => ({
    date: d.date,
    snapshot: snapshotForDay(o.base, d, model, sources),
  }));
  if (days.every((d) => d.snapshot === null)) {
    const cover = (['RVN', 'ERG'] as const)
      .map((c) => `${c} ${prices[c][0]!.date}..${prices[c].at(-1)!.date}`)
      .join(', ');
    throw new InputError(
      '--from',
      `no day in ${o.from}..${o.to} has prices for both coins (history: ${cover}); choose --from/--to ` +
        `inside both ranges`,
    );
  }
  const r = replay({
    days,
    fleet: o.fleet,
    reference: o.reference,
    config: o.config,
    highs: o.highs,
    policies: o.policies,
  });
  return {
    ...r,
    fleet: o.fleet.name,
    hashrateModel: model,
    priceSources: sources,
    assumptions: [
      `Difficulty is modelled (${model.method}); no real difficulty history is available.`,
      `AI rental and cloud prices are held at the ${o.base.id} snapshot's values for every replayed ` +
        `day (no daily rental-price history exists).`,
      `Coin prices are the last daily close on or before each day, at most 45 days old; days without ` +
        `both coins are skipped.`,
      'Heights and rewards follow the protocol rules from the chain anchors; a decision made on day t ' +
        '(data <= t) applies to day t+1.',
    ],
  };
}
