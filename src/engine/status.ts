import type { Config } from '../config/schema.ts';
import type { SourcesConfig } from '../config/sources.ts';
import { Store } from '../store/db.ts';
import { SOURCES } from '../sources/registry.ts';
import { freshnessTier, type FreshnessTier } from '../analysis/freshness.ts';
import { daysBetween } from '../lib/time.ts';

export interface SourceStatus {
  source: string;
  configured: boolean;
  notConfiguredBecause: string | null;
  lastSuccessAt: string | null;
  lastSuccessDate: string | null;
  /** Newest as-of of the dated observations it delivered: what `ageDays` and `tier` measure. */
  dataAsOf: string | null;
  /** Age on `today` of its newest dated observation (of the last success when it delivered none). */
  ageDays: number | null;
  tier: FreshnessTier | 'never';
  lastStatus: string | null;
  lastError: string | null;
}

/** The names of the live sources, in the order a collection runs them. */
export function sourceNames(): string[] {
  return SOURCES.map((s) => s.name);
}

/**
 * Each source (the embedded baseline first): configured or why not, last success, the age on `today` of the
 * newest dated observation it delivered and that age's tier (an offline collection from old data is old),
 * last error.
 */
export function sourceStatuses(
  store: Store | null,
  sources: SourcesConfig,
  config: Config,
  today: string,
): SourceStatus[] {
  const status = new Map((store?.sourceStatus() ?? []).map((s) => [s.source, s]));
  return [
    { name: 'embedded', unavailable: null as string | null },
    ...SOURCES.map((s) => ({ name: s.name, unavailable: s.unavailable(sources) })),
  ].map((s) => {
    const st = status.get(s.name);
    const dataAsOf = st?.lastDataAsOf ?? null;
    const since = dataAsOf ?? st?.lastSuccessDate ?? null;
    const ageDays = since ? Math.max(0, Math.round(daysBetween(since, today))) : null;
    return {
      source: s.name,
      configured: s.unavailable === null,
      notConfiguredBecause: s.unavailable,
      lastSuccessAt: st?.lastSuccessAt ?? null,
      lastSuccessDate: st?.lastSuccessDate ?? null,
      dataAsOf,
      ageDays,
      tier: ageDays === null ? 'never' : freshnessTier(ageDays, config.freshness),
      lastStatus: st?.lastStatus ?? null,
      lastError: st?.lastError ?? null,
    };
  });
}

/** `rigpivot sources`: each source's status in the store under `dataDir` (created when missing), and its file. */
export function sourcesStatusReport(
  setup: { dataDir: string; config: Config },
  sources: SourcesConfig,
  today: string,
): { store: string; sources: SourceStatus[] } {
  const store = new Store(setup.dataDir);
  try {
    return { store: store.file, sources: sourceStatuses(store, sources, setup.config, today) };
  } finally {
    store.close();
  }
}
