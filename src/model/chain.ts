import type { Coin, Quantity } from '../domain/types.ts';
import { parseUtc } from '../lib/time.ts';
import { DateTime } from 'luxon';

/**
 * Height <-> date estimates from one observed anchor and an observed average block time.
 * Anchors: NemosMiner Data/DagData.json, 2023-12-28T09:26Z (RVN 3,124,140; ERG 1,165,618).
 * Average block times (research/mining.md §2-3): RVN 60.40 s (2022-01-11 halving to the anchor),
 * ERG 120.9 s (calibrated so h = 1,689,600 falls on the observed 2025-12-30 A2000 cut-off).
 * Re-anchor from a live height whenever one is collected.
 */
interface ChainAnchor {
  height: number;
  at: string;
  avgBlockTimeS: number;
  source: string;
}

export const CHAIN_ANCHORS: Record<Coin, ChainAnchor> = {
  RVN: {
    height: 3_124_140,
    at: '2023-12-28T09:26:00Z',
    avgBlockTimeS: 60.4,
    source: 'shared/mining-data/nemosminer_DagData_2023-12-28.json; research/mining.md §3.1',
  },
  ERG: {
    height: 1_165_618,
    at: '2023-12-28T09:26:00Z',
    avgBlockTimeS: 120.9,
    source: 'shared/mining-data/nemosminer_DagData_2023-12-28.json; research/mining.md §3.2',
  },
};

export function estimateHeight(
  coin: Coin,
  dateIso: string,
  anchor: ChainAnchor = CHAIN_ANCHORS[coin],
): Quantity {
  const seconds = parseUtc(dateIso).diff(parseUtc(anchor.at), 'seconds').seconds;
  const value = Math.max(0, Math.round(anchor.height + seconds / anchor.avgBlockTimeS));
  return {
    value,
    unit: 'block',
    source: anchor.source,
    asOf: parseUtc(dateIso).toISODate()!,
    kind: 'derived',
    method: `anchor h=${anchor.height} at ${anchor.at} + elapsed seconds / ${anchor.avgBlockTimeS} s average block time`,
  };
}

/** Estimated UTC date of a future (or past) height, from the same anchor. */
export function estimateDateOfHeight(
  coin: Coin,
  height: number,
  anchor: ChainAnchor = CHAIN_ANCHORS[coin],
): string {
  const seconds = (height - anchor.height) * anchor.avgBlockTimeS;
  return (parseUtc(anchor.at).plus({ seconds }) as DateTime).toISODate()!;
}
