import type { Allocation, Use } from '../domain/types.ts';
import type { NetworkTerms } from '../model/network.ts';

/** One fleet entry as the solver sees it: a count of identical devices at one site. */
export interface SolveCell {
  key: string;
  siteIndex: number;
  /** AI demand class of the device, for the demand rows. */
  aiClass: string;
  count: number;
  current: Allocation;
  /**
   * Devices that already sit in AI-ready servers (at least those renting today): moving them onto AI costs
   * the switch only; the others pay their AI option's `rehost` capex. Absent: the cell's current AI count.
   */
  aiReady?: number;
  /** Eligible non-idle uses with their per-device figures. Idle is implicit (the remainder, 0 USD, 0 kW). */
  options: SolveOption[];
}

export interface SolveOption {
  use: Exclude<Use, 'idle'>;
  /** Net USD/day per device. For a use with a network in the problem, the lone-card figure (not used). */
  netUsdPerDay: number;
  /** Peak wall power per device, kW (counts against the site cap). */
  wallKw: number;
  /** Switching cost per device moved into this use, already spread over the horizon, USD/day. */
  switchUsdPerDay: number;
  /**
   * Required for a use with a network in the problem: the device's effective hashrate there (MH/s, uptime
   * included) and what it costs per day outside the network's revenue (power), USD/day. Its revenue is
   * then its share of the coin's concave R(F), not a fixed figure.
   */
  pooled?: { hashrateMhs: number; costUsdPerDay: number };
  /** Average draw at the meter per device, kW: what a site's take-or-pay minimum can cover. Absent: 0. */
  meterKw?: number;
  /**
   * AI only: capex to move a device that is not AI-ready into a server, USD, and the same spread over the
   * horizon, USD/day (charged in the objective like the switching cost; `capexUsd` counts in the budget).
   */
  rehost?: { capexUsd: number; capexUsdPerDay: number };
}

export interface SolveSite {
  id: string;
  powerCapKw: number;
  /**
   * A take-or-pay minimum: energy up to `minimumKw` (average at the meter) is paid whatever the site draws,
   * so it is worth `tariffUsdPerKwDay` per kW to the devices that use it (their nets are at the full tariff).
   */
  takeOrPay?: { minimumKw: number; tariffUsdPerKwDay: number };
}

export interface SolveProblem {
  cells: SolveCell[];
  sites: SolveSite[];
  /** AI class -> max GPUs rentable; classes absent are not capped. */
  aiDemandCaps: Record<string, number>;
  /**
   * Coins whose revenue the fleet shares with the rest of the network (model/network.ts): one hashrate row
   * and a few revenue segments each. Coins absent keep each option's fixed netUsdPerDay (linear revenue).
   */
  networks?: NetworkTerms[];
  /** Re-hosting capex the period may spend, USD, over a horizon of `horizonDays` days; absent: unlimited. */
  rehostBudget?: { usd: number; horizonDays: number };
}
