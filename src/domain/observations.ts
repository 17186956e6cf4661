/**
 * What sources fetch and the store keeps: raw responses and normalised observations.
 * Imports only domain/.
 */
import type { Kind } from './types.ts';

/** A response as fetched (archived raw for audit and replay). */
export interface RawResponse {
  source: string;
  url: string;
  fetchedAt: string;
  status: number;
  body: string;
  contentType?: string;
}

/**
 * One normalised value: `series` says what it is, `key` which thing (a coin, a cloud SKU, a marketplace card).
 * Units are fixed per series (see SERIES_UNITS); meta carries what the snapshot needs besides the number.
 */
export type Series =
  | 'coin.priceUsd'
  | 'coin.priceBtc'
  | 'coin.difficulty'
  | 'coin.height'
  | 'coin.blockRewardReported'
  | 'btc.priceUsd'
  | 'cloud.usdPerInstanceHour'
  | 'market.usdPerGpuHour'
  | 'fx.perUsd';

export const SERIES_UNITS: Record<Series, string> = {
  'coin.priceUsd': 'USD/coin',
  'coin.priceBtc': 'BTC/coin',
  'coin.difficulty': 'difficulty (coin-native)',
  'coin.height': 'block',
  'coin.blockRewardReported': 'coins/block',
  'btc.priceUsd': 'USD/BTC',
  'cloud.usdPerInstanceHour': 'USD/instance-hour',
  'market.usdPerGpuHour': 'USD/GPU-hour',
  'fx.perUsd': 'units of the currency (key) per USD',
};

export interface Observation {
  series: Series;
  key: string;
  value: number;
  asOf: string;
  kind: Kind;
  source: string;
  sourceUrl: string;
  meta?: Record<string, string | number>;
}

/**
 * A collected value that failed the input guards (engine/guard.ts): kept in the raw archive and the
 * quarantine, not used; the alert rules report it.
 */
export interface QuarantinedValue {
  source: string;
  series: Series;
  key: string;
  value: number;
  asOf: string;
  reason: string;
  /** The value the input stays on (the store's last good one), if there is one. */
  lastGood: { value: number; asOf: string; source: string } | null;
}
