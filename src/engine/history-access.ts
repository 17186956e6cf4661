import type { Config } from '../config/schema.ts';
import type { SourcesConfig } from '../config/sources.ts';
import { Store, storeExists } from '../store/db.ts';
import { DataError, InputError } from '../errors.ts';
import { logger } from '../lib/log.ts';
import { openHistory, type HistoryReader } from './history.ts';
import { sourceStatuses, type SourceStatus } from './status.ts';
import { NotFoundError } from './not-found.ts';

const log = logger('service');

export type StoreHealth = { status: 'ok' | 'none' } | { status: 'damaged'; error: string };

/**
 * A long-running service's view of a data folder's history: the series reader (opened on first use), its
 * rows by series and key, the store's health and each source's status.
 */
export class HistoryAccess {
  private history: { reader: HistoryReader; store: Store | null } | null = null;
  private storeChecked: { atMs: number; result: StoreHealth } | null = null;

  constructor(private readonly dataDir: string) {}

  reader(): HistoryReader {
    this.history ??= openHistory(this.dataDir);
    return this.history.reader;
  }

  series(): { origin: string; series: ReturnType<HistoryReader['series']> } {
    const r = this.reader();
    return { origin: r.origin, series: r.series() };
  }

  /** One series' points for one key (the only key may be left out), between optional dates. */
  rows(series: string, key: string | undefined, from?: string, to?: string): unknown {
    const r = this.reader();
    const keys = r.series().filter((s) => s.series === series);
    if (keys.length === 0)
      throw new NotFoundError('series', `no history series "${series}"; GET /api/v1/history lists them`);
    const k = key ?? (keys.length === 1 ? keys[0]!.key : undefined);
    if (k === undefined)
      throw new InputError(
        'key',
        `series "${series}" has ${keys.length} keys; pass key= one of: ${keys
          .slice(0, 12)
          .map((x) => x.key)
          .join(', ')}${keys.length > 12 ? ', ...' : ''}`,
      );
    if (!keys.some((x) => x.key === k))
      throw new NotFoundError(
        'key',
        `series "${series}" has no key "${k}"; GET /api/v1/history lists each series with its keys`,
      );
    const rows = r.rows(series, k, from, to);
    return {
      origin: r.origin,
      series,
      key: k,
      unit: rows[0]?.unit ?? null,
      from: from ?? null,
      to: to ?? null,
      points: rows.map((x) => ({ date: x.date, value: x.value, source: x.source })),
    };
  }

  /**
   * Whether the history store is usable: SQLite's quick check (a passed check is reused for a minute: a
   * probe must stay cheap); `none` before the first collection. A damaged store says which file and how to recover.
   */
  storeHealth(): StoreHealth {
    const nowMs = Date.now();
    if (this.storeChecked && nowMs - this.storeChecked.atMs < 60_000) return this.storeChecked.result;
    const result = this.checkStore();
    this.storeChecked = result.status === 'ok' ? { atMs: nowMs, result } : null; // a problem is rechecked
    return result;
  }

  private checkStore(): StoreHealth {
    if (!this.history?.store && !this.storeExists()) return { status: 'none' };
    let store: Store | null = null;
    try {
      store = this.history?.store ?? new Store(this.dataDir);
      store.checkHealth();
      return { status: 'ok' };
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      log.warn('history store damaged', { error: e.message });
      return { status: 'damaged', error: e.message };
    } finally {
      if (store && store !== this.history?.store) store.close();
    }
  }

  /** Each source's status; reads the store when there is one (never creates it, never loads shipped history). */
  sourceStatus(sources: SourcesConfig, config: Config, today: string): SourceStatus[] {
    const own = this.history?.store ?? null;
    const store = own ?? (this.storeExists() ? new Store(this.dataDir) : null);
    try {
      return sourceStatuses(store, sources, config, today);
    } finally {
      if (store !== own) store?.close();
    }
  }

  /** Whether the data folder has a history store (checked without creating one). */
  private storeExists(): boolean {
    return storeExists(this.dataDir);
  }

  /** Close the store and forget the reader: the next call opens them again (after a collection). */
  reset(): void {
    this.close();
    this.history = null;
  }

  close(): void {
    this.history?.store?.close();
  }
}
