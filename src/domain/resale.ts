/**
 * Used-market (resale) prices of the cards, and what rigpivot projects from them. Imports only domain/.
 */

/** One observed used-market price of a card. */
export interface UsedPrice {
  /** The day the price describes (a monthly average is placed on the 15th of its month). */
  date: string;
  usdPerCard: number;
  /** Cards sold in that period, where the source gives it. */
  qtySold: number | null;
  source: string;
}

export interface ResaleModel {
  modelId: string;
  /** Observed prices, oldest first (empty when `missing` says why). */
  prices: UsedPrice[];
  /** Why the model has no price; null when it has one. */
  missing: string | null;
  note?: string;
}

export interface ResaleTable {
  models: Map<string, ResaleModel>;
  /** First day of the window the depreciation is fitted on. */
  fitFrom: string;
  unit: string;
  source: string;
}

/** Exponential depreciation fitted on the used-price series: price(t) = price(t0) x exp(logSlope x months).
 */
export interface DepreciationFit {
  logSlopePerMonth: number;
  /** exp(logSlope) - 1: the fraction of its price a card loses per month (negative). */
  ratePerMonth: number;
  /** Interquartile range of the per-model rates. */
  rateIqrPerMonth: [number, number];
  models: number;
  from: string;
  to: string;
  /** Out-of-sample check: fit on the first 8 months, project 6 months ahead from each model's last point. */
  holdout: { monthsAhead: number; n: number; rmseLog: number; medianAbsLog: number; meanLog: number };
  method: string;
}

/** A card's resale value on a day: projected from its newest observed price, then net of selling costs. */
export interface ResaleValue {
  modelId: string;
  date: string;
  /** Projected used-market price x the price factor, USD per card (null: no price, see `missing`). */
  grossUsdPerCard: number | null;
  /** Gross less the selling fee and logistics, USD per card. */
  netUsdPerCard: number | null;
  anchor: UsedPrice | null;
  monthsProjected: number | null;
  missing: string | null;
  method: string;
}
