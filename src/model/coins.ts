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

/**
 * Anchors: NemosMiner Data/DagData.json, 2023-12-28T09:26Z (RVN 3,124,140; ERG 1,165,618). Average block
 * times: RVN 60.40 s (2022-01-11 halving to the anchor), ERG 120.9 s (calibrated so h = 1,689,600 falls
 * on the observed 2025-12-30 RTX A2000 cut-off, lolMiner-releases issue 2165).
 */
const NEMOS = 'github.com/nemosminer/NemosMiner refs/pull/986 Data/DagData.json (2023-12-28T09:26Z)';

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
    memoryAt: (h) => {
      const epoch = kawpowEpoch(h);
      const dag = kawpowDagBytes(epoch);
      return { bytes: dag, what: `KawPow DAG ${gib(dag)} GiB (epoch ${epoch})` };
    },
    memoryName: 'KawPow DAG',
    nextMemoryStepHeight: (h) => (kawpowEpoch(h) + 1) * KAWPOW_EPOCH_LENGTH,
    anchor: { height: 3_124_140, at: '2023-12-28T09:26:00Z', avgBlockTimeS: 60.4, source: NEMOS },
  },
  ERG: {
    coin: 'ERG',
    blockTimeS: ERG_BLOCK_TIME_S,
    hashesPerBlock: (d) => d,
    rewardAt: ergNetReward,
    rewardRule: 'ERG emission net of EIP-27 re-emission',
    rewardSource: 'src/model/erg.ts ergNetReward(height) (EIP-27 net)',
    nextRewardChangeHeight: ergNextRewardChangeHeight,
    memoryAt: (h) => {
      const bytes = autolykosTableBytes(h);
      return { bytes, what: `Autolykos2 table ${gib(bytes)} GiB` };
    },
    memoryName: 'Autolykos2 table',
    nextMemoryStepHeight: autolykosNextStepHeight,
    anchor: { height: 1_165_618, at: '2023-12-28T09:26:00Z', avgBlockTimeS: 120.9, source: NEMOS },
  },
};
