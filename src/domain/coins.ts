/**
 * The coin registry's static half: what each minable coin is called, which algorithm it uses (also the key
 * of a device's mining profile in the catalogue) and how the public price and calculator feeds name it.
 * The protocol half (block time, reward by height, memory by height, chain anchor) is model/coins.ts.
 * Adding a coin: src/ARCHITECTURE.md "Add a coin". This module imports nothing.
 */
import { COINS, type Coin } from './types.ts';

export interface CoinInfo {
  coin: Coin;
  name: string;
  /** Algorithm id: the key of the mining profile in data/reference/gpus.json (`kawpow`, `autolykos2`). */
  algorithm: string;
  algorithmName: string;
  /** How the network's difficulty is read: Bitcoin-style (x 2^32 hashes per block) or hashes per block. */
  difficultyNote: string;
  /** CoinGecko coin id (simple/price). */
  coingeckoId: string;
  /** WhatToMine coin id (coins/<id>.json). */
  whattomineId: number;
}

export const COIN_INFO = {
  RVN: {
    coin: 'RVN',
    name: 'Ravencoin',
    algorithm: 'kawpow',
    algorithmName: 'KawPow',
    difficultyNote: 'Bitcoin-style difficulty (x 2^32 hashes per block)',
    coingeckoId: 'ravencoin',
    whattomineId: 234,
  },
  ERG: {
    coin: 'ERG',
    name: 'Ergo',
    algorithm: 'autolykos2',
    algorithmName: 'Autolykos2',
    difficultyNote: 'expected hashes per block',
    coingeckoId: 'ergo',
    whattomineId: 340,
  },
} as const satisfies { [C in Coin]: CoinInfo & { coin: C } };

export type Algorithm = (typeof COIN_INFO)[Coin]['algorithm'];
export const ALGORITHMS: readonly Algorithm[] = COINS.map((c) => COIN_INFO[c].algorithm);

export function isCoin(x: unknown): x is Coin {
  return typeof x === 'string' && (COINS as readonly string[]).includes(x);
}

/** `{ RVN: f('RVN'), ERG: f('ERG') }` for every registered coin. */
export function byCoin<T>(f: (coin: Coin) => T): Record<Coin, T> {
  return Object.fromEntries(COINS.map((c) => [c, f(c)])) as Record<Coin, T>;
}
