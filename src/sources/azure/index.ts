import { z } from 'zod';
import type { CloudPriceType } from '../../domain/types.ts';
import type { SourceModule, NormaliseContext } from '../types.ts';
import { skusOf } from '../types.ts';
import type { Observation, RawResponse } from '../../domain/observations.ts';
import { parseBody, parseJsonText } from '../validate.ts';
import { SourceSchemaError } from '../../errors.ts';
import type { HttpResult } from '../http.ts';
import { redactUrl, sameHost } from '../urls.ts';

type AzurePageShape = { Items?: unknown[]; NextPageLink?: string | null; Count?: number };

/**
 * Azure Retail Prices API (learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices).
 * GPU VM SKUs in the configured regions, every page
 * followed through NextPageLink (page size not assumed; an empty NextPageLink on a full page is the
 * 2023-03-10 bug: continue with $skip). Linux only. Consumption -> on-demand; "... Spot" -> spot;
 * "... Low Priority" -> low-priority; Reservation (unitPrice = total for the term) -> per hour over
 * 8,760 / 26,280 h; savingsPlan (already hourly) kept apart; DevTestConsumption dropped; `type` re-checked here.
 */
export const azureItemSchema = z
  .object({
    currencyCode: z.string(),
    retailPrice: z.number(),
    unitPrice: z.number(),
    armRegionName: z.string(),
    armSkuName: z.string(),
    productName: z.string(),
    skuName: z.string(),
    meterName: z.string(),
    serviceName: z.string(),
    unitOfMeasure: z.string(),
    type: z.string(),
    effectiveStartDate: z.string(),
    reservationTerm: z.string().optional(),
    isPrimaryMeterRegion: z.boolean().optional(),
    savingsPlan: z.array(z.object({ term: z.string(), unitPrice: z.number() }).passthrough()).optional(),
  })
  .passthrough();

export const azurePageSchema = z
  .object({
    BillingCurrency: z.string().optional(),
    Items: z.array(z.unknown()),
    NextPageLink: z.string().nullable().optional(),
    Count: z.number().int().nonnegative(),
  })
  .passthrough();

const WINDOWS = /\bWin(dows)?\b/;
const HOURS = { '1 Year': 8_760, '3 Years': 26_280 } as const;

export function azureFilter(region: string, skus: string[]): string {
  const list = skus.map((s) => `armSkuName eq '${s}'`).join(' or ');
  return `serviceName eq 'Virtual Machines' and armRegionName eq '${region}' and (${list})`;
}

export const azure: SourceModule = {
  name: 'azure',
  description:
    'Azure Retail Prices API: GPU VM prices (on-demand, spot, low priority, reservations, savings ' +
    'plans), Linux, configured regions',
  unavailable: () => null,
  async fetch({ http, config, skus }) {
    const out: RawResponse[] = [];
    for (const region of config.azureRegions) {
      const filter = encodeURIComponent(azureFilter(region, [...skusOf(skus, 'azure').keys()]));
      const first = `${config.azureBaseUrl}?api-version=2023-01-01-preview&$filter=${filter}`;
      let url: string | null = first;
      let offset = 0;
      let pageSize = 0;
      for (let page = 1; url; page++) {
        if (page > 500)
          throw new SourceSchemaError(
            'azure',
            `more than 500 pages for ${region}: NextPageLink loops (last ${url})`,
          );
        const r: HttpResult<AzurePageShape> = await http.getJson<AzurePageShape>(url, {
          source: 'azure',
          cacheTtlS: 3600,
        });
        out.push({ source: 'azure', url: r.url, fetchedAt: r.fetchedAt, status: r.status, body: r.text });
        const count = r.data.Count ?? r.data.Items?.length ?? 0;
        offset += count;
        pageSize = Math.max(pageSize, count);
        if (r.data.NextPageLink) url = nextPage(first, r.data.NextPageLink, page, region);
        else if (count > 0 && count === pageSize && pageSize >= 100 && page > 1)
          url = `${first}&$skip=${offset}`;
        else url = null;
      }
    }
    return out;
  },
  normalise(raws, ctx) {
    const best = new Map<string, Observation & { primary: boolean }>();
    for (const raw of raws) {
      const page = parseBody('azure', raw.url, parseJsonText('azure', raw.url, raw.body), azurePageSchema);
      page.Items.forEach((item, i) => {
        const it = parseBody('azure', `${raw.url} Items[${i}]`, item, azureItemSchema);
        for (const o of azureObservations(it, raw, ctx)) {
          const key = `${o.key}`;
          const prev = best.get(key);
          const primary = it.isPrimaryMeterRegion !== false;
          if (!prev || (primary && !prev.primary) || (primary === prev.primary && o.asOf > prev.asOf))
            best.set(key, { ...o, primary });
        }
      });
    }
    return [...best.values()].map(({ primary: _p, ...o }) => o);
  },
};

/** NextPageLink, followed only on the host of the first page (a page naming another host is refused). */
function nextPage(first: string, link: string, page: number, region: string): string {
  let next: URL;
  try {
    next = new URL(link, first);
  } catch {
    throw new SourceSchemaError(
      'azure',
      `page ${page} for ${region}: NextPageLink "${link.slice(0, 200)}" is not a URL`,
    );
  }
  if (!sameHost(first, next))
    throw new SourceSchemaError(
      'azure',
      `page ${page} for ${region}: NextPageLink points to another host (${redactUrl(next.href).slice(0, 300)}), ` +
        `not ${new URL(first).host}: refused (GET ${redactUrl(first)})`,
    );
  return next.href;
}

function azureObservations(
  it: z.infer<typeof azureItemSchema>,
  raw: RawResponse,
  ctx: NormaliseContext,
): Observation[] {
  const sku = skusOf(ctx.skus, 'azure').get(it.armSkuName);
  if (
    !sku ||
    it.serviceName !== 'Virtual Machines' ||
    it.currencyCode !== 'USD' ||
    it.unitOfMeasure !== '1 Hour'
  )
    return [];
  if (WINDOWS.test(it.productName) || it.type === 'DevTestConsumption' || !(it.retailPrice > 0)) return [];
  const meta = {
    cloudGpu: sku.cloudGpu,
    gpuCount: sku.gpuCount,
    provider: 'azure',
    region: it.armRegionName,
    sku: it.armSkuName,
  };
  const obs = (priceType: CloudPriceType, usdPerHour: number): Observation => ({
    series: 'cloud.usdPerInstanceHour',
    key: `azure:${it.armRegionName}:${it.armSkuName}:${priceType}`,
    value: usdPerHour,
    asOf: raw.fetchedAt,
    kind: priceType.startsWith('reservation') ? 'derived' : 'measured',
    source: 'azure',
    sourceUrl: raw.url,
    meta: { ...meta, priceType, effectiveStartDate: it.effectiveStartDate },
  });
  const name = `${it.skuName} ${it.meterName}`;
  if (it.type === 'Reservation') {
    const hours = HOURS[it.reservationTerm as keyof typeof HOURS];
    if (!hours) return [];
    return [obs(it.reservationTerm === '1 Year' ? 'reservation-1y' : 'reservation-3y', it.unitPrice / hours)];
  }
  if (it.type !== 'Consumption') return [];
  const priceType: CloudPriceType = / Spot\b/.test(name)
    ? 'spot'
    : / Low Priority\b/.test(name)
      ? 'low-priority'
      : 'on-demand';
  const out = [obs(priceType, it.unitPrice)];
  if (priceType === 'on-demand') {
    for (const sp of it.savingsPlan ?? []) {
      if (sp.term === '1 Year' || sp.term === '3 Years')
        out.push(obs(sp.term === '1 Year' ? 'savings-plan-1y' : 'savings-plan-3y', sp.unitPrice));
    }
  }
  return out;
}
