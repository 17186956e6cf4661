import type { Allocation, Use } from '../domain/types.ts';

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
  netUsdPerDay: number;
  /** Peak wall power per device, kW (counts against the site cap). */
  wallKw: number;
  /** Switching cost per device moved into this use, already spread over the horizon, USD/day. */
  switchUsdPerDay: number;
}

export interface SolveProblem {
  cells: SolveCell[];
  sites: { id: string; powerCapKw: number }[];
  /** AI class -> max GPUs rentable; classes absent are not capped. */
  aiDemandCaps: Record<string, number>;
}
