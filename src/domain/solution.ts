/**
 * What the allocation solver returns for a fleet: per-cell counts, totals, shadow prices.
 * Imports only domain/.
 */
import type { Allocation, Coin, Use } from './types.ts';

export interface CellResult {
  key: string;
  recommended: Required<Pick<Allocation, Use>>;
  /** Devices that change use (moved into a new non-idle use). */
  moved: number;
  netUsdPerDay: number;
  switchingUsdPerDay: number;
  powerKw: number;
  /** Devices moved into AI servers (not AI-ready before), their capex (USD) and its share per day. */
  rehosted: number;
  capexUsd: number;
  capexUsdPerDay: number;
}

/** A site's take-or-pay minimum under the allocation. */
export interface TakeOrPayResult {
  minimumKw: number;
  /** Average draw at the meter the allocation puts under the minimum, kW. */
  coveredKw: number;
  /** What that energy would cost at the tariff; it is paid anyway, so the allocation is credited it, USD/day. */
  creditUsdPerDay: number;
}

/** The re-hosting capex budget row. */
export interface RehostBudgetResult {
  budgetUsd: number;
  usedUsd: number;
  /** LP dual: USD of net over the horizon that one more USD of capex budget would add. */
  shadowUsdPerUsd: number;
}

/** One card at the margin of a coin's network: the last one mined, or the next idle one. */
export interface MarginalCard {
  /** The fleet cell (site/model) it belongs to. */
  key: string;
  /** Effective hashrate, MH/s (uptime included). */
  hashrateMhs: number;
  /** Revenue it adds to the fleet (R(F) - R(F - h), or R(F + h) - R(F)), USD/day, after pool and dev fees. */
  revenueUsdPerDay: number;
  /** The same per MH/s of the card, USD/day. */
  usdPerMhsDay: number;
  /** Its power cost (and, for the next card, its switching cost per day), USD/day. */
  costUsdPerDay: number;
  netUsdPerDay: number;
}

/** The fleet's place in one coin's network under the allocation (model/network.ts, R(F) = kept B F / (N + F)). */
export interface NetworkResult {
  coin: Coin;
  /** N: hashrate of every other miner, MH/s. */
  externalMhs: number;
  /** F: the allocation's effective hashrate on the coin, MH/s (uptime included). */
  fleetMhs: number;
  /** F / (N + F): the fleet's share of the network's hashrate and of its issuance. */
  shareOfNetwork: number;
  /** R(F): the fleet's mining revenue on the coin after pool and dev fees, USD/day. */
  revenueUsdPerDay: number;
  /** R'(0): what a MH/s earns when the fleet is a negligible share (the per-card figures of `income`). */
  loneUsdPerMhsDay: number;
  /** R'(F): what one more MH/s earns at the allocation, USD/day. */
  marginalUsdPerMhsDay: number;
  /** LP dual of the coin's hashrate row (piecewise-linear model): USD/day per MH/s more fleet hashrate. */
  shadowUsdPerMhsDay: number;
  /** The mined card whose removal costs the fleet least (its net >= 0 at an optimum); null if none mines. */
  lastCard: MarginalCard | null;
  /** The idle card whose addition would pay most (net <= 0 at an optimum unless a cap binds); null if none. */
  nextCard: MarginalCard | null;
  /** Secant segments the LP used, and the most they understate R(F), USD/day. */
  segments: number;
  maxGapUsdPerDay: number;
}

export interface AllocationSolution {
  /**
   * optimal: proven (MIP, or rounding that meets the LP bound); mip-node-limit: the MIP's best allocation at
   * its branch-and-bound node limit; lp-rounded: the LP optimum rounded (model over the MIP's column limit).
   */
  status: 'optimal' | 'mip-node-limit' | 'lp-rounded';
  /**
   * Integer allocation's expected net USD/day: switching and re-hosting capex (per day) deducted,
   * take-or-pay credits added.
   */
  objectiveUsdPerDay: number;
  /**
   * No integer allocation can beat it: the LP relaxation's optimum, plus (with networks) the most the
   * revenue segments understate R(F).
   */
  boundUsdPerDay: number;
  cells: CellResult[];
  sites: {
    id: string;
    powerCapKw: number;
    powerUsedKw: number;
    shadowUsdPerKwDay: number;
    takeOrPay: TakeOrPayResult | null;
  }[];
  aiDemand: { aiClass: string; capGpus: number | null; usedGpus: number; shadowUsdPerGpuDay: number }[];
  /** One entry per coin modelled as a shared network (empty when the problem has none). */
  networks: NetworkResult[];
  /** Null when the problem has no re-hosting budget. */
  rehostBudget: RehostBudgetResult | null;
  stats: {
    variables: number;
    constraints: number;
    solveMs: number;
    /** Which method ran, with its proven gap. */
    method: string;
    /**
     * No integer allocation beats this one by more, USD/day: the bound (the LP's, or the MIP's dual bound
     * when it ran and is tighter, plus the segments' gaps) less the objective.
     */
    provenGapUsdPerDay: number;
    /** Branch-and-bound nodes the MIP processed; null when it did not run. */
    mipNodes: number | null;
  };
}
