import type { Config } from '../config/schema.ts';
import { isSoftKind } from '../domain/types.ts';

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

/**
 * Why an input needs checking before acting on it: its freshness tier is not fresh, or it is not a dated
 * observation (approximate or assumed; see domain Kind). Null when it is a fresh measured or derived figure.
 */
export function checkReason(input: { tier: FreshnessTier; kind: string }): string | null {
  const parts = [
    input.tier === 'fresh' ? null : input.tier,
    isSoftKind(input.kind) ? input.kind : null,
  ].filter((x): x is string => x !== null);
  return parts.length ? parts.join(', ') : null;
}

/**
 * The newest as-of among dated observations (measured or approximate; derived and assumed figures carry
 * the day they were computed for, not an observation's), as a UTC day; null when there is none. A snapshot
 * or a source is as fresh as this, not as its own date: an offline collection dated today from old data
 * stays old.
 */
export function newestObservedAsOf(items: readonly { asOf: string; kind: string }[]): string | null {
  const days = items
    .filter((i) => i.kind === 'measured' || i.kind === 'approximate')
    .map((i) => (i.asOf.length === 7 ? `${i.asOf}-01` : i.asOf.slice(0, 10)));
  return days.length ? days.reduce((a, b) => (b > a ? b : a)) : null;
}
