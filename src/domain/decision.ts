/**
 * A decision: the allocation for a fleet on one day, per cell, with the inputs it rests on.
 * Imports only domain/.
 */
import type { ModelIncome, Use } from './types.ts';
import type { AllocationSolution, NetworkResult } from './solution.ts';

/** One market input of a snapshot with its age on the decision date. */
export interface InputRow {
  name: string;
  value: number;
  unit: string;
  asOf: string;
  ageDays: number;
  kind: string;
  source: string;
  method?: string;
}

export interface CellDecision {
  site: string;
  model: string;
  modelName: string;
  cmpPatched: boolean;
  count: number;
  aiClass: string;
  current: Record<Use, number>;
  recommended: Record<Use, number>;
  moved: number;
  income: ModelIncome;
  netUsdPerDay: number;
  currentNetUsdPerDay: number;
  horizon: CellHorizon;
}

/**
 * One cell's keep / move / sell split over the horizon. Cash figures hold today's per-day nets flat over the
 * horizon (the per-path valuation, `income --horizon`, follows reward steps and VRAM cut-offs).
 */
/** A resale price's distance from data: an estimate, labelled with its method. */
export interface ResaleProjection {
  /** Date of the last observed used-market price the projection starts from. */
  lastObserved: string;
  /** Months from that observation to the decision date (the depreciation is extrapolated over them). */
  monthsProjected: number;
  kind: 'assumed';
  method: string;
}

export interface CellHorizon {
  /** Cards kept on (or moved to) a coin, all coins together. */
  mining: number;
  /** Cards on AI that needed a server (capex paid) and that were AI-ready already. */
  rehosted: number;
  aiReady: number;
  idle: number;
  sold: number;
  /** Net resale per card now, USD (null: no price for the model, it cannot be sold here). */
  resaleNowUsdPerCard: number | null;
  /** Why the model cannot be sold here, when it cannot. */
  resaleMissing: string | null;
  /** How far the resale price is projected past its last observation, and how (null: no price). */
  resaleProjection: ResaleProjection | null;
  cashFromSalesUsd: number;
  capexUsd: number;
  /** Re-hosting capex per GPU of this model that is not AI-ready, USD (AI-ready cards pay none). */
  rehostCapexUsdPerGpu: number;
  /** The cell's share of its site's fixed costs over the horizon, USD (less what sales save). */
  fixedUsd: number;
  /** Held cards' net x days - switching - capex + cash from sales - fixed costs, USD. */
  netUsd: number;
}

/** The fleet's keep / move / sell plan over the horizon (sum of the cells, plus take-or-pay credits). */
export interface HorizonPlan {
  days: number;
  mining: number;
  rehosted: number;
  aiReady: number;
  idle: number;
  sold: number;
  cashFromSalesUsd: number;
  capexUsd: number;
  /** Site fixed costs over the horizon (less what sales save), USD. */
  fixedUsd: number;
  /** Energy under take-or-pay minimums the allocation uses, which is paid anyway, USD over the horizon. */
  takeOrPayCreditUsd: number;
  netUsd: number;
  /** Re-hosting budget (fleet rehostBudgetUsd), the capex it funds and its shadow price; null: unlimited. */
  rehostBudget: { budgetUsd: number; usedUsd: number; shadowUsdPerUsd: number } | null;
  method: string;
}

/**
 * The fleet's place in one coin's network (hashrates effective, MH/s; USD after pool and dev fees), with
 * where N came from. Kind: derived from the snapshot's difficulty, reward and price and the fleet file.
 */
export interface NetworkShare extends NetworkResult {
  /** Hashrate the snapshot's difficulty implies (everyone, the fleet's current miners included), MH/s. */
  impliedMhs: number;
  /** The fleet file's current miners on the coin, MH/s (uptime included). */
  fleetCurrentMhs: number;
  /** What the coin issues to all its miners, USD/day (blocks/day x reward x price, before fees). */
  issuedUsdPerDay: number;
  /** 1 - pool fee - miner dev fee. */
  keptShare: number;
  /** How N was found (assumption stated). */
  method: string;
  /** Set when the fleet file and the difficulty contradict each other. */
  warning?: string;
}

export interface Decision {
  date: string;
  snapshotId: string;
  fleet: string;
  cells: CellDecision[];
  solution: AllocationSolution;
  totals: {
    devices: number;
    byUse: Record<Use, number>;
    netUsdPerDay: number;
    netUsdPerDevicePerDay: number;
    switchingUsdPerDay: number;
    /** Re-hosting capex spread over the horizon, USD/day (already out of netUsdPerDay). */
    capexUsdPerDay: number;
    /** All site fixed costs, USD/day (already out of netUsdPerDay; a sale's saving is in its sell value). */
    fixedUsdPerDay: number;
    /** Energy under take-or-pay minimums the allocation uses (paid anyway), USD/day (in netUsdPerDay). */
    takeOrPayCreditUsdPerDay: number;
    /**
     * What the current allocation nets per day before fixed costs and take-or-pay credits: not comparable
     * with netUsdPerDay. The gain of the recommendation is the moves' gain figure (domain/moves.ts).
     */
    currentNetUsdPerDay: number;
    moved: number;
  };
  /** Per coin: the fleet's share of the network and the revenue of its marginal card. */
  networks: NetworkShare[];
  /** Keep / move / sell over the horizon. */
  plan: HorizonPlan;
  inputs: InputRow[];
  /** Assumptions the decision rests on that the user did not state (e.g. AI demand left uncapped). */
  warnings: string[];
}
