import type { Coin, Quantity } from '../domain/types.ts';
import { parseUtc } from '../lib/time.ts';
import { DateTime } from 'luxon';
import { COIN_RULES, type ChainAnchor } from './coins.ts';

/**
 * Height <-> date estimates from one observed anchor and an observed average block time (the anchors
 * are in the coin registry, model/coins.ts). Re-anchor from a live height whenever one is collected.
 */
export function estimateHeight(
  coin: Coin,
  dateIso: string,
  anchor: ChainAnchor = COIN_RULES[coin].anchor,
): Quantity {
  const seconds = parseUtc(dateIso).diff(parseUtc(anchor.at), 'seconds').seconds;
  const value = Math.max(0, Math.round(anchor.height + seconds / anchor.avgBlockTimeS));
  return {
    value,
    unit: 'block',
    source: anchor.source,
    asOf: parseUtc(dateIso).toISODate()!,
    kind: 'derived',
    method:
      `anchor h=${anchor.height} at ${anchor.at} + elapsed seconds / ${anchor.avgBlockTimeS} s ` +
      `average block time`,
  };
}

/** Estimated UTC date of a future (or past) height, from the same anchor. */
export function estimateDateOfHeight(
  coin: Coin,
  height: number,
  anchor: ChainAnchor = COIN_RULES[coin].anchor,
): string {
  const seconds = (height - anchor.height) * anchor.avgBlockTimeS;
  return (parseUtc(anchor.at).plus({ seconds }) as DateTime).toISODate()!;
}

/** Blocks a chain adds in `days` at its observed average block time. */
export function blocksIn(coin: Coin, days: number): number {
  return (days * 86_400) / COIN_RULES[coin].anchor.avgBlockTimeS;
}
