/**
 * The coin registry's protocol half: for each coin in domain COINS, its consensus rules as the engine
 * needs them (block time, hashes per block from difficulty, reward by height, memory needed by height)
 * and its chain anchor (one observed height and date, for height <-> date estimates). Everything that
 * loops over coins or branches on a coin reads this table; the rules themselves stay in one file per
 * coin (rvn.ts, erg.ts). Adding a coin: src/ARCHITECTURE.md "Add a coin".
 */
import type { Coin } from '../domain/types.ts';
import { GIB } from '../lib/num.ts';
import {
  RVN_BLOCK_TIME_S,
  KAWPOW_EPOCH_LENGTH,
  kawpowDagBytes,
  kawpowEpoch,
  rvnNextHalvingHeight,
  rvnSubsidy,
} from './rvn.ts';
import {
  ERG_BLOCK_TIME_S,
  autolykosNextStepHeight,
  autolykosTableBytes,
  ergNetReward,
  ergNextRewardChangeHeight,
} from './erg.ts';

/** One observed height at a UTC time, and the average block time observed around it. */
export interface ChainAnchor {
  height: number;
  at: string;
  avgBlockTimeS: number;
  source: string;
}

/**
 * What a miner keeps resident in VRAM for the coin at a height (before the per-coin overhead of config
 * vram.overheadMiB), and what it is.
 */
export interface MemoryNeed {
  bytes: number;
  /** e.g. "KawPow DAG 5.84 GiB (epoch 619)". */
  what: string;
}

export interface CoinRules {
  coin: Coin;
  /** Protocol target block time, s. */
  blockTimeS: number;
  /** Expected hashes to find one block at difficulty D. */
  hashesPerBlock(difficulty: number): number;
  /** What a miner can spend per block at a height, before pool fees (ERG: net of EIP-27). */
  rewardAt(height: number): number;
  /** The rule behind rewardAt, in words (shown as the method of derived rewards). */
  rewardRule: string;
  /** Where rewardAt is implemented, for provenance. */
  rewardSource: string;
  /** Next height after `height` at which the reward changes, or null if it never does. */
  nextRewardChangeHeight(height: number): number | null;
  /** Memory the miner keeps resident at a height (KawPow: the DAG; the light cache only builds it). */
  memoryAt(height: number): MemoryNeed;
  /** What memoryAt counts, for chart legends. */
  memoryName: string;
  /** Next height after `height` at which the memory need grows, or null if it never does. */
  nextMemoryStepHeight(height: number): number | null;
  anchor: ChainAnchor;
}

const TWO_POW_32 = 2 ** 32;
const gib = (bytes: number) => (bytes / GIB).toFixed(2);

/** `f` remembering its last height: every card of a decision asks for the same height's memory need. */
function lastHeight(f: (h: number) => MemoryNeed): (h: number) => MemoryNeed {
  let last: { h: number; need: MemoryNeed } | null = null;
  return (h) => {
    if (last?.h !== h) last = { h, need: Object.freeze(f(h)) };
    return last.need;
  };
}

/**
 * Anchors: each coin's newest real block header (data/history/network/, data/SOURCES.md). Average block
 * time: measured between two real dated heights, the NemosMiner Data/DagData.json snapshot
 * (2023-12-28T09:26Z: RVN 3,124,140, ERG 1,165,618) and that header:
 * RVN (4,500,000 - 3,124,140) blocks in 83,339,009 s = 60.5723 s (incl. the ~3-day stall of 2026-08-07..10;
 * 60.388 s without it); ERG (1,455,586 - 1,165,618) blocks in 35,091,876 s = 121.0198 s.
 */
const NEMOS = 'nemosminer/NemosMiner refs/pull/986 Data/DagData.json (2023-12-28T09:26Z)';
const RVN_ANCHOR_SOURCE =
  'block 4,500,000 header, 2026-08-18T23:09:29Z (ALENOC/electrumx-ravencoin @ 6074ae41 core-safety/production/' +
  `certifications/ravenproject-ravencoin-v4.8.0-22549129-fixtures.json); average block time since ${NEMOS}`;
const ERG_ANCHOR_SOURCE =
  'block 1,455,586 header, 2025-02-06T13:10:36Z (id 0028a424...bc097007, a public test fixture; checkable on any ' +
  `Ergo explorer); average block time since ${NEMOS}`;

export const COIN_RULES: Record<Coin, CoinRules> = {
  RVN: {
    coin: 'RVN',
    blockTimeS: RVN_BLOCK_TIME_S,
    hashesPerBlock: (d) => d * TWO_POW_32,
    rewardAt: rvnSubsidy,
    rewardRule: 'RVN subsidy 5000 >> floor(h / 2,100,000)',
    rewardSource: 'src/model/rvn.ts rvnSubsidy(height)',
    nextRewardChangeHeight: rvnNextHalvingHeight,
    // The DAG alone: lolMiner's sizing leaves the light cache out (DAG + cache at epoch 614 = 6,029 MiB would
    // not fit the 5,944 MiB card it runs there); config vram.overheadMiB.RVN covers the rest.
    memoryAt: lastHeight((h) => {
      const epoch = kawpowEpoch(h);
      const dag = kawpowDagBytes(epoch);
      return { bytes: dag, what: `KawPow DAG ${gib(dag)} GiB (epoch ${epoch})` };
    }),
    memoryName: 'KawPow DAG',
    nextMemoryStepHeight: (h) => (kawpowEpoch(h) + 1) * KAWPOW_EPOCH_LENGTH,
    anchor: {
      height: 4_500_000,
      at: '2026-08-18T23:09:29Z',
      avgBlockTimeS: 60.5723,
      source: RVN_ANCHOR_SOURCE,
    },
  },
  ERG: {
    coin: 'ERG',
    blockTimeS: ERG_BLOCK_TIME_S,
    hashesPerBlock: (d) => d,
    rewardAt: ergNetReward,
    rewardRule: 'ERG emission net of EIP-27 re-emission',
    rewardSource: 'src/model/erg.ts ergNetReward(height) (EIP-27 net)',
    nextRewardChangeHeight: ergNextRewardChangeHeight,
    memoryAt: lastHeight((h) => {
      const bytes = autolykosTableBytes(h);
      return { bytes, what: `Autolykos2 table ${gib(bytes)} GiB` };
    }),
    memoryName: 'Autolykos2 table',
    nextMemoryStepHeight: autolykosNextStepHeight,
    anchor: {
      height: 1_455_586,
      at: '2025-02-06T13:10:36Z',
      avgBlockTimeS: 121.0198,
      source: ERG_ANCHOR_SOURCE,
    },
  },
};
