import { readFileSync, readdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import type { HistoryRow } from './db.ts';
import { SHIPPED_DATA_DIR, readJsonFile } from './files.ts';
import { z } from 'zod';
import { COINS } from '../domain/types.ts';
import { DataError } from '../errors.ts';
import { NetworkDifficultyHistory, readNetworkSeries } from './network-history.ts';
import type { DifficultyPoint } from './network-history-parse.ts';

/**
 * The real price histories we ship in data/history/ (see data/SOURCES.md), parsed into daily rows.
 * Where two files cover the same day, the later one in HISTORY_FILES wins (it is the better source).
 */
export const HISTORY_DIR = join(SHIPPED_DATA_DIR, 'history');

interface Csv {
  header: string[];
  rows: string[][];
}

export function parseCsv(text: string, file: string): Csv {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length < 2) throw new DataError(file, 'CSV has no data rows');
  const split = (l: string) => l.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  return { header: split(lines[0]!), rows: lines.slice(1).map(split) };
}

function column(csv: Csv, name: string, file: string): number {
  const i = csv.header.indexOf(name);
  if (i < 0) throw new DataError(file, `column "${name}" missing (have: ${csv.header.join(', ')})`);
  return i;
}

function daily(
  file: string,
  text: string,
  key: string,
  dateCol: string,
  valueCol: string,
  source: string,
  from = '0000',
): HistoryRow[] {
  const csv = parseCsv(text, file);
  const d = column(csv, dateCol, file);
  const v = column(csv, valueCol, file);
  return csv.rows.flatMap((r) => {
    const date = (r[d] ?? '').slice(0, 10);
    const value = Number(r[v]);
    return /^\d{4}-\d{2}-\d{2}$/.test(date) && value > 0 && date >= from
      ? [{ series: 'coin.priceUsd', key, date, value, unit: 'USD/coin', source }]
      : [];
  });
}

/** data/history/prices.json: which CSV holds which coin's daily prices, lowest priority first. */
const priceManifestSchema = z.object({
  files: z
    .array(
      z
        .object({
          file: z.string().regex(/^[\w.-]+\.csv$/, 'expected a CSV file name in data/history/'),
          coin: z.enum(COINS),
          dateColumn: z.string().min(1),
          valueColumn: z.string().min(1),
          source: z.string().min(1),
          from: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
            .optional(),
        })
        .passthrough(),
    )
    .min(1),
});

/** The coin price rows of every file the manifest lists (a new coin's history is a data change only). */
export function readPriceFiles(dir: string): HistoryRow[] {
  const manifest = readJsonFile(join(dir, 'prices.json'), priceManifestSchema);
  return manifest.files.flatMap((h) => {
    const f = join(dir, h.file);
    return daily(f, readFileSync(f, 'utf8'), h.coin, h.dateColumn, h.valueColumn, h.source, h.from);
  });
}

/** Cloud GPU per-GPU-hour list prices from the Full Stack Deep Learning table's git versions (MIT). */
export function parseCloudTable(file: string, text: string): HistoryRow[] {
  const date = basename(file).match(/(\d{4}-\d{2}-\d{2})/)?.[1];
  if (!date) throw new DataError(file, 'no date in the file name');
  const csv = parseCsv(text, file);
  const [c, g, n, per, spot, gpus] = ['Cloud', 'GPU Type', 'Name', 'Per-GPU', 'Spot', 'GPUs'].map((x) =>
    column(csv, x, file),
  );
  const money = (s: string | undefined) => Number((s ?? '').replace(/[$,]/g, ''));
  return csv.rows.flatMap((r): HistoryRow[] => {
    const key = `${r[c!]}|${r[g!]}|${r[n!]}`;
    const out: HistoryRow[] = [];
    const od = money(r[per!]);
    if (od > 0)
      out.push({
        series: 'cloud.onDemandUsdPerGpuHour',
        key,
        date,
        value: od,
        unit: 'USD/GPU-hour',
        source: `the-full-stack/website cloud-gpus.csv (${basename(file)})`,
      });
    const sp = money(r[spot!]) / Math.max(1, Number(r[gpus!]) || 1);
    if (sp > 0)
      out.push({
        series: 'cloud.spotUsdPerGpuHour',
        key,
        date,
        value: sp,
        unit: 'USD/GPU-hour',
        source: `the-full-stack/website cloud-gpus.csv (${basename(file)})`,
      });
    return out;
  });
}

const SCRAPE_PROVIDERS: Readonly<Record<string, string>> = {
  azure: 'Azure',
  coreweave: 'CoreWeave',
  gcp: 'GCP',
  lambda: 'Lambda',
  runpod: 'RunPod',
};
export const RENTAL_SCRAPE_DIR = 'gpu-rental';
const SCRAPE_ORIGIN = 'becloudready/gpu-price @ 64a1fca6 data/<provider>_*.csv (Apache-2.0)';

/**
 * One provider file of the becloudready GPU price scrape (generated 2026-02-11T07:11Z): per-GPU-hour
 * on-demand prices keyed like the cloud-GPU table ("Provider|GPU (VRAM GB)|name"). Rows without a price
 * are skipped; a price for several GPUs (gpu_count > 1) is divided by the count.
 */
export function parseRentalScrape(file: string, text: string): HistoryRow[] {
  const m = basename(file).match(/^becloudready_([a-z]+)_.*(\d{4}-\d{2}-\d{2})\.csv$/);
  if (!m) throw new DataError(file, 'expected a name becloudready_<provider>_..._<YYYY-MM-DD>.csv');
  const [, providerId, date] = m as unknown as [string, string, string];
  const provider = SCRAPE_PROVIDERS[providerId];
  if (!provider) throw new DataError(file, `unknown provider "${providerId}"`);
  const csv = parseCsv(text, file);
  const [p, product, count, vram, cpus] = [
    'price_per_hour_usd',
    'product',
    'gpu_count',
    'vram_gb',
    'vcpus',
  ].map((x) => column(csv, x, file));
  return csv.rows.flatMap((r): HistoryRow[] => {
    const price = Number(r[p!]);
    if (!(r[p!] ?? '').trim() || !(price > 0)) return [];
    const gpus = Number(r[count!]) > 1 ? Number(r[count!]) : 1;
    const gb = Number(r[vram!]) > 0 ? ` (${Number(r[vram!])} GB)` : '';
    const name = `becloudready ${providerId}${r[cpus!] ? ` ${r[cpus!]} vCPU` : ''}`;
    return [
      {
        series: 'cloud.onDemandUsdPerGpuHour',
        key: `${provider}|${r[product!]}${gb}|${name}`,
        date,
        value: price / gpus,
        unit: 'USD/GPU-hour',
        source: `${SCRAPE_ORIGIN}, ${basename(file)}`,
      },
    ];
  });
}

export const DIFFICULTY_SERIES = 'coin.difficulty';
export const EXCLUDED_DIFFICULTY_SERIES = 'coin.difficulty.excluded';

function difficultyRow(series: string, p: DifficultyPoint, excludedBecause?: string): HistoryRow {
  const at = [p.height === undefined ? '' : `block ${p.height}`, p.time ? `at ${p.time}` : ''].filter(
    Boolean,
  );
  const parts = [`[${p.kind}] ${p.method}`, ...(at.length ? [at.join(' ')] : []), `source: ${p.source}`];
  if (excludedBecause) parts.push(`excluded: ${excludedBecause}`);
  return { series, key: p.coin, date: p.date, value: p.difficulty, unit: p.unit, source: parts.join('; ') };
}

/** One row per (series, coin, day): the day's newest point, as the store's primary key allows. */
function newestPerDay(rows: HistoryRow[]): HistoryRow[] {
  const m = new Map<string, HistoryRow>();
  for (const r of rows) m.set(`${r.series}\u0000${r.key}\u0000${r.date}`, r);
  return [...m.values()];
}

/**
 * Network difficulty rows. `coin.difficulty` holds exactly the usable measured points the loader answers
 * with (its newest row on or before a day is rvnDifficultyOn / the newest of ergPointsOnOrBefore);
 * `coin.difficulty.excluded` the rest (other algorithm era, not representative, interpolated), each saying
 * why. The RVN checkpoint samples are not stored: the daily series is their daily mean.
 */
export function networkDifficultyRows(h: NetworkDifficultyHistory): HistoryRow[] {
  const usable = new Set<DifficultyPoint>([...h.rvnUsable, ...h.ergUsable]);
  const all = [...h.series.rvnDaily, ...h.series.rvnHeaders, ...h.series.erg];
  const why = (p: DifficultyPoint) =>
    p.caveat ?? (p.kind === 'derived' ? 'interpolated day: its value uses a later sample' : 'not usable');
  const rows = all
    .map((p) =>
      usable.has(p)
        ? difficultyRow(DIFFICULTY_SERIES, p)
        : difficultyRow(EXCLUDED_DIFFICULTY_SERIES, p, why(p)),
    )
    .sort((a, b) => a.date.localeCompare(b.date));
  return newestPerDay(rows);
}

/** Every shipped history row, in priority order (later rows replace earlier ones for the same day). */
export function readShippedHistory(dir = HISTORY_DIR): HistoryRow[] {
  const rows: HistoryRow[] = networkDifficultyRows(
    new NetworkDifficultyHistory(readNetworkSeries(join(dir, 'network'))),
  );
  rows.push(...readPriceFiles(dir));
  const cloudDir = join(dir, 'cloud-gpus');
  for (const f of readdirSync(cloudDir)
    .filter((x) => /^cloud-gpus_\d{4}-\d{2}-\d{2}_.*\.csv$/.test(x))
    .sort()) {
    rows.push(...parseCloudTable(join(cloudDir, f), readFileSync(join(cloudDir, f), 'utf8')));
  }
  const scrapeDir = join(dir, RENTAL_SCRAPE_DIR);
  for (const f of readdirSync(scrapeDir)
    .filter((x) => /^becloudready_.*\.csv$/.test(x))
    .sort()) {
    rows.push(...parseRentalScrape(join(scrapeDir, f), readFileSync(join(scrapeDir, f), 'utf8')));
  }
  return rows;
}
