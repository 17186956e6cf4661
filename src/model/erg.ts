/**
 * Ergo emission and Autolykos2 table rules (ergoplatform/ergo @ c3133569: application.conf `monetary`,
 * mainnet.conf `reemission`, ReemissionRules.scala, AutolykosPowScheme.scala; EIP-27).
 * All rewards in ERG (1 ERG = 1e9 nanoERG).
 */
export const ERG_BLOCK_TIME_S = 120;
const FIXED_RATE_PERIOD = 525_600;
const EPOCH_LENGTH = 64_800;
const FIXED_RATE = 75;
const ONE_EPOCH_REDUCTION = 3;
const FOUNDERS_END = FIXED_RATE_PERIOD + 2 * EPOCH_LENGTH; // 655,200
export const EIP27_ACTIVATION_HEIGHT = 777_217;
export const REEMISSION_START_HEIGHT = 2_080_800;
const REEMISSION_PER_BLOCK = 3;
const BASIC_CHARGE = 12;
/** Total re-emission (13,698,996 ERG) paid at 3 ERG per block. */
export const REEMISSION_BLOCKS = 4_566_332;

/** Gross coins created per block (miners + foundation), ERG. */
export function ergEmission(height: number): number {
  assertHeight(height);
  if (height < FIXED_RATE_PERIOD) return FIXED_RATE;
  const epochs = 1 + Math.floor((height - FIXED_RATE_PERIOD) / EPOCH_LENGTH);
  return Math.max(FIXED_RATE - ONE_EPOCH_REDUCTION * epochs, 0);
}

/** Miners' share before EIP-27 (the foundation took 7.5, then 4.5, then 1.5 ERG until h = 655,199). */
export function ergMinersReward(height: number): number {
  return height < FOUNDERS_END ? 67.5 : ergEmission(height);
}

/** ERG sent to the re-emission contract per block under EIP-27. */
export function ergReemission(height: number): number {
  if (height < EIP27_ACTIVATION_HEIGHT || height >= REEMISSION_START_HEIGHT) return 0;
  const e = ergEmission(height);
  if (e >= 15) return BASIC_CHARGE;
  return e > REEMISSION_PER_BLOCK ? e - REEMISSION_PER_BLOCK : 0;
}

/** What the miner can spend per block (before fees), ERG: the node's `/emission/at/{h}` minerReward. */
export function ergNetReward(height: number): number {
  assertHeight(height);
  if (height >= REEMISSION_START_HEIGHT) {
    return height < REEMISSION_START_HEIGHT + REEMISSION_BLOCKS ? REEMISSION_PER_BLOCK : 0;
  }
  return ergMinersReward(height) - ergReemission(height);
}

/** Heights at which any emission rule can change the net reward. */
const REWARD_STEP_HEIGHTS: readonly number[] = (() => {
  const hs = [
    FIXED_RATE_PERIOD,
    FOUNDERS_END,
    EIP27_ACTIVATION_HEIGHT,
    REEMISSION_START_HEIGHT,
    REEMISSION_START_HEIGHT + REEMISSION_BLOCKS,
  ];
  for (let h = FIXED_RATE_PERIOD + EPOCH_LENGTH; h < REEMISSION_START_HEIGHT; h += EPOCH_LENGTH) hs.push(h);
  return [...new Set(hs)].sort((a, b) => a - b);
})();

/** Next height after `height` at which the net reward changes, or null if it never does. */
export function ergNextRewardChangeHeight(height: number): number | null {
  const now = ergNetReward(height);
  for (const h of REWARD_STEP_HEIGHTS) if (h > height && ergNetReward(h) !== now) return h;
  return null;
}

const N_BASE = 2 ** 26;
const INCREASE_START = 600 * 1024;
const INCREASE_PERIOD = 50 * 1024;
const N_INCREASE_HEIGHT_MAX = 4_198_400;
/** Bytes per table element in the common miner layout (some miners use 32). */
export const AUTOLYKOS_ELEMENT_BYTES = 31;

/** Autolykos2 table size N at a height (integer arithmetic exactly as AutolykosPowScheme.calcN). */
export function autolykosN(height: number): number {
  assertHeight(height);
  const h = Math.min(height, N_INCREASE_HEIGHT_MAX);
  if (h < INCREASE_START) return N_BASE;
  const iters = Math.floor((h - INCREASE_START) / INCREASE_PERIOD) + 1;
  let n = N_BASE;
  for (let i = 0; i < iters; i++) n = Math.floor(n / 100) * 105;
  return n;
}

export function autolykosTableBytes(height: number): number {
  return autolykosN(height) * AUTOLYKOS_ELEMENT_BYTES;
}

/** First height after `height` at which N grows, or null past the cap. */
export function autolykosNextStepHeight(height: number): number | null {
  if (height >= N_INCREASE_HEIGHT_MAX) return null;
  if (height < INCREASE_START) return INCREASE_START;
  return INCREASE_START + (Math.floor((height - INCREASE_START) / INCREASE_PERIOD) + 1) * INCREASE_PERIOD;
}

function assertHeight(height: number): void {
  if (!Number.isInteger(height) || height < 0)
    throw new RangeError(`block height must be a non-negative integer, got ${height}`);
}
