import type {
  DeviceModel,
  MarketSnapshot,
  ModelIncome,
  SwitchingCost,
  Use,
  UseIncome,
} from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import { PAID_USES, byUse } from '../domain/uses.ts';
import { estimateMiningIncome, ineligible, type SiteEconomics } from './mining.ts';
import type { AiRate } from '../domain/ai.ts';
import { estimateAiIncome } from './ai.ts';

export interface IncomeInputs {
  model: DeviceModel;
  siteId: string;
  site: SiteEconomics;
  snapshot: MarketSnapshot;
  aiRate: AiRate | undefined;
  cmpPatched: boolean;
  cfg: Config;
}

const IDLE: UseIncome = {
  use: 'idle',
  eligible: true,
  revenueUsdPerDay: 0,
  powerCostUsdPerDay: 0,
  feesUsdPerDay: 0,
  netUsdPerDay: 0,
  wallPowerW: 0,
  detail: {},
};

/**
 * Selling has no per-day income of its own: its value is the resale now against holding the card, over a
 * horizon (engine/horizon.ts, and the allocation's sell option in engine/decide.ts).
 */
const SELL: UseIncome = ineligible(
  'sell',
  'selling is valued over a horizon (advise, income --horizon), not per day',
);

/** Per-use net income of one device at one site, with the best use and its margin over the runner-up. */
export function estimateModelIncome(x: IncomeInputs): ModelIncome {
  const uses: Record<Use, UseIncome> = byUse((u) =>
    u === 'AI'
      ? estimateAiIncome(x.model, x.aiRate, x.cmpPatched, x.site, x.cfg)
      : u === 'idle'
        ? IDLE
        : u === 'sell'
          ? SELL
          : estimateMiningIncome(x.model, x.snapshot.coins[u], x.site, x.cfg),
  );
  const ranked = (Object.values(uses) as UseIncome[])
    .filter((u) => u.eligible)
    .sort((a, b) => b.netUsdPerDay - a.netUsdPerDay);
  const best = ranked[0]!;
  const runnerUp = ranked[1] ?? best;
  return {
    modelId: x.model.id,
    modelName: x.model.name,
    siteId: x.siteId,
    uses,
    best: best.use,
    runnerUp: runnerUp.use,
    marginUsdPerDay: best.netUsdPerDay - runnerUp.netUsdPerDay,
  };
}

/** Net USD/day of a cell's devices split across uses (idle and ineligible uses earn nothing). */
export function allocationNetUsdPerDay(counts: Partial<Record<Use, number>>, income: ModelIncome): number {
  return PAID_USES.reduce(
    (a, u) => a + (counts[u] ?? 0) * (income.uses[u].eligible ? income.uses[u].netUsdPerDay : 0),
    0,
  );
}

/**
 * One-off cost of moving one device into a use: the downtime at that use's net (if positive) plus the fixed
 * cost, USD.
 */
export function switchCostUsdPerDevice(netUsdPerDay: number, s: SwitchingCost): number {
  return (s.downtimeHours / 24) * Math.max(0, netUsdPerDay) + s.fixedUsdPerGpu;
}
