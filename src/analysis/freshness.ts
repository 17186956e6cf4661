import type { Config } from '../config/schema.ts';

export type FreshnessTier = 'fresh' | 'stale' | 'too-old';

/** Freshness tier of an input `ageDays` old on the decision date (config freshness.*). */
export function freshnessTier(ageDays: number, cfg: Config['freshness']): FreshnessTier {
  if (ageDays <= cfg.freshDays) return 'fresh';
  return ageDays <= cfg.tooOldDays ? 'stale' : 'too-old';
}
