import type { Use, UseIncome } from '../domain/types.ts';
import type { AdviceFragility, BreakEven, DifficultyBreakEven, Sensitivity } from '../domain/analysis.ts';
import type { ChainEvent } from '../analysis/forecast.ts';
import type { FreshnessTier } from '../analysis/freshness.ts';
import type { HorizonPlan, InputRow, NetworkShare, ResaleProjection } from '../domain/decision.ts';
import type { AiRateSummary } from '../domain/ai.ts';
import type { RiskResult } from '../analysis/risk.ts';
import type { MovesSummary } from '../domain/moves.ts';
import { type PaidUse } from '../domain/uses.ts';
import type { DisplayCurrency } from '../domain/currency.ts';
import type { Path } from '../analysis/horizon.ts';

export type UseCounts = Record<Use, number>;

/** Keep / move / sell over the horizon: the fleet's plan and one row per fleet cell. */
export interface ReportPlan extends HorizonPlan {
  rows: {
    site: string;
    model: string;
    cmpPatched: boolean;
    count: number;
    mining: number;
    aiReady: number;
    rehosted: number;
    idle: number;
    sold: number;
    resaleNowUsdPerCard: number | null;
    /** How far that price is projected past its last observation (null: no price; absent in old reports). */
    resaleProjection?: ResaleProjection | null;
    cashFromSalesUsd: number;
    capexUsd: number;
    netUsd: number;
    /** From the per-path valuation: re-hosting payback (0: AI-ready; null: never) and the day to sell. */
    paybackDays: number | null;
    sellDate: string | null;
    /** One card's value over the horizon on each path (null: not possible); absent in older reports. */
    pathValueUsdPerCard?: Record<Path, number | null>;
  }[];
}

export interface ReportInput extends InputRow {
  tier: FreshnessTier;
}

export interface ReportModelRow {
  site: string;
  model: string;
  name: string;
  cmpPatched: boolean;
  /** Nominal VRAM (null: not a GPU); the memory chart applies the table's usable-VRAM rule to it. */
  vramGiB?: number | null;
  count: number;
  current: UseCounts;
  recommended: UseCounts;
  uses: Record<
    Use,
    Pick<
      UseIncome,
      'eligible' | 'reason' | 'revenueUsdPerDay' | 'powerCostUsdPerDay' | 'feesUsdPerDay' | 'netUsdPerDay'
    >
  >;
  best: Use;
  runnerUp: Use;
  marginUsdPerDay: number;
}

export interface HistoryPoint {
  date: string;
  /** Count-weighted mean revenue per device per day over the fleet's cards eligible for each use. */
  revenueUsdPerGpuDay: Record<PaidUse, number | null>;
  netUsdPerDay: number;
}

/** Everything a report shows; report.json is this object. Renderers only format it. */
export interface ReportData {
  version: 1;
  date: string;
  generatedAt: string;
  fleet: string;
  snapshotId: string;
  /**
   * First lines of every rendering: each approximate, assumed or not-fresh input whose move to its
   * break-even would change the advice (with its value, kind, age and that break-even), then the
   * assumptions the advice rests on that the user did not state (e.g. uncapped AI demand). Empty: none.
   */
  warnings: string[];
  /**
   * What to do first: the moves (largest effect first), the one gain figure (after switching cost) and a
   * reason for every choice the per-model table does not explain (absent in reports written before it).
   */
  moves?: MovesSummary;
  headline: {
    devices: number;
    netUsdPerDay: number;
    netUsdPerDevicePerDay: number;
    switchingUsdPerDay: number;
    moved: number;
    byUse: UseCounts;
    bySite: {
      site: string;
      counts: UseCounts;
      powerUsedKw: number;
      powerCapKw: number;
      shadowUsdPerKwDay: number;
    }[];
    previous: { date: string; netUsdPerDay: number; byUse: UseCounts } | null;
  };
  models: ReportModelRow[];
  breakEvens: { site: string; model: string; best: Use; items: BreakEven[] }[];
  /** Per coin: the difficulty at which each fleet cell's mining nets zero, beside today's. */
  difficultyBreakEvens: DifficultyBreakEven[];
  /** The search behind `warnings` (absent when it was not run). */
  fragility?: AdviceFragility;
  /** The currency the headline is also shown in, with its rate (absent: USD only). Figures stay USD. */
  display?: DisplayCurrency;
  inputs: ReportInput[];
  counterfactual: {
    baseline: 'previous report' | 'fleet current allocation';
    baselineDate: string | null;
    baselineNetUsdPerDay: number;
    recommendedNetUsdPerDay: number;
    differenceUsdPerDay: number;
    /** Per cell: what the baseline allocation would earn today vs the recommendation. */
    cells: {
      site: string;
      model: string;
      baseline: UseCounts;
      recommended: UseCounts;
      baselineNetUsdPerDay: number;
      recommendedNetUsdPerDay: number;
    }[];
  };
  comingChanges: ChainEvent[];
  aiDemand: { aiClass: string; capGpus: number | null; usedGpus: number; shadowUsdPerGpuDay: number }[];
  /** Per coin: the fleet's share of the network and what its marginal card earns (absent in old reports). */
  networks?: NetworkShare[];
  /** Keep / move / sell over the horizon (absent in reports written before it existed). */
  plan?: ReportPlan;
  aiRates: AiRateSummary[];
  cloudPrices: {
    provider: string;
    sku: string;
    cloudGpu: string;
    priceType: string;
    usdPerGpuHour: number;
    asOf: string;
  }[];
  history: HistoryPoint[];
  assumptions: { key: string; value: unknown; unit: string; reason: string }[];
  notes: string[];
  solver: { method: string; variables: number; constraints: number; solveMs: number; boundUsdPerDay: number };
  /** Monte Carlo bands per fleet cell (absent when no price history was available). */
  risk?: RiskResult;
  /** Tornado: fleet net when each uncontrolled input alone moves by the same step (absent when not computed). */
  sensitivity?: Sensitivity;
}
