/**
 * What the allocation solver returns for a fleet: per-cell counts, totals, shadow prices.
 * Imports only domain/.
 */
import type { Allocation, Use } from './types.ts';

export interface CellResult {
  key: string;
  recommended: Required<Pick<Allocation, Use>>;
  /** Devices that change use (moved into a new non-idle use). */
  moved: number;
  netUsdPerDay: number;
  switchingUsdPerDay: number;
  powerKw: number;
}

export interface AllocationSolution {
  status: 'optimal' | 'mip-time-limit' | 'lp-rounded';
  /** Integer allocation's expected net USD/day, switching costs (per day) deducted. */
  objectiveUsdPerDay: number;
  /** The LP relaxation's optimum: no integer allocation can beat it. */
  boundUsdPerDay: number;
  cells: CellResult[];
  sites: { id: string; powerCapKw: number; powerUsedKw: number; shadowUsdPerKwDay: number }[];
  aiDemand: { aiClass: string; capGpus: number | null; usedGpus: number; shadowUsdPerGpuDay: number }[];
  stats: { variables: number; constraints: number; solveMs: number; method: string };
}
