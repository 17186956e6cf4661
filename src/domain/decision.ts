/**
 * A decision: the allocation for a fleet on one day, per cell, with the inputs it rests on.
 * Imports only domain/.
 */
import type { ModelIncome, Use } from './types.ts';
import type { AllocationSolution } from './solution.ts';

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
    currentNetUsdPerDay: number;
    moved: number;
  };
  inputs: InputRow[];
  /** Assumptions the decision rests on that the user did not state (e.g. AI demand left uncapped). */
  warnings: string[];
}
