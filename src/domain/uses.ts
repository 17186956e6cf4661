/**
 * The use registry: what a device can do with a day. Mining uses come from the coin registry (one per
 * coin), then AI rental, sell (the card leaves the fleet) and idle. Lists of uses anywhere in the code
 * derive from these, so a new coin or a new use is added here once. This module imports only domain/.
 */
import { COINS, USES, type Use } from './types.ts';
import { COIN_INFO } from './coins.ts';

/** Uses that earn (or cost) money: every use except idle. */
export type PaidUse = Exclude<Use, 'idle'>;
export const PAID_USES = USES.filter((u): u is PaidUse => u !== 'idle');

export type UseKind = 'mining' | 'rental' | 'sale' | 'idle';

export interface UseInfo {
  use: Use;
  kind: UseKind;
  /** Short label for tables and charts. */
  label: string;
}

export const USE_INFO: Record<Use, UseInfo> = {
  ...(Object.fromEntries(
    COINS.map((c) => [c, { use: c, kind: 'mining', label: `${c} (${COIN_INFO[c].algorithmName})` }]),
  ) as Record<(typeof COINS)[number], UseInfo>),
  AI: { use: 'AI', kind: 'rental', label: 'AI rental' },
  sell: { use: 'sell', kind: 'sale', label: 'sell' },
  idle: { use: 'idle', kind: 'idle', label: 'idle' },
};

/** `{ RVN: f('RVN'), ERG: ..., AI: ..., idle: ... }` over every use. */
export function byUse<T>(f: (use: Use) => T): Record<Use, T> {
  const out = {} as Record<Use, T>; // a loop, not fromEntries: called per fleet cell in hot paths
  for (const u of USES) out[u] = f(u);
  return out;
}

/** The same over the paid uses (idle left out). */
export function byPaidUse<T>(f: (use: PaidUse) => T): Record<PaidUse, T> {
  const out = {} as Record<PaidUse, T>;
  for (const u of PAID_USES) out[u] = f(u);
  return out;
}

/** A zero count per use. */
export function zeroByUse(): Record<Use, number> {
  return byUse(() => 0);
}

/** Devices per use for `count` devices of which `allocation` says where the non-idle ones are; the rest idle. */
export function countsOf(count: number, allocation: Partial<Record<Use, number>>): Record<Use, number> {
  const out = byUse((u) => (u === 'idle' ? 0 : (allocation[u] ?? 0)));
  out.idle = count - PAID_USES.reduce((a, u) => a + out[u], 0);
  return out;
}

/** The non-idle part of a per-use count (a fleet file's `current`). */
export function paidPart(counts: Record<Use, number>): Record<PaidUse, number> {
  return byPaidUse((u) => counts[u]);
}
