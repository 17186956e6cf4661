import type { Coin, CoinMarket, Quantity } from '../domain/types.ts';
import type { ReferenceData } from '../domain/reference.ts';
import type { HistoryReader } from './history.ts';
import type { ReplayDay, ReplayMarket } from './replay.ts';
import { loadNetworkHistory, type NetworkDifficultyHistory } from '../store/network-history.ts';
import type { DifficultyPoint } from '../store/network-history-parse.ts';
import { COINS } from '../domain/types.ts';
import { byCoin, COIN_INFO } from '../domain/coins.ts';
import { COIN_RULES } from '../model/coins.ts';
import {
  buildMarketDays,
  chainHistory,
  type ChainHistory,
  type CoinDay,
  type DatedValue,
  type HeightObservation,
} from '../analysis/market-series.ts';
import {
  RENTAL_SERIES,
  rentalTableOn,
  rentalTables,
  type RentalRow,
  type RentalTable,
} from '../analysis/rental-tables.ts';

let network: NetworkDifficultyHistory | null = null;
/** The shipped network difficulty history (static files: read once per process). */
export function shippedNetwork(): NetworkDifficultyHistory {
  network ??= loadNetworkHistory();
  return network;
}

/**
 * The backtest's inputs, read only up to its last day `to`: daily coin prices (history), the real network
 * difficulty and heights (data/history/network via the store's loader), the dated AI price tables.
 */
export function chainHistoryUpTo(history: HistoryReader, network: NetworkDifficultyHistory, to: string) {
  const upTo = <T extends { date: string }>(xs: readonly T[]) => xs.filter((x) => x.date <= to);
  const usable: Record<Coin, readonly DifficultyPoint[]> = { RVN: network.rvnUsable, ERG: network.ergUsable };
  const withHeights: Record<Coin, readonly DifficultyPoint[]> = {
    RVN: [...network.series.rvnSamples, ...network.series.rvnHeaders],
    ERG: network.series.erg,
  };
  const heights = byCoin((c) =>
    upTo(withHeights[c]).flatMap((p): HeightObservation[] =>
      p.height !== undefined && p.time ? [{ time: p.time, height: p.height, source: p.source }] : [],
    ),
  );
  const first = byCoin((c) => usable[c][0]?.date ?? 'none');
  return chainHistory({
    prices: byCoin((c) =>
      history
        .rows('coin.priceUsd', c, '0000-01-01', to)
        .map((r) => ({ date: r.date, value: r.value, source: r.source })),
    ),
    difficulty: byCoin((c) =>
      upTo(usable[c]).map((p) => ({
        date: p.date,
        ...(p.time ? { time: p.time } : {}),
        difficulty: p.difficulty,
        source: p.source,
      })),
    ),
    heights,
    eraNote: {
      RVN: `KawPow era only: the usable RVN series starts ${first.RVN}`,
      ERG: `Autolykos2 past the post-fork reset: the usable ERG points start ${first.ERG}`,
    },
  });
}

/** The dated AI price tables in history, dated up to `to`, oldest first. */
export function rentalTablesUpTo(
  history: HistoryReader,
  reference: ReferenceData,
  to: string,
): RentalTable[] {
  const rows: RentalRow[] = history
    .series()
    .filter((s) => s.series in RENTAL_SERIES)
    .flatMap((s) => history.rows(s.series, s.key, '0000-01-01', to));
  return rentalTables(rows, new Set(reference.models.keys()));
}

function quantity(v: DatedValue, unit: string): Quantity {
  return { value: v.value, unit, asOf: v.asOf, kind: v.kind, source: v.source, method: v.method };
}

function coinMarket(coin: Coin, day: string, c: CoinDay): CoinMarket {
  const rules = COIN_RULES[coin];
  return {
    coin,
    priceUsd: quantity(c.price!, `USD/${coin}`),
    difficulty: quantity(c.difficulty!, `difficulty (${COIN_INFO[coin].difficultyNote})`),
    height: quantity(c.height!, 'block'),
    blockRewardCoins: {
      value: rules.rewardAt(c.height!.value),
      unit: `${coin}/block`,
      asOf: day,
      kind: 'derived',
      source: rules.rewardSource,
      method: rules.rewardRule,
    },
  };
}

/** A replayed day, with the date of every observation its inputs rest on (for the no-lookahead check). */
export interface BacktestDay extends ReplayDay {
  inputDates: string[];
}

function aiPart(
  tables: readonly RentalTable[],
  t: string,
): Pick<ReplayMarket, 'cloud' | 'marketplace'> & { missing?: string; table?: string } {
  const table = rentalTableOn(tables, t);
  if (!table)
    return {
      cloud: [],
      marketplace: [],
      missing: `no AI price table on or before the day (the first is dated ${tables[0]?.date ?? 'never'})`,
    };
  if (table.cloud.length === 0)
    return {
      cloud: [],
      marketplace: [],
      missing: `the AI price table of ${table.date} has no AWS/Azure offer for a GPU we can scale from`,
    };
  return { cloud: table.cloud, marketplace: table.marketplace, table: table.date };
}

/** One replay day per day from `from` to `to`, each from observations dated on or before it. */
export function backtestDays(
  chain: ChainHistory,
  tables: readonly RentalTable[],
  from: string,
  to: string,
): BacktestDay[] {
  return buildMarketDays(chain, from, to).map((d) => {
    const ai = aiPart(tables, d.date);
    const missing: ReplayMarket['missing'] = {};
    const coins: ReplayMarket['coins'] = {};
    const inputDates: string[] = ai.table ? [ai.table] : [];
    for (const c of COINS) {
      const x = d.coins[c];
      for (const v of [x.price, x.height, x.difficulty]) if (v) inputDates.push(...v.basis);
      if (x.missing) missing[c] = x.missing;
      else coins[c] = coinMarket(c, d.date, x);
    }
    if (ai.missing) missing.AI = ai.missing;
    const notes = [
      `Replayed day ${d.date}: coin markets from real prices, heights and difficulty dated on or before it` +
        `${ai.table ? `; AI rental prices from the table of ${ai.table}` : ''}.`,
    ];
    return {
      date: d.date,
      market: { coins, cloud: ai.cloud, marketplace: ai.marketplace, missing, notes },
      inputDates,
    };
  });
}
