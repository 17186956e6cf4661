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
