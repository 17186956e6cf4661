/**
 * Ravencoin consensus rules we need (RavenProject/Ravencoin @ 6d48ae01):
 * block subsidy (src/validation.cpp GetBlockSubsidy), 60 s target spacing (src/chainparams.cpp),
 * KawPow DAG and light-cache sizes (src/crypto/ethash: epoch 7,500 blocks, 128-byte items,
 * 2^30 initial + 2^23 per epoch, light cache 2^24 + 2^17 per epoch, 64-byte items).
 */
export const RVN_BLOCK_TIME_S = 60;
export const RVN_HALVING_INTERVAL = 2_100_000;
export const KAWPOW_EPOCH_LENGTH = 7_500;
const COIN_SAT = 100_000_000n;
const INITIAL_SUBSIDY_SAT = 5_000n * COIN_SAT;

/** Block subsidy in RVN at height h: `5000 >> floor(h / 2,100,000)`, computed in satoshis like the node. */
export function rvnSubsidy(height: number): number {
  assertHeight(height);
  const halvings = Math.floor(height / RVN_HALVING_INTERVAL);
  if (halvings >= 64) return 0;
  return Number(INITIAL_SUBSIDY_SAT >> BigInt(halvings)) / Number(COIN_SAT);
}

/** First height at which the subsidy changes after `height`. */
export function rvnNextHalvingHeight(height: number): number {
  assertHeight(height);
  return (Math.floor(height / RVN_HALVING_INTERVAL) + 1) * RVN_HALVING_INTERVAL;
}

export function kawpowEpoch(height: number): number {
  assertHeight(height);
  return Math.floor(height / KAWPOW_EPOCH_LENGTH);
}

function isOddPrime(n: number): boolean {
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/** ethash's largest prime not above n (n > 2). */
export function largestPrime(n: number): number {
  let c = n % 2 === 0 ? n - 1 : n;
  while (!isOddPrime(c)) c -= 2;
  return c;
}

const dagCache = new Map<number, number>();
const lightCache = new Map<number, number>();

/** Full dataset (DAG) size in bytes for an epoch (memoised: the prime search is the costly part). */
export function kawpowDagBytes(epoch: number): number {
  let v = dagCache.get(epoch);
  if (v === undefined) dagCache.set(epoch, (v = 128 * largestPrime(8_388_608 + epoch * 65_536)));
  return v;
}

/** Light cache size in bytes for an epoch (also held in VRAM while mining). */
export function kawpowLightCacheBytes(epoch: number): number {
  let v = lightCache.get(epoch);
  if (v === undefined) lightCache.set(epoch, (v = 64 * largestPrime(262_144 + epoch * 2_048)));
  return v;
}

function assertHeight(height: number): void {
  if (!Number.isInteger(height) || height < 0)
    throw new RangeError(`block height must be a non-negative integer, got ${height}`);
}
