import type { Coin, Fleet } from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import type { ReferenceData } from '../domain/reference.ts';
import type { Highs } from '../solve/highs.ts';
import type { HistoryReader } from './history.ts';
import { COINS } from '../domain/types.ts';
import { byCoin } from '../domain/coins.ts';
import { leaveOneOut, MARKET_LIMITS, type LeaveOneOut } from '../analysis/market-series.ts';
import type { RentalTable } from '../analysis/rental-tables.ts';
import type { NetworkDifficultyHistory } from '../store/network-history.ts';
import { addDays } from '../lib/time.ts';
import { replay, type PolicyName, type PolicyResult, type ReplayResult } from './replay.ts';
import { backtestDays, chainHistoryUpTo, rentalTablesUpTo, shippedNetwork } from './backtest-market.ts';
import { InputError } from '../errors.ts';
import type { OnProgress } from '../lib/progress.ts';

export interface BacktestOptions {
  history: HistoryReader;
  /** Real network difficulty and heights (default: the shipped data/history/network). */
  network?: NetworkDifficultyHistory;
  reference: ReferenceData;
  config: Config;
  fleet: Fleet;
  highs: Highs;
  from: string;
  to: string;
  policies: readonly PolicyName[];
  /** Days replayed of all days in the window (a front end draws it; the engine draws nothing). */
  onProgress?: OnProgress;
}

/** An AI price table and the replayed days it priced. */
export interface AiTableUse {
  date: string;
  usedFrom: string;
  usedTo: string;
  offers: number;
  quotes: number;
  note: string;
}

/** What hysteresis saved (positive) or cost (negative) against the daily optimum over the same days. */
export interface HysteresisVsOptimum {
  days: number;
  netUsd: number;
  switchingSavedUsd: number;
  incomeForgoneUsd: number;
  movesAvoided: number;
}

/** Every policy over the days on which all of them ran, so their totals compare like for like. */
export interface CommonDays {
  from: string;
  to: string;
  days: number;
  byPolicy: { policy: PolicyName; netUsd: number; moves: number; switchingCostUsd: number }[];
}

export interface BacktestResult extends ReplayResult {
  fleet: string;
  commonDays: CommonDays | null;
  difficulty: {
    method: string;
    limits: typeof MARKET_LIMITS;
    leaveOneOut: Record<Coin, LeaveOneOut>;
  };
  aiTables: AiTableUse[];
  firstAiTable: string | null;
  hysteresisVsOptimum: HysteresisVsOptimum | null;
  priceSources: Record<Coin, string>;
  assumptions: string[];
}

export const DIFFICULTY_METHOD =
  `real difficulty: the newest real point on or before the day, used for up to ` +
  `${MARKET_LIMITS.maxCarryDays} days; past that (ERG: points months apart) the parity model, ` +
  `calibrated only on points dated on or before the day: since the coin's newest real point its ` +
  `revenue per hash moved as much as that of a coin with a real difficulty then and now (RVN), ` +
  `for at most ${MARKET_LIMITS.maxModelDays} days`;

function aiTableUses(tables: readonly RentalTable[], from: string, to: string): AiTableUse[] {
  return tables.flatMap((t, i) => {
    const until = tables[i + 1] ? addDays(tables[i + 1]!.date, -1) : to;
    const usedFrom = t.date > from ? t.date : from;
    const usedTo = until < to ? until : to;
    if (usedFrom > usedTo) return [];
    const note =
      t.marketplace.length === 0
        ? 'no marketplace quote: every card is priced at its hyperscaler equivalent less ' +
          'ai.discountToHyperscaler'
        : `${t.marketplace.length} RunPod quotes calibrate the cards without one`;
    return [{ date: t.date, usedFrom, usedTo, offers: t.cloud.length, quotes: t.marketplace.length, note }];
  });
}

function compare(opt: PolicyResult | undefined, hy: PolicyResult | undefined): HysteresisVsOptimum | null {
  if (!opt || !hy || opt.activeDays === 0) return null;
  return {
    days: opt.activeDays,
    netUsd: hy.totalNetUsd - opt.totalNetUsd,
    switchingSavedUsd: opt.switchingCostUsd - hy.switchingCostUsd,
    incomeForgoneUsd: opt.totalNetUsd + opt.switchingCostUsd - (hy.totalNetUsd + hy.switchingCostUsd),
    movesAvoided: opt.switches - hy.switches,
  };
}

function commonDays(policies: readonly PolicyResult[]): CommonDays | null {
  const sets = policies.map((p) => new Set(p.daily.map((d) => d.date)));
  const dates = (policies[0]?.daily ?? []).map((d) => d.date).filter((d) => sets.every((s) => s.has(d)));
  if (dates.length === 0) return null;
  const on = new Set(dates);
  return {
    from: dates[0]!,
    to: dates.at(-1)!,
    days: dates.length,
    byPolicy: policies.map((p) => {
      const ds = p.daily.filter((d) => on.has(d.date));
      return {
        policy: p.policy,
        netUsd: ds.reduce((a, d) => a + d.netUsd, 0),
        moves: ds.reduce((a, d) => a + d.moved, 0),
        switchingCostUsd: ds.reduce((a, d) => a + d.switchingUsd, 0),
      };
    }),
  };
}

const pct = (x: number) => `${x.toFixed(1)}%`;

/** One line on the difficulty rule's leave-one-out error for a coin. */
export function looLine(l: LeaveOneOut): string {
  if (l.n === 0) return `${l.coin}: no real point could be predicted from earlier ones (to ${l.to}).`;
  return (
    `${l.coin}: leave-one-out over ${l.n} real points to ${l.to} (${l.byMethod.parity} by the parity ` +
    `model, ${l.byMethod.carried} carried): median |error| ${pct(l.medianAbsErrorPct)}, mean ` +
    `${pct(l.meanAbsErrorPct)}, max ${pct(l.maxAbsErrorPct)}; carrying the previous point instead: median ` +
    `${pct(l.baseline.medianAbsErrorPct)}, mean ${pct(l.baseline.meanAbsErrorPct)}, max ` +
    `${pct(l.baseline.maxAbsErrorPct)}.`
  );
}

function assumptions(r: Omit<BacktestResult, 'assumptions'>): string[] {
  const ai = r.firstAiTable
    ? `AI rental prices on day t come from the newest price table dated on or before t (AWS/Azure ` +
      `offers and RunPod quotes), never a later one; policies that need AI prices start with the ` +
      `first table, ${r.firstAiTable}.`
    : 'No AI price table is dated on or before the last day: policies that need AI prices are refused.';
  return [
    `Network difficulty: ${r.difficulty.method}.`,
    ...COINS.map((c) => `Difficulty check, ${looLine(r.difficulty.leaveOneOut[c])}`),
    ai,
    `Coin prices: the newest daily close on or before each day, at most ` +
      `${MARKET_LIMITS.maxPriceAgeDays} days old.`,
    'Heights: the newest real height on or before the day plus elapsed time at the target block time; ' +
      'RVN checkpoint times are estimates (interpolated in height between dated anchors, +-1 day).',
    'A day without the inputs a policy needs refuses that policy for the day (reasons under `refused`); ' +
      'a decision made on day t (data <= t) applies to day t+1.',
  ];
}

/** Replay the fleet over [from, to] on real prices, real network difficulty and dated AI price tables. */
export function runBacktest(o: BacktestOptions): BacktestResult {
  if (o.from > o.to) throw new InputError('--from', `${o.from} is after --to ${o.to}`);
  const network = o.network ?? shippedNetwork();
  const chain = chainHistoryUpTo(o.history, network, o.to);
  if (COINS.every((c) => chain.prices[c].length === 0))
    throw new InputError(
      'history',
      `no ${COINS.join(' or ')} price history on or before ${o.to}: run \`rigpivot import-history\``,
    );
  const tables = rentalTablesUpTo(o.history, o.reference, o.to);
  const days = backtestDays(chain, tables, o.from, o.to);
  if (days.every((d) => COINS.every((c) => d.market.missing[c]))) {
    const why = COINS.map((c) => `${c}: ${days[0]!.market.missing[c]}`).join('; ');
    throw new InputError('--from', `no coin has usable data in ${o.from}..${o.to} (on ${o.from}: ${why})`);
  }
  const r = replay({ ...o, days });
  const get = (p: PolicyName) => r.policies.find((x) => x.policy === p);
  const out: Omit<BacktestResult, 'assumptions'> = {
    ...r,
    fleet: o.fleet.name,
    commonDays: commonDays(r.policies),
    difficulty: {
      method: DIFFICULTY_METHOD,
      limits: MARKET_LIMITS,
      leaveOneOut: byCoin((c) => leaveOneOut(chain, c, o.to)),
    },
    aiTables: aiTableUses(tables, o.from, o.to),
    firstAiTable: tables[0]?.date ?? null,
    hysteresisVsOptimum: compare(get('daily-optimum'), get('hysteresis')),
    priceSources: byCoin((c) => chain.prices[c].at(-1)?.source ?? 'none'),
  };
  return { ...out, assumptions: assumptions(out) };
}
