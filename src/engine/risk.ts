import type { EngineContext, SiteLike } from './decide.ts';
import { COINS, type DeviceModel, type ModelIncome } from '../domain/types.ts';
import type { HistoryReader } from './history.ts';
import type { NetworkDifficultyHistory } from '../store/network-history.ts';
import { computeIncomeTable, modelsWith } from './decide.ts';
import { dailyRevenuePerHashChanges, estimateRisk, type RiskResult } from '../analysis/risk.ts';
import { buildMarketDays, type ChainHistory } from '../analysis/market-series.ts';
import { chainHistoryUpTo, shippedNetwork } from './backtest-market.ts';
import { addDays } from '../lib/time.ts';
import { InputError } from '../errors.ts';
import { PAID_USES } from '../domain/uses.ts';
import { RISK_DEFAULTS } from './names.ts';
import type { OnProgress } from '../lib/progress.ts';

export interface RiskRequest {
  paths?: number;
  horizonDays?: number;
  blockDays?: number;
  seed?: number;
  windowYears?: number;
  /** Steps done of all (the paths, then one per model); never part of an API request. */
  onProgress?: OnProgress;
}

export { RISK_DEFAULTS };

/** P10/P50/P90 of net income per device over the horizon for each model at `site`, from today's snapshot. */
export function computeRisk(
  ctx: EngineContext,
  history: HistoryReader,
  site: SiteLike,
  req: RiskRequest = {},
  models: Map<string, DeviceModel> = modelsWith(ctx.reference),
): RiskResult & { snapshotId: string; site: SiteLike } {
  const incomes = computeIncomeTable(ctx, site, models).filter((m) =>
    PAID_USES.some((u) => m.uses[u].eligible),
  );
  return { ...computeRiskFor(ctx, history, incomes, req), snapshotId: ctx.snapshot.id, site };
}

/** The newest day on or before `to` on which every coin has its own day's price (null: none). */
function lastJointPriceDay(chain: ChainHistory): string | null {
  const sets = COINS.map((c) => new Set(chain.prices[c].map((p) => p.date)));
  return chain.prices[COINS[0]].findLast((p) => sets.every((s) => s.has(p.date)))?.date ?? null;
}

/** The same bands for given per-device incomes (e.g. each cell of a fleet decision). */
export function computeRiskFor(
  ctx: EngineContext,
  history: HistoryReader,
  incomes: ModelIncome[],
  req: RiskRequest = {},
  network: NetworkDifficultyHistory = shippedNetwork(),
): RiskResult {
  // Absent or undefined fields take the defaults (a spread would let `horizonDays: undefined` through).
  const given = Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined)) as RiskRequest;
  const r = { ...RISK_DEFAULTS, ...given };
  const chain = chainHistoryUpTo(history, network, ctx.date ?? ctx.snapshot.date);
  const last = lastJointPriceDay(chain);
  if (!last)
    throw new InputError(
      'history',
      `no day with prices for all of ${COINS.join(', ')}: run \`rigpivot import-history\``,
    );
  const from = addDays(last, -Math.round(365 * r.windowYears));
  const changes = dailyRevenuePerHashChanges(buildMarketDays(chain, from, last));
  const n = changes[COINS[0]].length;
  if (n < Math.max(60, r.blockDays))
    throw new InputError(
      'history',
      `only ${n} days of joint revenue-per-hash changes in ${from}..${last}; need at least ` +
        `${Math.max(60, r.blockDays)}: run \`rigpivot import-history\` or choose a shorter --block`,
    );
  return estimateRisk(incomes, {
    returns: changes,
    returnsFrom: changes.from,
    returnsTo: changes.to,
    paths: r.paths,
    horizonDays: r.horizonDays,
    blockDays: r.blockDays,
    seed: r.seed,
    aiUtilisation: { mean: ctx.config.ai.utilisation, spread: ctx.config.ai.utilisationSpread },
    onProgress: req.onProgress,
  });
}
