/** AI rental: demand classes and the rate a device can rent at. This module imports nothing. */

/** AI demand classes by VRAM: renters ask for a memory size first. */
export const AI_CLASSES = ['vram8', 'vram12', 'vram24', 'vram40'] as const;
export type AiClass = (typeof AI_CLASSES)[number];

/** AI rental rate per GPU-hour for a device, and how it was reached (the method: model/ai.ts). */
export interface AiRate {
  usdPerGpuHour: number;
  method: 'market-capped' | 'calibrated' | 'hyperscaler-only';
  askingUsdPerGpuHour: number;
  cheapestSubstitute: string;
  marketMedianUsdPerGpuHour: number | null;
  marketQuotes: number;
  calibrationRatio: number | null;
}
