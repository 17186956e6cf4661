import { z } from 'zod';
import { readFileSync, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DeviceModel } from '../../domain/types.ts';
import type { SourceModule } from '../types.ts';
import type { Observation, RawResponse } from '../../domain/observations.ts';
import { parseBody, parseJsonText, requirePositive } from '../validate.ts';
import { SourceSchemaError } from '../../errors.ts';

/**
 * Consumer-GPU marketplace reference prices (RunPod, Salad, vast.ai...) from a file the user drops in
 * (RIGPIVOT_MARKETPLACE_FILE) or a URL (RIGPIVOT_MARKETPLACE_URL). Two formats:
 * - JSON: {"quotes": [{"marketplace", "tier", "model", "usdPerGpuHour", "asOf", "source"}]}
 * - CSV in the becloudready/gpu-price shape (provider,product,gpu_count,vram_gb,...,price_per_hour_usd),
 *   dated by a YYYY-MM-DD in its file name; tier "listed".
 */
export const quoteFileSchema = z.object({
  quotes: z
    .array(
      z.object({
        marketplace: z.string().min(1),
        tier: z.string().min(1),
        model: z.string().min(1),
        usdPerGpuHour: z.number(),
        asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected an ISO date'),
        source: z.string().min(1),
      }),
    )
    .min(1),
});

/** Map a marketplace's GPU name (and VRAM) to a catalogue id, or null when the card is not ours. */
export function matchModelId(
  name: string,
  vramGb: number | null,
  models: ReadonlyMap<string, DeviceModel>,
): string | null {
  const slug = name
    .toLowerCase()
    .replace(/nvidia|geforce/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  if (models.has(slug)) return slug;
  if (/a100/.test(slug)) {
    const v = vramGb ?? (/80/.test(slug) ? 80 : 40);
    const id = `a100-${v >= 80 ? 80 : 40}gb-pcie`;
    return /sxm/.test(slug) ? null : models.has(id) ? id : null;
  }
  return null;
}

export const marketplace: SourceModule = {
  name: 'marketplace',
  description: 'Marketplace reference prices per GPU-hour from a dropped-in file or a configured URL',
  unavailable: (c) =>
    c.marketplaceFile || c.marketplaceUrl
      ? null
      : 'no marketplace file or URL: set RIGPIVOT_MARKETPLACE_FILE or RIGPIVOT_MARKETPLACE_URL',
  async fetch({ http, config }) {
    if (config.marketplaceUrl) {
      const r = await http.getJson(config.marketplaceUrl, { source: 'marketplace', cacheTtlS: 600 });
      return [{ source: 'marketplace', url: r.url, fetchedAt: r.fetchedAt, status: r.status, body: r.text }];
    }
    const file = resolve(config.marketplaceFile!);
    if (!existsSync(file))
      throw new SourceSchemaError('marketplace', `file not found: ${file} (RIGPIVOT_MARKETPLACE_FILE)`);
    return [
      {
        source: 'marketplace',
        url: pathToFileURL(file).href,
        fetchedAt: new Date().toISOString(),
        status: 200,
        body: readFileSync(file, 'utf8'),
        contentType: file.endsWith('.csv') ? 'text/csv' : 'application/json',
      },
    ];
  },
  normalise(raws, { models }) {
    return raws.flatMap((raw) =>
      raw.contentType === 'text/csv' || raw.url.endsWith('.csv')
        ? fromCsv(raw, models)
        : fromJson(raw, models),
    );
  },
};

function fromJson(raw: RawResponse, models: ReadonlyMap<string, DeviceModel>): Observation[] {
  const f = parseBody(
    'marketplace',
    raw.url,
    parseJsonText('marketplace', raw.url, raw.body),
    quoteFileSchema,
  );
  return f.quotes.flatMap((q, i) => {
    const id = matchModelId(q.model, null, models);
    if (!id) return [];
    requirePositive('marketplace', `quotes[${i}].usdPerGpuHour`, q.usdPerGpuHour, raw.url);
    return [
      {
        series: 'market.usdPerGpuHour' as const,
        key: `${q.marketplace}:${q.tier}:${id}`,
        value: q.usdPerGpuHour,
        asOf: q.asOf,
        kind: 'measured' as const,
        source: 'marketplace',
        sourceUrl: raw.url,
        meta: { marketplace: q.marketplace, tier: q.tier, modelId: id, origin: q.source },
      },
    ];
  });
}

function fromCsv(raw: RawResponse, models: ReadonlyMap<string, DeviceModel>): Observation[] {
  const date = basename(raw.url).match(/(\d{4}-\d{2}-\d{2})/)?.[1];
  if (!date)
    throw new SourceSchemaError(
      'marketplace',
      `a CSV needs its date in the file name (YYYY-MM-DD): ${raw.url}`,
    );
  const lines = raw.body.trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const col = (n: string) => {
    const i = header.indexOf(n);
    if (i < 0)
      throw new SourceSchemaError(
        'marketplace',
        `CSV column "${n}" missing (have: ${header.join(', ')}) (${raw.url})`,
      );
    return i;
  };
  const [cp, cprod, cvram, cprice] = [
    col('provider'),
    col('product'),
    col('vram_gb'),
    col('price_per_hour_usd'),
  ];
  return lines.slice(1).flatMap((line) => {
    const f = line.split(',');
    const price = Number(f[cprice]);
    const id = matchModelId(f[cprod] ?? '', Number(f[cvram]) || null, models);
    if (!id || !(price > 0)) return [];
    return [
      {
        series: 'market.usdPerGpuHour' as const,
        key: `${f[cp]}:listed:${id}`,
        value: price,
        asOf: date,
        kind: 'measured' as const,
        source: 'marketplace',
        sourceUrl: raw.url,
        meta: { marketplace: f[cp]!, tier: 'listed', modelId: id, origin: raw.url },
      },
    ];
  });
}
