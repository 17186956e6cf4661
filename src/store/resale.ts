import { join } from 'node:path';
import { readFileSync, existsSync, statSync } from 'node:fs';
import type { ResaleModel, ResaleTable, UsedPrice } from '../domain/resale.ts';
import { resaleTableSchema } from '../domain/schemas.ts';
import { csvRecords, fieldError, type CsvRecord } from './csv-records.ts';
import { readJsonFile, SHIPPED_DATA_DIR } from './files.ts';
import { DataError } from '../errors.ts';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Months without sales are printed as a dash or left empty: no price that month. */
const NO_PRICE = new Set(['', '-', '—']);

/** Tables read, by data folder, with the modification times of the two files they came from. */
const loaded = new Map<string, { stamp: string; seriesFile: string; table: ResaleTable }>();

const mtimeOf = (file: string) => (existsSync(file) ? String(statSync(file).mtimeMs) : 'absent');

/**
 * The resale table: data/reference/resale.json (catalogue id -> eBay series names, newer quotes, or why none)
 * joined with the eBay monthly series it names. A model absent from the file has no resale price.
 * Read once per process and data folder while both files are unchanged (every decide() asks for it); the
 * table returned is shared, so callers must not modify it.
 */
export function loadResaleTable(dataDir = SHIPPED_DATA_DIR): ResaleTable {
  const file = join(dataDir, 'reference/resale.json');
  const hit = loaded.get(dataDir);
  if (hit && hit.stamp === `${mtimeOf(file)}|${mtimeOf(hit.seriesFile)}`) return hit.table;
  const { table, seriesFile } = readResaleTable(dataDir, file);
  loaded.set(dataDir, { stamp: `${mtimeOf(file)}|${mtimeOf(seriesFile)}`, seriesFile, table });
  return table;
}

function readResaleTable(dataDir: string, file: string): { table: ResaleTable; seriesFile: string } {
  const t = readJsonFile(file, resaleTableSchema);
  const seriesFile = join(dataDir, t.series.file);
  if (!existsSync(seriesFile))
    throw new DataError(seriesFile, 'the used-price series named by resale.json is missing');
  const byName = readEbaySeries(readFileSync(seriesFile, 'utf8'), seriesFile, t.series.source);
  const models = new Map<string, ResaleModel>();
  for (const [id, m] of Object.entries(t.models)) {
    const prices: UsedPrice[] = [];
    for (const name of m.ebay) {
      const s = byName.get(name);
      if (!s) throw new DataError(file, `models.${id}.ebay: "${name}" is not a GPU in ${t.series.file}`);
      prices.push(...s);
    }
    for (const q of m.quotes)
      prices.push({ date: q.asOf, usdPerCard: q.usdPerCard, qtySold: null, source: q.source });
    prices.sort((a, b) => a.date.localeCompare(b.date));
    models.set(id, { modelId: id, prices, missing: m.missing ?? null, ...(m.note ? { note: m.note } : {}) });
  }
  return {
    table: { models, fitFrom: `${t.series.fitFrom}-01`, unit: t.series.unit, source: t.series.source },
    seriesFile,
  };
}

/**
 * eBay series rows by GPU name: "GPU,eBay Price,QTY Sold,Month", prices like "$1,770", months like
 * "April 2022".
 */
export function readEbaySeries(text: string, file: string, source: string): Map<string, UsedPrice[]> {
  const out = new Map<string, UsedPrice[]>();
  for (const r of csvRecords(text, file, ['GPU', 'eBay Price', 'QTY Sold', 'Month'])) {
    const price = r.cells.get('eBay Price')!.trim();
    if (NO_PRICE.has(price)) continue;
    const usd = Number(price.replace(/^\$/, '').replace(/,/g, ''));
    if (!/^\$[\d,]+(\.\d+)?$/.test(price) || !(usd > 0))
      throw fieldError(r, 'eBay Price', 'a price like "$1,770"');
    const name = r.cells.get('GPU')!.trim();
    const list = out.get(name) ?? [];
    list.push({
      date: monthMid(r),
      usdPerCard: usd,
      qtySold: qty(r),
      source: `${source}, ${name}, ${r.cells.get('Month')}`,
    });
    out.set(name, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.date.localeCompare(b.date));
  return out;
}

function monthMid(r: CsvRecord): string {
  const m = /^([A-Z][a-z]+) (\d{4})$/.exec(r.cells.get('Month')!.trim());
  const i = m ? MONTHS.indexOf(m[1]!) : -1;
  if (!m || i < 0) throw fieldError(r, 'Month', 'a month like "April 2022"');
  return `${m[2]}-${String(i + 1).padStart(2, '0')}-15`;
}

/** Cards sold; one source row has a price in this column, so anything but a count reads as unknown. */
function qty(r: CsvRecord): number | null {
  const s = r.cells.get('QTY Sold')!.trim().replace(/,/g, '');
  return /^\d+$/.test(s) ? Number(s) : null;
}
