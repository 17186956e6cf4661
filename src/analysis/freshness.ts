import type { Config } from '../config/schema.ts';

export type FreshnessTier = 'fresh' | 'stale' | 'too-old';

/** Rows with an age get their tier. */
export function withTiers<T extends { ageDays: number }>(
  rows: T[],
  cfg: Config['freshness'],
): (T & { tier: FreshnessTier })[] {
  return rows.map((r) => ({ ...r, tier: freshnessTier(r.ageDays, cfg) }));
}

/** Freshness tier of an input `ageDays` old on the decision date (config freshness.*). */
export function freshnessTier(ageDays: number, cfg: Config['freshness']): FreshnessTier {
  if (ageDays <= cfg.freshDays) return 'fresh';
  return ageDays <= cfg.tooOldDays ? 'stale' : 'too-old';
}
