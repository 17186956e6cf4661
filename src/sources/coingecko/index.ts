import { z } from 'zod';
import { DateTime } from 'luxon';
import type { SourceModule } from '../types.ts';
import type { Observation } from '../../domain/observations.ts';
import { parseBody, parseJsonText, requireNoJump, requirePositive } from '../validate.ts';
import { COINS } from '../../domain/types.ts';
import { COIN_INFO } from '../../domain/coins.ts';
import { FX_CURRENCIES } from '../../domain/currency.ts';

/**
 * CoinGecko simple/price for every registered coin (ids from domain/coins.ts) and bitcoin, in USD and in
 * the display currencies (domain/currency.ts): bitcoin's price in EUR over its price in USD is the EUR per
 * USD rate of that moment (the same ratio CoinGecko's /exchange_rates gives, from one request).
 */
const GECKO_IDS = COINS.map((c) => COIN_INFO[c].coingeckoId);

const quote = z
  .object({
    usd: z.number(),
    ...Object.fromEntries(FX_CURRENCIES.map((c) => [c.toLowerCase(), z.number().optional()])),
    usd_24h_change: z.number().nullable().optional(),
    last_updated_at: z.number().int().positive().optional(),
  })
  .passthrough();
export const simplePriceSchema = z
  .object({ ...Object.fromEntries(GECKO_IDS.map((id) => [id, quote])), bitcoin: quote.optional() })
  .passthrough();

export const marketChartSchema = z
  .object({ prices: z.array(z.tuple([z.number(), z.number()])).min(1) })
  .passthrough();

export function simplePriceUrl(base: string): string {
  const ids = [...GECKO_IDS, 'bitcoin'].join(',');
  const vs = ['usd', ...FX_CURRENCIES.map((c) => c.toLowerCase())].join(',');
  return (
    `${base}/simple/price?ids=${ids}&vs_currencies=${vs}` +
    '&include_24hr_change=true&include_last_updated_at=true'
  );
}

export const FX_METHOD =
  'CoinGecko simple/price: bitcoin in the currency / bitcoin in USD, at the same update time';

/**
 * Units of each display currency per USD from bitcoin's quote (`eur` / `usd`), as derived observations
 * dated at the quote's update time. A currency absent from the answer yields nothing; a present one must be
 * a positive number.
 */
export function fxFromQuote(btc: { usd: number }, asOf: string, url: string): Observation[] {
  return FX_CURRENCIES.flatMap((code): Observation[] => {
    const v = (btc as Record<string, unknown>)[code.toLowerCase()];
    if (typeof v !== 'number') return []; // the schema already refused a present non-number
    requirePositive('coingecko', `bitcoin.${code.toLowerCase()}`, v, url);
    return [
      {
        series: 'fx.perUsd',
        key: code,
        value: v / btc.usd,
        asOf,
        kind: 'derived',
        source: 'coingecko',
        sourceUrl: url,
        meta: { method: FX_METHOD },
      },
    ];
  });
}

export const coingecko: SourceModule = {
  name: 'coingecko',
  description: `CoinGecko simple/price: ${COINS.join(', ')} and BTC in USD with the 24 h change`,
  unavailable: () => null,
  async fetch({ http, config }) {
    const url = simplePriceUrl(config.coingeckoBaseUrl);
    const headers = config.coingeckoApiKey ? { 'x-cg-demo-api-key': config.coingeckoApiKey } : undefined;
    const r = await http.getJson(url, { source: 'coingecko', headers, cacheTtlS: 120 });
    return [{ source: 'coingecko', url: r.url, fetchedAt: r.fetchedAt, status: r.status, body: r.text }];
  },
  normalise(raws, { config }) {
    return raws.flatMap((raw) => {
      const p = parseBody(
        'coingecko',
        raw.url,
        parseJsonText('coingecko', raw.url, raw.body),
        simplePriceSchema,
      );
      const obs: Observation[] = [];
      const add = (key: string, q: z.infer<typeof quote>, series: Observation['series']) => {
        requirePositive('coingecko', `${key} price`, q.usd, raw.url);
        if (q.usd_24h_change !== null && q.usd_24h_change !== undefined)
          requireNoJump(
            'coingecko',
            `${key} price`,
            q.usd,
            q.usd / (1 + q.usd_24h_change / 100),
            config.maxJumpFactor,
            raw.url,
          );
        const asOf = q.last_updated_at
          ? DateTime.fromSeconds(q.last_updated_at, { zone: 'utc' }).toISO()!
          : raw.fetchedAt;
        obs.push({
          series,
          key,
          value: q.usd,
          asOf,
          kind: 'measured',
          source: 'coingecko',
          sourceUrl: raw.url,
        });
      };
      for (const c of COINS) add(c, p[COIN_INFO[c].coingeckoId] as z.infer<typeof quote>, 'coin.priceUsd');
      if (p.bitcoin) {
        add('BTC', p.bitcoin, 'btc.priceUsd');
        obs.push(...fxFromQuote(p.bitcoin, obs.at(-1)!.asOf, raw.url));
      }
      return obs;
    });
  },
};

/** market_chart?vs_currency=usd&days=N -> daily closes (the last point of each UTC day). */
export function normaliseMarketChart(
  source: string,
  url: string,
  body: unknown,
): { date: string; value: number }[] {
  const p = parseBody(source, url, body, marketChartSchema);
  const byDay = new Map<string, number>();
  for (const [ms, price] of p.prices)
    if (price > 0) byDay.set(DateTime.fromMillis(ms, { zone: 'utc' }).toISODate()!, price);
  return [...byDay].map(([date, value]) => ({ date, value })).sort((a, b) => a.date.localeCompare(b.date));
}
