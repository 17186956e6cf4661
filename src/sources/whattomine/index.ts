import { z } from 'zod';
import type { SourceModule } from '../types.ts';
import type { Observation, RawResponse } from '../../domain/observations.ts';
import { parseBody, parseJsonText, requireNoJump, requirePositive } from '../validate.ts';
import { DateTime } from 'luxon';
import { COINS } from '../../domain/types.ts';
import { COIN_INFO, isCoin } from '../../domain/coins.ts';

/** WhatToMine single-coin JSON, coins/<id>.json, for every registered coin (ids from domain/coins.ts). */
const WTM_IDS = COINS.map((c) => COIN_INFO[c].whattomineId);

const num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?[\d.]+(e[+-]?\d+)?$/i)
    .transform(Number),
]);
export const wtmCoinSchema = z
  .object({
    id: z.number().int(),
    tag: z.string(),
    algorithm: z.string(),
    block_reward: num,
    block_reward24: num.optional(),
    last_block: z.number().int().nonnegative(),
    difficulty: num,
    difficulty24: num.optional(),
    nethash: num.optional(),
    exchange_rate: num,
    exchange_rate24: num.optional(),
    exchange_rate_curr: z.string(),
    timestamp: z.number().int().positive(),
  })
  .passthrough();

export const whattomine: SourceModule = {
  name: 'whattomine',
  description:
    `WhatToMine coins ${COINS.map((c) => `${COIN_INFO[c].whattomineId} (${c})`).join(', ')}:` +
    ' difficulty, height, reported block reward, price in BTC',
  unavailable: () => null,
  async fetch({ http, config }) {
    const out: RawResponse[] = [];
    for (const id of WTM_IDS) {
      const url = `${config.whattomineBaseUrl}/coins/${id}.json`;
      // WTM answers 403 to bot-like clients: browser-like headers, and the HTTP client spaces requests 3 s apart.
      const r = await http.getJson(url, {
        source: 'whattomine',
        headers: {
          Accept: 'application/json, text/javascript, */*',
          Referer: `${config.whattomineBaseUrl}/coins`,
        },
        cacheTtlS: 600,
      });
      out.push({ source: 'whattomine', url: r.url, fetchedAt: r.fetchedAt, status: r.status, body: r.text });
    }
    return out;
  },
  normalise(raws, { config }) {
    return raws.flatMap((raw): Observation[] => {
      const c = parseBody(
        'whattomine',
        raw.url,
        parseJsonText('whattomine', raw.url, raw.body),
        wtmCoinSchema,
      );
      const coin = isCoin(c.tag) ? c.tag : null;
      if (!coin) return [];
      const asOf = DateTime.fromSeconds(c.timestamp, { zone: 'utc' }).toISO()!;
      const base = { key: coin, asOf, kind: 'measured' as const, source: 'whattomine', sourceUrl: raw.url };
      requirePositive('whattomine', `${coin} difficulty`, c.difficulty, raw.url);
      requireNoJump(
        'whattomine',
        `${coin} difficulty`,
        c.difficulty,
        c.difficulty24,
        config.maxJumpFactor,
        raw.url,
      );
      const obs: Observation[] = [
        { ...base, series: 'coin.difficulty', value: c.difficulty },
        { ...base, series: 'coin.height', value: c.last_block },
        {
          ...base,
          series: 'coin.blockRewardReported',
          value: requirePositive('whattomine', `${coin} block_reward`, c.block_reward, raw.url),
          meta: { height: c.last_block },
        },
      ];
      if (c.exchange_rate_curr === 'BTC') {
        requirePositive('whattomine', `${coin} exchange_rate`, c.exchange_rate, raw.url);
        requireNoJump(
          'whattomine',
          `${coin} exchange_rate`,
          c.exchange_rate,
          c.exchange_rate24,
          config.maxJumpFactor,
          raw.url,
        );
        obs.push({ ...base, series: 'coin.priceBtc', value: c.exchange_rate });
      }
      return obs;
    });
  },
};
