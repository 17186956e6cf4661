import type { CloudOffer, CloudPriceType, MarketplaceQuote } from '../domain/types.ts';

/**
 * Dated GPU rental price tables (the cloud-GPU table's git versions 2022-08..2025-03 and the 2026-02
 * marketplace scrape, imported as cloud.* history rows keyed "Provider|GPU type|name") turned into what
 * the AI rate model reads: hyperscaler offers (AWS, Azure: the providers our live collectors cover) and
 * marketplace quotes (RunPod, tier `listed`: the tables do not say community or secure). A replayed day
 * uses the newest table dated on or before it, never a later one, and never mixes tables.
 */
export interface RentalRow {
  series: string;
  key: string;
  date: string;
  value: number;
  source: string;
}

export interface RentalTable {
  date: string;
  cloud: CloudOffer[];
  marketplace: MarketplaceQuote[];
  /** Rows in the table, and rows that map to a cloud GPU we can scale from or a catalogue card. */
  rows: number;
  used: number;
  sources: string[];
}

export const RENTAL_SERIES: Readonly<Record<string, CloudPriceType>> = {
  'cloud.onDemandUsdPerGpuHour': 'on-demand',
  'cloud.spotUsdPerGpuHour': 'spot',
};

const HYPERSCALERS: Readonly<Record<string, string>> = { AWS: 'aws', Azure: 'azure' };
const MARKETPLACES: Readonly<Record<string, string>> = { RunPod: 'runpod' };

/** "A100 (40 GB)", "NVIDIA A100 SXM (40 GB)", "T4 (16)", "A10" -> name and VRAM GB (null if not given). */
function gpuType(text: string): { name: string; vramGb: number | null } {
  const m = text.match(/^(.*?)\s*(?:\((\d+)\s*(?:GB)?\))?$/i);
  return { name: (m?.[1] ?? text).trim(), vramGb: m?.[2] ? Number(m[2]) : null };
}

/** The reference cloud GPU (data/reference/cloud-gpus.json id) a table row rents, or null if ambiguous. */
export function cloudGpuOf(text: string): string | null {
  const { name, vramGb } = gpuType(text);
  if (/\bT4\b/.test(name)) return 'T4';
  if (/\bA10G\b/.test(name)) return 'A10G';
  if (/\bL40S\b/.test(name)) return 'L40S';
  if (/\bL4\b/.test(name)) return 'L4';
  if (/\bV100\b/.test(name)) return vramGb === 16 ? 'V100 16GB' : null;
  // A100 40 GB PCIe and SXM have the same FP16 tensor rate and 1,555 GB/s
  if (/\bA100\b/.test(name) && vramGb === 40) return 'A100 40GB SXM';
  if (/\bA100\b/.test(name) && vramGb === 80) return /PCIe/i.test(name) ? 'A100 80GB PCIe' : 'A100 80GB SXM';
  if (/\bH100\b/.test(name) && /\b(SXM|HGX)\b/i.test(name)) return 'H100 SXM';
  if (/\bH100\b/.test(name) && /\bNVL\b/i.test(name)) return 'H100 NVL';
  return null;
}

/** The catalogue card a marketplace row rents, or null (A100 80 GB only when PCIe is stated). */
export function modelIdOf(text: string): string | null {
  const { name, vramGb } = gpuType(text);
  if (/\bTi\b/i.test(name)) return null;
  if (/(^|\s)(RTX\s)?4090$/i.test(name)) return 'rtx-4090';
  if (/(^|\s)(RTX\s)?3090$/i.test(name)) return 'rtx-3090';
  if (/(^|\s)(RTX\s)?A4000$/i.test(name)) return 'rtx-a4000';
  if (/(^|\s)(RTX\s)?A5000$/i.test(name)) return 'rtx-a5000';
  if (/\bA100\b/.test(name) && /PCIe/i.test(name) && vramGb === 80) return 'a100-80gb-pcie';
  return null;
}

function mapRow(r: RentalRow, modelIds: ReadonlySet<string>): CloudOffer | MarketplaceQuote | null {
  const priceType = RENTAL_SERIES[r.series];
  const [provider = '', type = '', name = ''] = r.key.split('|');
  if (!priceType || !(r.value > 0)) return null;
  const base = { asOf: r.date, kind: 'measured' as const, source: r.source, usdPerGpuHour: r.value };
  const method = `list price in the table dated ${r.date} (a community table: prices may predate that date)`;
  const hyperscaler = HYPERSCALERS[provider];
  const cloudGpu = hyperscaler ? cloudGpuOf(type) : null;
  if (hyperscaler && cloudGpu)
    return {
      ...base,
      method: `${method}; per-GPU share of the instance price`,
      provider: hyperscaler,
      sku: name,
      region: 'not stated',
      cloudGpu,
      gpuCount: 1,
      priceType,
      usdPerInstanceHour: r.value,
    };
  const marketplace = MARKETPLACES[provider];
  const modelId = marketplace && priceType === 'on-demand' ? modelIdOf(type) : null;
  if (marketplace && modelId && modelIds.has(modelId))
    return { ...base, method, marketplace, tier: 'listed', modelId };
  return null;
}

/** The tables in `rows`, one per date, oldest first. */
export function rentalTables(rows: readonly RentalRow[], modelIds: ReadonlySet<string>): RentalTable[] {
  const byDate = new Map<string, RentalRow[]>();
  for (const r of rows) byDate.set(r.date, [...(byDate.get(r.date) ?? []), r]);
  return [...byDate.keys()].sort().map((date) => {
    const table = byDate.get(date)!;
    const mapped = table
      .map((r) => mapRow(r, modelIds))
      .filter((x): x is CloudOffer | MarketplaceQuote => x !== null);
    return {
      date,
      cloud: mapped.filter((x): x is CloudOffer => 'cloudGpu' in x),
      marketplace: mapped.filter((x): x is MarketplaceQuote => 'modelId' in x),
      rows: table.length,
      used: mapped.length,
      sources: [...new Set(table.map((r) => r.source))].sort(),
    };
  });
}

/** The newest table dated on or before `t` (null before the first). */
export function rentalTableOn(tables: readonly RentalTable[], t: string): RentalTable | null {
  return tables.findLast((x) => x.date <= t) ?? null;
}
