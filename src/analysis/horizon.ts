import type { MarketSnapshot, ModelIncome, UseIncome } from '../domain/types.ts';
import { COINS } from '../domain/types.ts';
import { PAID_USES, type PaidUse } from '../domain/uses.ts';
import { estimateModelIncome, type IncomeInputs } from '../model/income.ts';
import { HOURS_PER_DAY } from '../lib/num.ts';
import { addDays } from '../lib/time.ts';
import { advanceSnapshot } from './forecast.ts';

/**
 * What one card can do over a horizon, valued in USD per card: keep mining each coin, re-host and rent
 * for AI, stay idle, or sell now. Pure: daily incomes come from the income model on the snapshot advanced
 * day by day (reward steps and VRAM cut-offs follow the protocol rules; prices and difficulty held flat).
 */
export const PATHS = [...COINS, 'AI', 'idle', 'sell'] as const;
export type Path = (typeof PATHS)[number];

/** One day of a use for one card: its net (null: not possible that day) and the energy cost inside it. */
export interface DayUse {
  netUsdPerDay: number;
  powerCostUsdPerDay: number;
}
export interface DailyIncome {
  date: string;
  uses: Record<PaidUse, DayUse | null>;
}

/** The snapshot on each day of the horizon: day 0 is the snapshot itself (share it across models). */
export function horizonSnapshots(snapshot: MarketSnapshot, days: number): MarketSnapshot[] {
  return Array.from({ length: days }, (_, d) => (d === 0 ? snapshot : advanceSnapshot(snapshot, d)));
}

/**
 * Per day of the horizon, each paid use's net for one card (`x.snapshot` is replaced day by day).
 * `revalue`, when given, turns the day's lone-card income into the one to use (e.g. mining valued at a
 * fleet's share of each network).
 */
export function projectDailyIncome(
  x: IncomeInputs,
  snapshots: readonly MarketSnapshot[],
  revalue?: (income: ModelIncome, snapshot: MarketSnapshot) => ModelIncome,
): DailyIncome[] {
  return snapshots.map((snapshot) => {
    const lone = estimateModelIncome({ ...x, snapshot });
    const r = revalue ? revalue(lone, snapshot) : lone;
    const day = (u: UseIncome): DayUse | null =>
      u.eligible ? { netUsdPerDay: u.netUsdPerDay, powerCostUsdPerDay: u.powerCostUsdPerDay } : null;
    return {
      date: snapshot.date,
      uses: Object.fromEntries(PAID_USES.map((u) => [u, day(r.uses[u])])) as DailyIncome['uses'],
    };
  });
}

/** The costs and values around a card that the income model does not hold. */
export interface HorizonTerms {
  /** The first day of the horizon (the decision date). */
  startDate: string;
  /** The card's share of its site's fixed costs (hosting, staff, rent), USD per day. */
  fixedUsdPerDay: number;
  /** Fraction of that share a sale saves (0: the site costs the same with one card less). */
  fixedAvoidableOnSale: number;
  /** kW at the meter of this card's draw that a take-or-pay minimum pays for anyway (0: no contract). */
  sunkKw: number;
  tariffUsdPerKwh: number;
  /** USD to move the card into an AI server (0 when it already sits in one). */
  rehostCapexUsd: number;
  /** Net resale value of the card if sold `day` days after the start (null: the model has no price). */
  resaleNetUsdAt: ((day: number) => number) | null;
  /** Why there is no resale value, when there is none. */
  resaleMissing?: string;
  /** Why a use is not possible (from the income model on the first day), shown when it never is. */
  reasons?: Partial<Record<PaidUse, string>>;
}

export interface PathValue {
  path: Path;
  possible: boolean;
  reason?: string;
  /** Net income over the horizon after energy and fees, with energy under take-or-pay counted as sunk. */
  incomeUsd: number;
  /** The part of incomeUsd that is energy the take-or-pay contract pays for anyway. */
  sunkEnergyUsd: number;
  capexUsd: number;
  /** Fixed-cost share carried over the horizon. */
  fixedUsd: number;
  /** Holding paths: the card's net resale at the horizon's end; sell: the net resale now. 0 if unknown. */
  resaleUsd: number;
  /** incomeUsd - capexUsd - fixedUsd + resaleUsd. */
  valueUsd: number;
  /** Days of the horizon the use was possible (a VRAM cut-off ends a coin early). */
  daysPossible: number;
  /** AI only: days of AI net to earn the capex back (null: never at this net; 0: already AI-ready). */
  paybackDays?: number | null;
}

export interface HorizonValuation {
  days: number;
  startDate: string;
  paths: Record<Path, PathValue>;
  /** The possible path of highest value. */
  best: Path;
  /** The holding path the sell date refers to: the best path other than selling now. */
  bestHold: Path;
  /** The day (0 = now) selling is worth most against holding on bestHold; null: not within the horizon. */
  sellDay: number | null;
  sellDate: string | null;
  notes: string[];
}

/** Energy a take-or-pay minimum pays for anyway out of one card's day, USD. */
function sunkUsd(day: DayUse, t: HorizonTerms): number {
  return Math.min(day.powerCostUsdPerDay, t.sunkKw * HOURS_PER_DAY * t.tariffUsdPerKwh);
}

/** A use's daily income over the horizon with sunk energy credited back; 0 on the days it is not possible. */
function dailyGain(daily: readonly DailyIncome[], use: PaidUse, t: HorizonTerms): number[] {
  return daily.map((d) => {
    const u = d.uses[use];
    return u ? u.netUsdPerDay + sunkUsd(u, t) : 0;
  });
}

function holdPath(path: Path, daily: readonly DailyIncome[], t: HorizonTerms, capexUsd: number): PathValue {
  const H = daily.length;
  const use = path === 'idle' ? null : (path as PaidUse);
  const gains = use ? dailyGain(daily, use, t) : daily.map(() => 0);
  const incomeUsd = gains.reduce((a, b) => a + b, 0);
  const sunkEnergyUsd = use ? daily.reduce((a, d) => a + (d.uses[use] ? sunkUsd(d.uses[use]!, t) : 0), 0) : 0;
  const daysPossible = use ? daily.filter((d) => d.uses[use] !== null).length : H;
  const fixedUsd = t.fixedUsdPerDay * H;
  const resaleUsd = t.resaleNetUsdAt ? t.resaleNetUsdAt(H) : 0;
  return {
    path,
    possible: daysPossible > 0,
    ...(daysPossible === 0
      ? { reason: (use && t.reasons?.[use]) ?? `${path} is not possible on any day of the horizon` }
      : {}),
    incomeUsd,
    sunkEnergyUsd,
    capexUsd,
    fixedUsd,
    resaleUsd,
    valueUsd: incomeUsd - capexUsd - fixedUsd + resaleUsd,
    daysPossible,
  };
}

function aiPath(daily: readonly DailyIncome[], t: HorizonTerms): PathValue {
  const v = holdPath('AI', daily, t, t.rehostCapexUsd);
  if (!v.possible) return { ...v, paybackDays: null };
  const perDay = v.incomeUsd / daily.length;
  const paybackDays = t.rehostCapexUsd === 0 ? 0 : perDay > 0 ? t.rehostCapexUsd / perDay : null;
  return { ...v, paybackDays };
}

function sellPath(t: HorizonTerms, H: number): PathValue {
  const fixedUsd = t.fixedUsdPerDay * (1 - t.fixedAvoidableOnSale) * H;
  const resaleUsd = t.resaleNetUsdAt ? t.resaleNetUsdAt(0) : 0;
  return {
    path: 'sell',
    possible: t.resaleNetUsdAt !== null,
    ...(t.resaleNetUsdAt === null ? { reason: t.resaleMissing ?? 'no resale price for this model' } : {}),
    incomeUsd: 0,
    sunkEnergyUsd: 0,
    capexUsd: 0,
    fixedUsd,
    resaleUsd,
    valueUsd: resaleUsd - fixedUsd,
    daysPossible: 0,
  };
}

/**
 * The day to sell: the t in [0, H] that maximises "hold on `path` until t, then sell" =
 * sum of the path's daily gain less the avoidable fixed cost over days before t, + net resale at t
 * (- the path's capex once t > 0). Null when no resale price or when the best t is the horizon's end.
 */
export function findSellDay(
  daily: readonly DailyIncome[],
  path: Path,
  t: HorizonTerms,
  capexUsd: number,
): number | null {
  if (!t.resaleNetUsdAt || path === 'sell') return null;
  const gains = path === 'idle' ? daily.map(() => 0) : dailyGain(daily, path as PaidUse, t);
  const avoidable = t.fixedUsdPerDay * t.fixedAvoidableOnSale;
  let best = 0;
  let bestValue = t.resaleNetUsdAt(0);
  let held = -capexUsd;
  for (let d = 1; d <= daily.length; d++) {
    held += gains[d - 1]! - avoidable;
    const v = held + t.resaleNetUsdAt(d);
    if (v > bestValue + 1e-9) {
      best = d;
      bestValue = v;
    }
  }
  return best === daily.length ? null : best;
}

/** Every path's value over the horizon `daily` covers, the best path, and when to sell. */
export function valuePaths(daily: readonly DailyIncome[], t: HorizonTerms): HorizonValuation {
  const H = daily.length;
  if (H === 0) throw new RangeError('a horizon needs at least one day');
  const paths = {
    ...(Object.fromEntries(COINS.map((c) => [c, holdPath(c, daily, t, 0)])) as Record<
      (typeof COINS)[number],
      PathValue
    >),
    AI: aiPath(daily, t),
    idle: holdPath('idle', daily, t, 0),
    sell: sellPath(t, H),
  };
  // idle is always possible, so each ranking has a candidate; ties keep the earlier path in PATHS
  const rank = (ps: readonly Path[]) =>
    ps.filter((p) => paths[p].possible).reduce((a, p) => (paths[p].valueUsd > paths[a].valueUsd ? p : a));
  const bestHold = rank(PATHS.filter((p) => p !== 'sell'));
  const best = rank(PATHS);
  const sellDay = findSellDay(daily, bestHold, t, paths[bestHold].capexUsd);
  const notes: string[] = [];
  if (!t.resaleNetUsdAt)
    notes.push(`No resale price (${t.resaleMissing ?? 'none'}): holding paths carry no value at the end.`);
  if (best === 'sell' && sellDay !== null && sellDay > 0)
    notes.push(`Holding on ${bestHold} until day ${sellDay}, then selling, is worth more than selling now.`);
  return {
    days: H,
    startDate: t.startDate,
    paths,
    best,
    bestHold,
    sellDay,
    sellDate: sellDay === null ? null : addDays(t.startDate, sellDay),
    notes,
  };
}
