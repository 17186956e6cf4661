/** Results of the analyses a report shows: break-evens and the sensitivity tornado. Imports only domain/. */
import type { Coin, Use } from './types.ts';

/** Coin price parameters are named `<coin in lower case>PriceUsd` (rvnPriceUsd, ergPriceUsd). */
export type CoinPriceParam = `${Lowercase<Coin>}PriceUsd`;
export type BreakEvenParam = 'electricityUsdPerKwh' | CoinPriceParam | 'aiUtilisation';

export interface BreakEven {
  param: BreakEvenParam;
  unit: string;
  current: number;
  /** Nearest value below the current one at which the best use changes, and to what. */
  below: { at: number; to: Use } | null;
  /** Nearest value above the current one at which the best use changes, and to what. */
  above: { at: number; to: Use } | null;
}

/** One input moved down and up by the same relative step, with the re-optimised fleet net at each end. */
export interface SensitivityBar {
  input: string;
  label: string;
  unit: string;
  baseValue: number;
  lowValue: number;
  highValue: number;
  lowNetUsdPerDay: number;
  highNetUsdPerDay: number;
  /** |high - low|: how far this input alone moves fleet net income. */
  swingUsdPerDay: number;
  /** Devices per use in the re-optimised allocation at each end (does the advice itself change?). */
  lowByUse: Record<Use, number>;
  highByUse: Record<Use, number>;
}

export interface Sensitivity {
  fleet: string;
  snapshotId: string;
  date: string;
  unit: 'USD/day (fleet net after switching cost)';
  /** The relative step applied to every input, e.g. 0.2 = each input at -20% and +20%. */
  step: number;
  baseNetUsdPerDay: number;
  baseByUse: Record<Use, number>;
  /** Largest swing first (the tornado's order). */
  bars: SensitivityBar[];
  method: string;
}

/** Per coin: today's difficulty and, per fleet cell, the difficulty at which mining that coin nets zero. */
export interface DifficultyBreakEven {
  coin: Coin;
  unit: string;
  current: number;
  asOf: string;
  kind: string;
  cells: {
    site: string;
    model: string;
    count: number;
    /** Net USD/day of one device mining the coin today (null: it cannot mine it). */
    netUsdPerDay: number | null;
    /** Difficulty at which that net is zero (null: it cannot mine the coin). */
    atZeroNet: number | null;
  }[];
  method: string;
}

/** Where an input, moved alone, changes the fleet's advice. */
export interface FlipPoint {
  /** The input's value at which the advice changes (to within about 1 %). */
  at: number;
  /** at / today's value. */
  ratio: number;
  /** Devices recommended a different use there than today. */
  movedDevices: number;
  /** Devices per use there. */
  byUse: Record<Use, number>;
}

/** An input that is not a firm, fresh observation, and the values at which the advice would change. */
export interface InputFlip {
  input: string;
  value: number;
  unit: string;
  kind: string;
  asOf: string | null;
  ageDays: number | null;
  /** Why it is checked, in words: kind, as-of, age and freshness tier ("measured, as of ... : too-old"). */
  why: string;
  below: FlipPoint | null;
  above: FlipPoint | null;
  /** Searched range, in the input's unit. */
  range: [number, number];
}

/**
 * Which uncertain inputs could change the advice: every input that is approximate, assumed or not fresh,
 * moved alone until the recommendation changes. `warnings` are the lines shown first.
 */
export interface AdviceFragility {
  /** Devices that must change use for the advice to count as changed. */
  thresholdDevices: number;
  inputs: InputFlip[];
  warnings: string[];
  method: string;
}
