import type { DeviceModel } from '../domain/types.ts';
import type { Observation, RawResponse } from '../domain/observations.ts';
import type { CloudSku, ReferenceData } from '../domain/reference.ts';
import type { HttpClient } from './http.ts';
import type { SourcesConfig } from '../config/sources.ts';

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
  /**
   * Pure: raw responses -> observations; throws SourceSchemaError naming the field, SourceValueError for
   * out-of-range values.
   */
  normalise(raws: RawResponse[], ctx: NormaliseContext): Observation[];
}

/** The instance types a provider's collector keeps (empty when the SKU table has none for it). */
export function skusOf(skus: ReferenceData['cloudSkus'], provider: string): Map<string, CloudSku> {
  return skus.get(provider) ?? new Map();
}
