import { z } from 'zod';
import type { SourceModule } from '../types.ts';
import { skusOf } from '../types.ts';
import type { Observation, RawResponse } from '../../domain/observations.ts';
import { parseBody, parseJsonText } from '../validate.ts';
import { extractOffer } from './offer-stream.ts';
import { SourceSchemaError } from '../../errors.ts';

/**
 * AWS Price List bulk files (docs.aws.amazon.com/awsaccountbilling, reading-the-offer-index.html):
 * offer index -> region index -> per-region EC2 offer file,
 * streamed and reduced to the GPU instance types we map (the 480 MB file is not archived; the extract is,
 * with the file's URL, version and publication date); and the keyless spot.json feed for Linux spot prices.
 */
export const EXTRACT_CONTENT_TYPE = 'application/x-rigpivot-aws-offer-extract+json';

export const offerIndexSchema = z
  .object({
    offers: z
      .object({ AmazonEC2: z.object({ currentRegionIndexUrl: z.string() }).passthrough() })
      .passthrough(),
  })
  .passthrough();
export const regionIndexSchema = z
  .object({ regions: z.record(z.string(), z.object({ currentVersionUrl: z.string() }).passthrough()) })
  .passthrough();
const extractSchema = z.object({
  region: z.string(),
  version: z.string().nullable(),
  publicationDate: z.string().nullable(),
  products: z.array(
    z.object({ sku: z.string(), instanceType: z.string(), regionCode: z.string(), location: z.string() }),
  ),
  onDemandUsdPerHour: z.record(z.string(), z.number().positive()),
  reservedUsdPerHour: z.record(
    z.string(),
    z.object({ '1y': z.number().positive().optional(), '3y': z.number().positive().optional() }),
  ),
});
export const spotFeedSchema = z
  .object({
    config: z
      .object({
        regions: z.array(
          z
            .object({
              region: z.string(),
              instanceTypes: z.array(
                z
                  .object({
                    sizes: z.array(
                      z
                        .object({
                          size: z.string(),
                          valueColumns: z.array(
                            z
                              .object({ name: z.string(), prices: z.record(z.string(), z.string()) })
                              .passthrough(),
                          ),
                        })
                        .passthrough(),
                    ),
                  })
                  .passthrough(),
              ),
            })
            .passthrough(),
        ),
      })
      .passthrough(),
  })
  .passthrough();

export const aws: SourceModule = {
  name: 'aws',
  description:
    'AWS Price List bulk offer files (streamed) and the public spot feed: GPU instance prices, Linux, ' +
    'configured regions',
  unavailable: () => null,
  async fetch({ http, config, skus, progress }) {
    const base = config.awsPricingBaseUrl;
    const idx = await http.getJson(`${base}/offers/v1.0/aws/index.json`, { source: 'aws', cacheTtlS: 3600 });
    const offerIndex = parseBody('aws', idx.url, idx.data, offerIndexSchema);
    const ri = await http.getJson(`${base}${offerIndex.offers.AmazonEC2.currentRegionIndexUrl}`, {
      source: 'aws',
      cacheTtlS: 3600,
    });
    const regionIndex = parseBody('aws', ri.url, ri.data, regionIndexSchema);
    const out: RawResponse[] = [];
    const allow = new Set(skusOf(skus, 'aws').keys());
    for (const region of config.awsRegions) {
      const entry = regionIndex.regions[region];
      if (!entry)
        throw new SourceSchemaError(
          'aws',
          `region index has no region "${region}" (known: ` +
            `${Object.keys(regionIndex.regions).slice(0, 8).join(', ')}...) (GET ${ri.url})`,
        );
      const file = await http.getStream(`${base}${entry.currentVersionUrl}`, { source: 'aws' });
      let done = 0;
      const extract = await extractOffer(file.stream, allow, (n) => {
        done += n;
        progress?.('aws', done, file.contentLength);
      });
      out.push({
        source: 'aws',
        url: file.url,
        fetchedAt: new Date().toISOString(),
        status: file.status,
        contentType: EXTRACT_CONTENT_TYPE,
        body: JSON.stringify({ region, ...extract }),
      });
    }
    const spot = await http.getJson(config.awsSpotUrl, { source: 'aws', cacheTtlS: 600 });
    out.push({
      source: 'aws',
      url: spot.url,
      fetchedAt: spot.fetchedAt,
      status: spot.status,
      body: spot.text,
    });
    return out;
  },
  normalise(raws, { skus, config }) {
    const obs: Observation[] = [];
    for (const raw of raws) {
      const body = parseJsonText('aws', raw.url, raw.body);
      if (raw.contentType === EXTRACT_CONTENT_TYPE) {
        const x = parseBody('aws', raw.url, body, extractSchema);
        const asOf = x.publicationDate ?? raw.fetchedAt;
        for (const p of x.products) {
          const sku = skusOf(skus, 'aws').get(p.instanceType)!;
          const meta = {
            cloudGpu: sku.cloudGpu,
            gpuCount: sku.gpuCount,
            provider: 'aws',
            region: x.region,
            sku: p.instanceType,
            offerVersion: x.version ?? '',
          };
          const add = (priceType: string, value: number, kind: 'measured' | 'derived') =>
            obs.push({
              series: 'cloud.usdPerInstanceHour',
              key: `aws:${x.region}:${p.instanceType}:${priceType}`,
              value,
              asOf,
              kind,
              source: 'aws',
              sourceUrl: raw.url,
              meta: { ...meta, priceType },
            });
          const od = x.onDemandUsdPerHour[p.sku];
          if (od !== undefined) add('on-demand', od, 'measured');
          const r = x.reservedUsdPerHour[p.sku];
          if (r?.['1y']) add('reservation-1y', r['1y'], 'derived');
          if (r?.['3y']) add('reservation-3y', r['3y'], 'derived');
        }
      } else {
        const feed = parseBody('aws', raw.url, body, spotFeedSchema);
        for (const reg of feed.config.regions) {
          if (!config.awsRegions.includes(reg.region)) continue;
          for (const it of reg.instanceTypes)
            for (const size of it.sizes) {
              const sku = skusOf(skus, 'aws').get(size.size);
              const linux = size.valueColumns.find((v) => v.name === 'linux')?.prices.USD;
              const value = Number(linux);
              if (!sku || !(value > 0)) continue; // "N/A*" marks sizes not offered as spot
              obs.push({
                series: 'cloud.usdPerInstanceHour',
                key: `aws:${reg.region}:${size.size}:spot`,
                value,
                asOf: raw.fetchedAt,
                kind: 'measured',
                source: 'aws',
                sourceUrl: raw.url,
                meta: {
                  cloudGpu: sku.cloudGpu,
                  gpuCount: sku.gpuCount,
                  provider: 'aws',
                  region: reg.region,
                  sku: size.size,
                  priceType: 'spot',
                },
              });
            }
        }
      }
    }
    return obs;
  },
};
