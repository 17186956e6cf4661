import type { EngineContext, SiteLike } from './decide.ts';
import { COINS, type DeviceModel, type ModelIncome } from '../domain/types.ts';
import type { HistoryReader } from './history.ts';
import { computeIncomeTable, modelsWith } from './decide.ts';
import { alignedLogReturns, estimateRisk, type RiskResult } from '../analysis/risk.ts';
/** Days for hashrate to follow miners' revenue in the risk model. */
const DEFAULT_TAU_DAYS = 30;
import { addDays } from '../lib/time.ts';
import { InputError } from '../errors.ts';
import { byCoin } from '../domain/coins.ts';
import { PAID_USES } from '../domain/uses.ts';

export interface RiskRequest {
  paths?: number;
  horizonDays?: number;
  blockDays?: number;
  seed?: number;
  tauDays?: number;
  windowYears?: number;
}

export const RISK_DEFAULTS = {
  paths: 10_000,
  horizonDays: 30,
  blockDays: 10,
  seed: 1,
  tauDays: DEFAULT_TAU_DAYS,
  windowYears: 3,
} as const;

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

/** The same bands for given per-device incomes (e.g. each cell of a fleet decision). */
export function computeRiskFor(
  ctx: EngineContext,
  history: HistoryReader,
  incomes: ModelIncome[],
  req: RiskRequest = {},
): RiskResult {
  // Absent or undefined fields take the defaults (a spread would let `horizonDays: undefined` through).
  const given = Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined)) as RiskRequest;
  const r = { ...RISK_DEFAULTS, ...given };
  const to = ctx.date ?? ctx.snapshot.date;
  const prices = byCoin((c) => history.rows('coin.priceUsd', c, '0000-01-01', to));
  const dateSets = COINS.map((c) => new Set(prices[c].map((y) => y.date)));
  const lastJoint = prices[COINS[0]].findLast((x) => dateSets.every((s) => s.has(x.date)))?.date;
  if (!lastJoint)
    throw new InputError(
      'history',
      `no day with prices for all of ${COINS.join(', ')}: run \`rigpivot import-history\``,
    );
  const ret = alignedLogReturns(prices, addDays(lastJoint, -Math.round(365 * r.windowYears)), lastJoint);
  const nReturns = ret[COINS[0]].length;
  if (nReturns < Math.max(60, r.blockDays))
    throw new InputError(
      'history',
      `only ${nReturns} aligned daily returns in the window; need at least ${Math.max(60, r.blockDays)}: run \`rigpivot import-history\` or choose a shorter --block`,
    );
  return estimateRisk(incomes, {
    returns: ret,
    returnsFrom: ret.from,
    returnsTo: ret.to,
    paths: r.paths,
    horizonDays: r.horizonDays,
    blockDays: r.blockDays,
    tauDays: r.tauDays,
    seed: r.seed,
    aiUtilisation: { mean: ctx.config.ai.utilisation, spread: ctx.config.ai.utilisationSpread },
  });
}
