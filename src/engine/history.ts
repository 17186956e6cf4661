import type { HistoryRow } from '../store/db.ts';
import { Store, storeExists } from '../store/db.ts';
import { readShippedHistory } from '../store/history-import.ts';

export interface SeriesInfo {
  series: string;
  key: string;
  from: string;
  to: string;
  n: number;
}

/** Read access to dated history (coin prices, cloud GPU prices, collected observations). */
export interface HistoryReader {
  /** Where the rows come from: the store file, or the shipped CSVs when there is no store yet. */
  readonly origin: string;
  series(): SeriesInfo[];
  rows(series: string, key: string, from?: string, to?: string): HistoryRow[];
}

/** The shipped price histories in memory (data/history/), for a fresh clone with no store yet. */
export class ShippedHistory implements HistoryReader {
  readonly origin =
    'shipped data/history (no store yet: run `rigpivot import-history` or `rigpivot collect`)';
  private readonly bySeries = new Map<string, HistoryRow[]>();
  constructor(rows: HistoryRow[] = readShippedHistory()) {
    // One row per series, key and date, the later row winning: what the store's INSERT OR REPLACE keeps.
    const byDate = new Map<string, Map<string, HistoryRow>>();
    for (const r of rows) {
      const k = `${r.series}\u0000${r.key}`;
      let m = byDate.get(k);
      if (!m) byDate.set(k, (m = new Map()));
      m.set(r.date, r);
    }
    for (const [k, m] of byDate)
      this.bySeries.set(
        k,
        [...m.values()].sort((a, b) => a.date.localeCompare(b.date)),
      );
  }
  series(): SeriesInfo[] {
    return [...this.bySeries.values()]
      .map((l) => ({
        series: l[0]!.series,
        key: l[0]!.key,
        from: l[0]!.date,
        to: l.at(-1)!.date,
        n: l.length,
      }))
      .sort((a, b) => a.series.localeCompare(b.series) || a.key.localeCompare(b.key));
  }
  rows(series: string, key: string, from = '0000-01-01', to = '9999-12-31'): HistoryRow[] {
    return (this.bySeries.get(`${series}\u0000${key}`) ?? []).filter((r) => r.date >= from && r.date <= to);
  }
}

export class StoreHistory implements HistoryReader {
  constructor(private readonly store: Store) {}
  get origin(): string {
    return this.store.file;
  }
  series(): SeriesInfo[] {
    return this.store.historySeries();
  }
  rows(series: string, key: string, from?: string, to?: string): HistoryRow[] {
    return this.store.history(series, key, from, to);
  }
}

/** The store's history when the store exists and holds some, else the shipped files. Never creates a store. */
export function openHistory(dataDir: string): { reader: HistoryReader; store: Store | null } {
  if (storeExists(dataDir)) {
    const store = new Store(dataDir);
    if (store.historySeries().length > 0) return { reader: new StoreHistory(store), store };
    return { reader: new ShippedHistory(), store };
  }
  return { reader: new ShippedHistory(), store: null };
}

/** A history reader and the one way to release what it holds (the store, when one was opened). */
export interface HistoryHandle {
  readonly reader: HistoryReader;
  close(): void;
}

export function openHistoryHandle(dataDir: string): HistoryHandle {
  const { reader, store } = openHistory(dataDir);
  return { reader, close: () => store?.close() };
}

/** Run `use` with the history under `dataDir`, releasing the store afterwards (also when `use` fails). */
export async function withHistory<T>(dataDir: string, use: (h: HistoryReader) => T | Promise<T>): Promise<T> {
  const h = openHistoryHandle(dataDir);
  try {
    return await use(h.reader);
  } finally {
    h.close();
  }
}

/** Load the shipped price histories into the store under `dataDir` (created when missing); safe to repeat. */
export function importShippedHistory(dataDir: string): { store: string; rows: number; series: SeriesInfo[] } {
  const store = new Store(dataDir);
  try {
    const rows = store.upsertHistory(readShippedHistory());
    return { store: store.file, rows, series: store.historySeries() };
  } finally {
    store.close();
  }
}
