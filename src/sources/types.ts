import type { DeviceModel, Kind } from '../domain/types.ts';
import type { CloudSku, ReferenceData } from '../store/reference.ts';
import type { HttpClient } from './http.ts';
import type { SourcesConfig } from '../config/sources.ts';

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
  | 'market.usdPerGpuHour';

export const SERIES_UNITS: Record<Series, string> = {
  'coin.priceUsd': 'USD/coin',
  'coin.priceBtc': 'BTC/coin',
  'coin.difficulty': 'difficulty (coin-native)',
  'coin.height': 'block',
  'coin.blockRewardReported': 'coins/block',
  'btc.priceUsd': 'USD/BTC',
  'cloud.usdPerInstanceHour': 'USD/instance-hour',
  'market.usdPerGpuHour': 'USD/GPU-hour',
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

export interface FetchContext {
  http: HttpClient;
  config: SourcesConfig;
  date: string;
  skus: ReferenceData['cloudSkus'];
  /** Bytes done of a long download (total null when unknown), for a progress bar. */
  progress?: (source: string, done: number, total: number | null) => void;
}

export interface NormaliseContext {
  config: SourcesConfig;
  skus: ReferenceData['cloudSkus'];
  models: ReadonlyMap<string, DeviceModel>;
}

/** What every source module provides; the contract suite checks each on its recorded fixtures. */
export interface SourceModule {
  name: string;
  description: string;
  /** Why the source cannot run with this config (e.g. no RPC URL), or null. */
  unavailable(config: SourcesConfig): string | null;
  fetch(ctx: FetchContext): Promise<RawResponse[]>;
  /** Pure: raw responses -> observations; throws SourceSchemaError naming the field, SourceValueError for out-of-range values. */
  normalise(raws: RawResponse[], ctx: NormaliseContext): Observation[];
}

/** The instance types a provider's collector keeps (empty when the SKU table has none for it). */
export function skusOf(skus: ReferenceData['cloudSkus'], provider: string): Map<string, CloudSku> {
  return skus.get(provider) ?? new Map();
}
