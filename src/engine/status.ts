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
 * Each source (the embedded baseline first): configured or why not, last success, its age on `today` and
 * tier, last error.
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
    const ageDays = st?.lastSuccessDate
      ? Math.max(0, Math.round(daysBetween(st.lastSuccessDate, today)))
      : null;
    return {
      source: s.name,
      configured: s.unavailable === null,
      notConfiguredBecause: s.unavailable,
      lastSuccessAt: st?.lastSuccessAt ?? null,
      lastSuccessDate: st?.lastSuccessDate ?? null,
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
