import { z } from 'zod';
import { DateTime } from 'luxon';
import type { SourceModule } from '../types.ts';
import type { Observation, RawResponse } from '../../domain/observations.ts';
import { parseBody, requirePositive } from '../validate.ts';
import { parseJsonLossless, toNumber } from '../../lib/json.ts';
import { SourceSchemaError } from '../../errors.ts';

/**
 * Ergo: node GET /info (difficulty, fullHeight; headersScore exceeds 2^53, so parsed losslessly) and
 * GET /emission/at/{h} (minerReward, nanoERG, already net of EIP-27); without a node, the explorer's
 * GET /api/v1/blocks?limit=1 (height, difficulty, minerReward). Fields as in ergoplatform/ergo's node API and
 * ergoplatform/explorer-backend.
 */
const bigInt = z.union([z.number(), z.string().regex(/^\d+$/)]);
export const nodeInfoSchema = z
  .object({
    fullHeight: z.number().int().nonnegative(),
    difficulty: bigInt,
    headersScore: bigInt.optional(),
    launchTime: z.number().optional(),
    lastSeenMessageTime: z.number().optional(),
  })
  .passthrough();
export const emissionSchema = z
  .object({
    height: z.number().int().nonnegative(),
    minerReward: bigInt,
    totalCoinsIssued: bigInt,
    totalRemainCoins: bigInt,
    reemitted: bigInt.optional(),
  })
  .passthrough();
export const explorerBlocksSchema = z
  .object({
    items: z
      .array(
        z
          .object({
            height: z.number().int().nonnegative(),
            timestamp: z.number().int().positive(),
            difficulty: bigInt,
            minerReward: bigInt,
          })
          .passthrough(),
      )
      .min(1),
    total: z.number().int(),
  })
  .passthrough();

function kindOf(url: string): 'info' | 'emission' | 'blocks' {
  if (/\/info(\?|$)/.test(url)) return 'info';
  if (/\/emission\/at\/\d+/.test(url)) return 'emission';
  if (/\/api\/v1\/blocks/.test(url)) return 'blocks';
  throw new SourceSchemaError('ergo', `unexpected response URL ${url}`);
}

export const ergo: SourceModule = {
  name: 'ergo',
  description:
    'Ergo node /info and /emission/at/{h}, or the explorer /api/v1/blocks: difficulty, height, net block reward',
  unavailable: () => null,
  async fetch({ http, config }) {
    const raw = (r: { url: string; fetchedAt: string; status: number; text: string }): RawResponse => ({
      source: 'ergo',
      url: r.url,
      fetchedAt: r.fetchedAt,
      status: r.status,
      body: r.text,
    });
    if (config.ergoNodeUrl) {
      const info = await http.getJson(
        `${config.ergoNodeUrl}/info`,
        { source: 'ergo', cacheTtlS: 60 },
        parseJsonLossless,
      );
      const h = (info.data as { fullHeight?: number }).fullHeight;
      const out = [raw(info)];
      if (typeof h === 'number')
        out.push(
          raw(
            await http.getJson(
              `${config.ergoNodeUrl}/emission/at/${h}`,
              { source: 'ergo', cacheTtlS: 60 },
              parseJsonLossless,
            ),
          ),
        );
      return out;
    }
    return [
      raw(
        await http.getJson(
          `${config.ergoExplorerUrl}/api/v1/blocks?offset=0&limit=1&sortBy=height&sortDirection=desc`,
          { source: 'ergo', cacheTtlS: 60 },
          parseJsonLossless,
        ),
      ),
    ];
  },
  normalise(raws) {
    return raws.flatMap((raw): Observation[] => {
      let body: unknown;
      try {
        body = parseJsonLossless(raw.body);
      } catch (e) {
        throw new SourceSchemaError(
          'ergo',
          `response is not JSON (${(e as Error).message.slice(0, 60)}) (GET ${raw.url})`,
        );
      }
      const base = { key: 'ERG', kind: 'measured' as const, source: 'ergo', sourceUrl: raw.url };
      switch (kindOf(raw.url)) {
        case 'info': {
          const i = parseBody('ergo', raw.url, body, nodeInfoSchema);
          const asOf = i.lastSeenMessageTime
            ? DateTime.fromMillis(i.lastSeenMessageTime, { zone: 'utc' }).toISO()!
            : raw.fetchedAt;
          return [
            {
              ...base,
              asOf,
              series: 'coin.difficulty',
              value: requirePositive('ergo', 'difficulty', toNumber(i.difficulty), raw.url),
            },
            { ...base, asOf, series: 'coin.height', value: i.fullHeight },
          ];
        }
        case 'emission': {
          const e = parseBody('ergo', raw.url, body, emissionSchema);
          return [
            {
              ...base,
              asOf: raw.fetchedAt,
              series: 'coin.blockRewardReported',
              value: toNumber(e.minerReward) / 1e9,
              meta: { height: e.height },
            },
          ];
        }
        case 'blocks': {
          const b = parseBody('ergo', raw.url, body, explorerBlocksSchema).items[0]!;
          const asOf = DateTime.fromMillis(b.timestamp, { zone: 'utc' }).toISO()!;
          return [
            {
              ...base,
              asOf,
              series: 'coin.difficulty',
              value: requirePositive('ergo', 'difficulty', toNumber(b.difficulty), raw.url),
            },
            { ...base, asOf, series: 'coin.height', value: b.height },
            // the explorer's minerReward is the coinbase incl. re-emission tokens' ERG; kept as reported,
            // checked against our rules
            {
              ...base,
              asOf,
              series: 'coin.blockRewardReported',
              value: toNumber(b.minerReward) / 1e9,
              meta: { height: b.height },
            },
          ];
        }
      }
    });
  },
};
