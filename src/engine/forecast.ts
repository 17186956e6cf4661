import type { EngineContext, SiteLike } from './decide.ts';
import type { DeviceModel, Use } from '../domain/types.ts';
import { computeAiRates, incomeInputsFor, modelsWith } from './decide.ts';
import { estimateModelIncome } from '../model/income.ts';
import {
  advanceSnapshot,
  findCoinLossDates,
  findComingChanges,
  type ChainEvent,
  type CoinLoss,
} from '../analysis/forecast.ts';
import { PAID_USES, type PaidUse, byPaidUse } from '../domain/uses.ts';
import type { NetworkShare } from '../domain/decision.ts';
import { incomeInFleet } from './network.ts';

export interface IncomeOutlook {
  modelId: string;
  days: number;
  totalNetUsd: Record<PaidUse, number | null>;
  bestAtEnd: Use;
}
export interface Forecast {
  snapshotId: string;
  site: SiteLike;
  horizons: number[];
  events: ChainEvent[];
  losses: CoinLoss[];
  outlook: IncomeOutlook[];
  assumptions: string[];
}

/**
 * Known schedule changes, the date each model loses each coin, and per model the net income per use summed
 * over the next `horizons` days under flat prices and difficulty (rewards and eligibility follow the rules).
 * With a decision's `networks`, mining income is a card of the fleet's (engine/network.ts incomeInFleet).
 */
const held = (n: NetworkShare) =>
  `${n.coin} N ${(n.externalMhs / 1e6).toFixed(3)} TH/s, F ${(n.fleetMhs / 1e6).toFixed(3)} TH/s`;

export function computeForecast(
  ctx: EngineContext,
  site: SiteLike,
  horizons = [90, 180],
  models: Map<string, DeviceModel> = modelsWith(ctx.reference),
  networks?: readonly NetworkShare[],
): Forecast {
  const max = Math.max(...horizons);
  const sums = new Map<string, Record<PaidUse, number | null>>();
  const outlook: IncomeOutlook[] = [];
  const rates = computeAiRates(ctx, models); // rental prices are held flat: one estimate serves every day
  for (let d = 0; d < max; d++) {
    const snapshot = advanceSnapshot(ctx.snapshot, d);
    for (const model of models.values()) {
      const lone = estimateModelIncome(incomeInputsFor(ctx, site, model, rates, false, snapshot));
      const r = networks ? incomeInFleet(lone, snapshot, networks, ctx.config.mining.uptime) : lone;
      const s = sums.get(r.modelId) ?? byPaidUse(() => null);
      for (const u of PAID_USES) if (r.uses[u].eligible) s[u] = (s[u] ?? 0) + r.uses[u].netUsdPerDay;
      sums.set(r.modelId, s);
      if (horizons.includes(d + 1))
        outlook.push({ modelId: r.modelId, days: d + 1, totalNetUsd: { ...s }, bestAtEnd: r.best });
    }
  }
  return {
    snapshotId: ctx.snapshot.id,
    site,
    horizons,
    outlook,
    events: findComingChanges(ctx.snapshot, [...models.values()], ctx.config, max),
    losses: findCoinLossDates(ctx.snapshot, [...models.values()], ctx.config),
    assumptions: [
      "Prices, difficulty and AI rates held at the snapshot's values; heights advance at the observed " +
        'average block time; rewards and VRAM eligibility follow the protocol rules. A use that ' +
        'becomes impossible stops adding income that day.',
      networks
        ? "Mining income is a card of the fleet's: each coin pays B / (N + F) per effective MH/s, B its " +
          "issuance at the day's reward and price, with the other miners (N) and the fleet's allocation (F) " +
          `held as decided today (${networks.map(held).join('; ')}).`
        : "Mining income is a lone card's (no fleet given): the fleet share rule needs a fleet " +
          '(forecast --fleet).',
    ],
  };
}
