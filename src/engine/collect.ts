import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { SourcesConfig } from '../config/sources.ts';
import type { MarketSnapshot } from '../domain/types.ts';
import type { HttpClient } from '../sources/http.ts';
import type { SourceModule, FetchContext } from '../sources/types.ts';
import type { ReferenceData } from '../domain/reference.ts';
import { Store, type QuarantineRow } from '../store/db.ts';
import { lastGoodValues, screenObservations, type QuarantinedValue } from './guard.ts';
import { SOURCES } from '../sources/registry.ts';
import { embeddedSnapshotFile, loadSnapshotFile } from '../store/snapshots.ts';
import { readShippedHistory } from '../store/history-import.ts';
import { embeddedObservations, assembleSnapshot } from './assemble.ts';
import { AppError, InputError } from '../errors.ts';
import { COINS, type Coin } from '../domain/types.ts';
import { newestObservedAsOf } from '../analysis/freshness.ts';
import { listInputs } from './decide.ts';
import { logger } from '../lib/log.ts';
import type { OnProgress } from '../lib/progress.ts';

const log = logger('collect');

export interface CollectOptions {
  date: string;
  live: boolean;
  /** Source names to run (live only); default all. */
  only?: string[];
  dataDir: string;
  store: Store;
  http: HttpClient;
  sources: SourcesConfig;
  reference: ReferenceData;
  config: Config;
  now: () => Date;
  progress?: FetchContext['progress'];
  /** Called as each source finishes (ok, error or skipped), in the order they run. */
  onSource?: (r: SourceResult) => void;
  /** Sources finished of all to run (the embedded baseline counts as one); label: the next source. */
  onProgress?: OnProgress;
  modules?: readonly SourceModule[];
}

export interface SourceResult {
  source: string;
  status: 'ok' | 'error' | 'skipped';
  records: number;
  /** Wall time the source took, ms. */
  durationMs: number;
  message?: string;
  code?: string;
  /** Values this source delivered that failed the input guards: not used, the input keeps its last good value. */
  quarantined?: QuarantinedValue[];
}

/** Exit status of a collection: 0 done, 3 partial (a live source failed, one succeeded), 1 none succeeded. */
export const COLLECT_EXIT = { ok: 0, partial: 3, failed: 1 } as const;
export type CollectOutcome = keyof typeof COLLECT_EXIT;

/**
 * How a collection went. Offline: ok (it only loads the embedded baseline). Live: `failed` when no live
 * source succeeded (every one failed or was not configured), `partial` when some succeeded and some failed,
 * else `ok` (sources that are not configured do not make a success partial).
 */
export function collectOutcome(results: readonly SourceResult[], live: boolean): CollectOutcome {
  if (!live) return 'ok';
  const own = results.filter((r) => r.source !== 'embedded');
  if (!own.some((r) => r.status === 'ok')) return 'failed';
  return own.some((r) => r.status === 'error') ? 'partial' : 'ok';
}
export interface CollectResult {
  runId: number;
  date: string;
  outcome: CollectOutcome;
  /** The process exit status for this outcome (COLLECT_EXIT). */
  exitCode: number;
  results: SourceResult[];
  /** Newest dated observation in the snapshot written: its data is this old, whatever its file date. */
  dataAsOf: string | null;
  snapshotFile: string;
  snapshot: MarketSnapshot;
  warnings: string[];
  historyImported: number;
  /** Every value quarantined in this run (the inputs stay on their last good value, marked stale). */
  quarantined: QuarantinedValue[];
}

/**
 * Collect a day: the embedded baseline, then (with live) every selected source, each stored in its own
 * transaction; a failing source keeps its last good data. Then the day's snapshot is assembled from the
 * store and written to <dataDir>/snapshots/<date>.json (temporary file, then rename).
 */
export async function collect(o: CollectOptions): Promise<CollectResult> {
  const modules = o.modules ?? SOURCES;
  const today = o.now().toISOString().slice(0, 10);
  if (o.date > today)
    throw new InputError(
      '--date',
      `${o.date} is in the future (today is ${today}); collect today or an earlier day`,
    );
  if (o.only && !o.live)
    throw new InputError(
      '--source',
      'choosing sources needs --live (offline collection only loads the embedded snapshot)',
    );
  for (const n of o.only ?? [])
    if (!modules.some((m) => m.name === n))
      throw new InputError(
        '--source',
        `unknown source "${n}"; sources: ${modules.map((m) => m.name).join(', ')}`,
      );
  const embeddedFile = embeddedSnapshotFile(o.date);
  if (!embeddedFile && !o.live)
    throw new InputError(
      '--date',
      `no embedded snapshot on or before ${o.date}: the oldest shipped snapshot is later; collect that day with --live`,
    );

  const stamp = () => o.now().toISOString();
  const runId = o.store.beginRun(o.date, o.live ? 'live' : 'offline', stamp());
  const results: SourceResult[] = [];
  const live = o.live ? modules.filter((x) => !o.only || o.only.includes(x.name)) : [];
  const steps = [...(embeddedFile ? ['embedded'] : []), ...live.map((m) => m.name)];
  o.onProgress?.(0, steps.length, steps[0] ?? 'done');
  const done = (r: SourceResult) => {
    o.onProgress?.(results.length + 1, steps.length, steps[results.length + 1] ?? 'done');
    log.debug(`source ${r.source} ${r.status}`, {
      source: r.source,
      status: r.status,
      records: r.records,
      ms: Math.round(r.durationMs),
      ...(r.code ? { code: r.code } : {}),
    });
    results.push(r);
    o.onSource?.(r);
  };
  if (embeddedFile) {
    const t0 = performance.now();
    const started = stamp();
    const embedded = embeddedObservations(loadSnapshotFile(embeddedFile), embeddedFile);
    o.store.replaceSourceDay(runId, o.date, 'embedded', embedded, [], started, stamp());
    done({
      source: 'embedded',
      status: 'ok',
      records: embedded.length,
      durationMs: performance.now() - t0,
    });
  }

  let historyImported = 0;
  if (o.store.historySeries().length === 0) historyImported = o.store.upsertHistory(readShippedHistory());

  for (const m of live) done(await collectOne(m, o, runId));
  const { snapshot, warnings } = assembleSnapshot(
    o.date,
    o.store.latestObservations(o.date),
    o.config,
    o.sources.rewardTolerance,
  );
  const quarantined = results.flatMap((r) => r.quarantined ?? []);
  markQuarantined(snapshot, quarantined);
  if (COINS.some((c) => !snapshot.coins[c])) {
    o.store.finishRun(runId, 'failed', stamp());
    throw new AppError(
      'SNAPSHOT_INCOMPLETE',
      `cannot build a snapshot for ${o.date}: ${warnings.join('; ')}. Collect a day on or after the ` +
        `first embedded snapshot, or get the coin sources working.`,
      { exitCode: 1 },
    );
  }
  const dir = join(o.dataDir, 'snapshots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${o.date}.json`);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(snapshot, null, 1)}\n`);
  renameSync(tmp, file);
  const outcome = collectOutcome(results, o.live);
  o.store.finishRun(runId, outcome, stamp());
  return {
    runId,
    date: o.date,
    outcome,
    exitCode: COLLECT_EXIT[outcome],
    results,
    snapshotFile: file,
    dataAsOf: newestObservedAsOf([...listInputs(snapshot, o.date)]),
    snapshot,
    warnings,
    historyImported,
    quarantined,
  };
}

function quarantineRow(q: QuarantinedValue, runId: number, date: string): QuarantineRow {
  return {
    runId,
    date,
    source: q.source,
    series: q.series,
    key: q.key,
    value: q.value,
    asOf: q.asOf,
    reason: q.reason,
    lastGood: q.lastGood?.value ?? null,
    lastGoodAsOf: q.lastGood?.asOf ?? null,
  };
}

const COIN_FIELD: Partial<Record<QuarantinedValue['series'], 'priceUsd' | 'difficulty' | 'height'>> = {
  'coin.priceUsd': 'priceUsd',
  'coin.priceBtc': 'priceUsd',
  'coin.difficulty': 'difficulty',
  'coin.height': 'height',
};

/**
 * Mark the inputs whose new value was quarantined: the coin figure carries `stale` with the reason (it
 * is the last good value), and every quarantined value gets a snapshot note.
 */
export function markQuarantined(snapshot: MarketSnapshot, quarantined: readonly QuarantinedValue[]): void {
  for (const q of quarantined) {
    const field = COIN_FIELD[q.series];
    const coin = snapshot.coins[q.key as Coin] as MarketSnapshot['coins'][Coin] | undefined;
    const kept = field && coin ? coin[field] : undefined;
    const staleWhy = `quarantined ${q.source} value: ${q.reason}`;
    if (kept) kept.stale = kept.stale ? `${kept.stale}; ${staleWhy}` : staleWhy;
    snapshot.notes.push(
      `${q.source} ${q.series} ${q.key}: ${q.reason}. Quarantined (not used); the input keeps its last ` +
        `good value${kept ? ` ${kept.value} (${kept.asOf})` : ''}, marked stale.`,
    );
  }
}

async function collectOne(m: SourceModule, o: CollectOptions, runId: number): Promise<SourceResult> {
  const t0 = performance.now();
  const ms = () => performance.now() - t0;
  const started = o.now().toISOString();
  const why = m.unavailable(o.sources);
  if (why) {
    o.store.recordSourceResult(runId, o.date, m.name, 'skipped', started, o.now().toISOString(), null, why);
    return { source: m.name, status: 'skipped', records: 0, durationMs: ms(), message: why };
  }
  try {
    const raws = await m.fetch({
      http: o.http,
      config: o.sources,
      date: o.date,
      skus: o.reference.cloudSkus,
      progress: o.progress,
    });
    const obs = m.normalise(raws, {
      config: o.sources,
      skus: o.reference.cloudSkus,
      models: o.reference.models,
    });
    const last = lastGoodValues(o.store.latestObservations(o.date));
    const { accepted, quarantined } = screenObservations(obs, last, o.sources.inputGuards);
    o.store.replaceSourceDay(runId, o.date, m.name, accepted, raws, started, o.now().toISOString());
    o.store.recordQuarantine(quarantined.map((q) => quarantineRow(q, runId, o.date)));
    return {
      source: m.name,
      status: 'ok',
      records: accepted.length,
      durationMs: ms(),
      ...(quarantined.length > 0 ? { quarantined } : {}),
    };
  } catch (e) {
    const err = e instanceof AppError ? e : new AppError('INTERNAL', (e as Error).message);
    o.store.recordSourceResult(
      runId,
      o.date,
      m.name,
      'error',
      started,
      o.now().toISOString(),
      err.code,
      err.message,
    );
    return {
      source: m.name,
      status: 'error',
      records: 0,
      durationMs: ms(),
      message: err.message,
      code: err.code,
    };
  }
}

/** One collection with its own store handle (opened and closed here): for long-running front ends. */
export async function runCollection(
  o: Omit<CollectOptions, 'store'>,
): Promise<Omit<CollectResult, 'snapshot'>> {
  const store = new Store(o.dataDir);
  try {
    const { snapshot: _s, ...rest } = await collect({ ...o, store });
    return rest;
  } finally {
    store.close();
  }
}

/** What a front end asks of a collection (the CLI's flags, the API's POST body). */
export interface CollectRequest {
  /** Day to collect for (default: today by `now`). */
  date?: string;
  live?: boolean;
  /** Source names to run (live only); default all. */
  sources?: string[];
  progress?: FetchContext['progress'];
  onSource?: CollectOptions['onSource'];
  onProgress?: OnProgress;
}

/**
 * The one wiring of a collection for every front end: the setup's store folder, reference and config, the
 * sources config, a fresh HTTP client and the clock. The store is opened and closed here.
 */
export async function collectMarketData(
  setup: { dataDir: string; reference: ReferenceData; config: Config },
  sources: SourcesConfig,
  req: CollectRequest,
  now: () => Date = () => new Date(),
): Promise<Omit<CollectResult, 'snapshot'>> {
  const { HttpClient, httpLimits } = await import('../sources/http.ts'); // axios loads when collecting, not at import
  return runCollection({
    date: req.date ?? now().toISOString().slice(0, 10),
    live: req.live ?? false,
    only: req.sources,
    dataDir: setup.dataDir,
    http: new HttpClient(httpLimits(sources)),
    sources,
    reference: setup.reference,
    config: setup.config,
    now,
    progress: req.progress,
    onSource: req.onSource,
    onProgress: req.onProgress,
  });
}
