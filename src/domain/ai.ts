/** AI rental: demand classes and the rate a device can rent at. This module imports nothing. */

/** AI demand classes by VRAM: renters ask for a memory size first. */
export const AI_CLASSES = ['vram8', 'vram12', 'vram24', 'vram40'] as const;
export type AiClass = (typeof AI_CLASSES)[number];

/** How an AI rate was reached (model/ai.ts estimateAiRates), in words for tables. */
export const AI_RATE_METHODS = {
  'market-capped': 'asking rate capped by the marketplace median',
  'list-capped': 'data-centre card without marketplace quotes: asking rate capped by its own list median',
  calibrated: 'asking rate x the median marketplace/asking ratio of quoted cards of its group',
  'hyperscaler-only': 'asking rate: no marketplace quote for any card',
} as const;
export type AiRateMethod = keyof typeof AI_RATE_METHODS;

/** AI rental rate per GPU-hour for a device, and how it was reached (the method: model/ai.ts). */
export interface AiRate {
  usdPerGpuHour: number;
  method: AiRateMethod;
  askingUsdPerGpuHour: number;
  cheapestSubstitute: string;
  /** Median of the card's community/marketplace quotes (config ai.marketTiers). */
  marketMedianUsdPerGpuHour: number | null;
  marketQuotes: number;
  /** Median of the card's secure-cloud / provider list quotes (config ai.listTiers), shown apart. */
  listMedianUsdPerGpuHour: number | null;
  listQuotes: number;
  calibrationRatio: number | null;
}

/** A card's AI rate as tables show it: what we ask, what renters compare it with, what we use. */
export interface AiRateSummary {
  model: string;
  aiClass: string;
  /** Hyperscaler-equivalent USD per GPU-hour after the configured discount. */
  askingUsdPerGpuHour: number;
  /** Median of community/marketplace quotes (config ai.marketTiers) and how many. */
  marketMedianUsdPerGpuHour: number | null;
  marketQuotes: number;
  /** Median of secure-cloud / provider list quotes (config ai.listTiers), shown apart, and how many. */
  listMedianUsdPerGpuHour: number | null;
  listQuotes: number;
  /** The rate the model uses (USD per GPU-hour, before utilisation and platform fee). */
  rateUsdPerGpuHour: number;
  /** How the rate was reached: a key of AI_RATE_METHODS (its words for tables). */
  method: AiRateMethod;
  cheapestSubstitute: string;
}
