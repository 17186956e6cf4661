import { readFileSync, readdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import type { HistoryRow } from './db.ts';
import { SHIPPED_DATA_DIR } from './files.ts';
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

/** Coin price files, lowest priority first. */
const HISTORY_FILES: { file: string; parse: (file: string, text: string) => HistoryRow[] }[] = [
  {
    file: 'ravencoin_coingecko_usd_2024-06-09_2025-06-08.csv',
    parse: (f, t) =>
      daily(f, t, 'RVN', 'timestamp', 'price', 'CoinGecko via NeurogenAI2025/predict-symbols (MIT)'),
  },
  {
    file: 'RVN_daily_ohlc_2018-04-17_2026-03-27.csv',
    parse: (f, t) =>
      daily(f, t, 'RVN', 'date', 'close', 'ahtarv/Time_Analysis_Of_Crypto_Amdox RVN.csv (daily close)'),
  },
  {
    file: 'ERG_kucoin_daily_from_5m_samples.DERIVED.csv',
    parse: (f, t) =>
      daily(
        f,
        t,
        'ERG',
        'date_utc',
        'close',
        'KuCoin ERG-USDT 5-minute candles (nktcodes/Kucoin-5-Minute), daily close derived',
      ),
  },
  // the first three days after listing are wild prints ($3-44) in cafebedouin/forecasting data/ergo.csv
  {
    file: 'ergo_cmc_ohlcv_2019-07-01_2023-08-24.csv',
    parse: (f, t) =>
      daily(
        f,
        t,
        'ERG',
        'timeOpen',
        'close',
        'CoinMarketCap export via cafebedouin/forecasting (CC0)',
        '2019-07-04',
      ),
  },
];

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
  for (const h of HISTORY_FILES) {
    const f = join(dir, h.file);
    rows.push(...h.parse(f, readFileSync(f, 'utf8')));
  }
  const cloudDir = join(dir, 'cloud-gpus');
  for (const f of readdirSync(cloudDir)
    .filter((x) => /^cloud-gpus_\d{4}-\d{2}-\d{2}_.*\.csv$/.test(x))
    .sort()) {
    rows.push(...parseCloudTable(join(cloudDir, f), readFileSync(join(cloudDir, f), 'utf8')));
  }
  return rows;
}
