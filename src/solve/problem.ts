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
}

export interface SolveProblem {
  cells: SolveCell[];
  sites: { id: string; powerCapKw: number }[];
  /** AI class -> max GPUs rentable; classes absent are not capped. */
  aiDemandCaps: Record<string, number>;
  /**
   * Coins whose revenue the fleet shares with the rest of the network (model/network.ts): one hashrate row
   * and a few revenue segments each. Coins absent keep each option's fixed netUsdPerDay (linear revenue).
   */
  networks?: NetworkTerms[];
}
