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
    currentNetUsdPerDay: number;
    moved: number;
  };
  /** Per coin: the fleet's share of the network and the revenue of its marginal card. */
  networks: NetworkShare[];
  inputs: InputRow[];
  /** Assumptions the decision rests on that the user did not state (e.g. AI demand left uncapped). */
  warnings: string[];
}
