import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import type { Observation, RawResponse, Series } from '../domain/observations.ts';
import { SERIES_UNITS } from '../domain/observations.ts';
import { DataError } from '../errors.ts';
import { storeFailure, withStoreFailures } from './damage.ts';

/**
 * The history store: one SQLite file (WAL) under the data dir. Per day and source: the normalised
 * observations and the raw responses (gzip) for audit and replay; a log of every collection run; and
 * imported price histories. Replacing a day's data for a source is one transaction: a crash leaves the
 * previous state. (A `\` at the end of a line below continues it: the SQL has no line break there.)
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, date TEXT NOT NULL, mode TEXT NOT NULL, \
started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS source_runs(run_id INTEGER NOT NULL REFERENCES runs(id), source TEXT NOT NULL, \
date TEXT NOT NULL, started_at TEXT NOT NULL,
  finished_at TEXT, status TEXT NOT NULL, records INTEGER NOT NULL DEFAULT 0, error_code TEXT, \
error_message TEXT, PRIMARY KEY(run_id, source));
CREATE TABLE IF NOT EXISTS observations(date TEXT NOT NULL, source TEXT NOT NULL, series TEXT NOT NULL, \
key TEXT NOT NULL, value REAL NOT NULL,
  unit TEXT NOT NULL, as_of TEXT NOT NULL, kind TEXT NOT NULL, source_url TEXT NOT NULL, meta TEXT, \
PRIMARY KEY(date, source, series, key));
CREATE INDEX IF NOT EXISTS observations_by_series ON observations(series, key, date);
CREATE TABLE IF NOT EXISTS raw(date TEXT NOT NULL, source TEXT NOT NULL, seq INTEGER NOT NULL, url TEXT NOT NULL, \
fetched_at TEXT NOT NULL,
  status INTEGER NOT NULL, content_type TEXT, body_gz BLOB NOT NULL, PRIMARY KEY(date, source, seq));
CREATE TABLE IF NOT EXISTS history(series TEXT NOT NULL, key TEXT NOT NULL, date TEXT NOT NULL, \
value REAL NOT NULL, unit TEXT NOT NULL,
  source TEXT NOT NULL, PRIMARY KEY(series, key, date));
`;
const QUARANTINE = `
CREATE TABLE IF NOT EXISTS quarantine(run_id INTEGER NOT NULL, date TEXT NOT NULL, source TEXT NOT NULL, \
series TEXT NOT NULL, key TEXT NOT NULL,
  value REAL NOT NULL, as_of TEXT NOT NULL, reason TEXT NOT NULL, last_good REAL, last_good_as_of TEXT, \
PRIMARY KEY(run_id, source, series, key));
`;
const SCHEMA_VERSION = '1';

/** A value the input guards refused (engine/guard.ts): kept here with the reason, never used. */
export interface QuarantineRow {
  runId: number;
  date: string;
  source: string;
  series: string;
  key: string;
  value: number;
  asOf: string;
  reason: string;
  lastGood: number | null;
  lastGoodAsOf: string | null;
}

export interface StoredObservation extends Observation {
  date: string;
  unit: string;
}
export interface SourceStatusRow {
  source: string;
  lastSuccessAt: string | null;
  lastSuccessDate: string | null;
  /** Newest as-of of the dated observations (measured, approximate) the source has delivered. */
  lastDataAsOf: string | null;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
}
export interface HistoryRow {
  series: string;
  key: string;
  date: string;
  value: number;
  unit: string;
  source: string;
}

/** The history store's file in a data folder. */
export function storeFile(dataDir: string): string {
  return join(dataDir, 'rigpivot.db');
}

/** Whether a data folder has a history store (checked without creating one, as `new Store` would). */
export function storeExists(dataDir: string): boolean {
  return existsSync(storeFile(dataDir));
}

export class Store {
  readonly file: string;
  private readonly db: Database.Database;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = storeFile(dir);
    try {
      this.db = withStoreFailures(new Database(this.file), this.file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
      this.db.exec(QUARANTINE);
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw new DataError(this.file, `cannot open the history store (${(e as Error).message})`);
    }
    const v = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('schema') as
      { value: string } | undefined;
    if (!v) this.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run('schema', SCHEMA_VERSION);
    else if (v.value !== SCHEMA_VERSION)
      throw new DataError(this.file, `store schema ${v.value}, this rigpivot reads ${SCHEMA_VERSION}`);
    const cols = this.db.prepare('PRAGMA table_info(runs)').all() as { name: string }[];
    if (!cols.some((c) => c.name === 'pid')) this.db.exec('ALTER TABLE runs ADD COLUMN pid INTEGER');
  }

  close(): void {
    this.db.close();
  }

  /**
   * Start a run. Runs still `running` whose process is gone (killed mid-way) are marked `aborted` first,
   * with this start's time as their end; a run of a live process (another collect) is left alone.
   */
  beginRun(date: string, mode: 'live' | 'offline', now: string, pid = process.pid): number {
    this.markAbortedRuns(now);
    return Number(
      this.db
        .prepare('INSERT INTO runs(date, mode, started_at, status, pid) VALUES (?, ?, ?, ?, ?)')
        .run(date, mode, now, 'running', pid).lastInsertRowid,
    );
  }

  /** Mark `running` runs whose process no longer exists as `aborted`; returns their ids. */
  markAbortedRuns(now: string): number[] {
    const open = this.db.prepare("SELECT id, pid FROM runs WHERE status = 'running'").all() as {
      id: number;
      pid: number | null;
    }[];
    const dead = open.filter((r) => r.pid === null || !processAlive(r.pid)).map((r) => r.id);
    const mark = this.db.prepare("UPDATE runs SET status = 'aborted', finished_at = ? WHERE id = ?");
    this.db.transaction(() => dead.forEach((id) => mark.run(now, id)))();
    return dead;
  }

  finishRun(runId: number, status: 'ok' | 'partial' | 'failed', now: string): void {
    this.db.prepare('UPDATE runs SET finished_at = ?, status = ? WHERE id = ?').run(now, status, runId);
  }

  /** Replace everything `source` stored for `date` with these observations and raw responses, atomically. */
  replaceSourceDay(
    runId: number,
    date: string,
    source: string,
    obs: Observation[],
    raws: RawResponse[],
    startedAt: string,
    now: string,
  ): void {
    const del1 = this.db.prepare('DELETE FROM observations WHERE date = ? AND source = ?');
    const del2 = this.db.prepare('DELETE FROM raw WHERE date = ? AND source = ?');
    const insObs = this.db.prepare(
      'INSERT OR REPLACE INTO observations(date, source, series, key, value, unit, as_of, kind, source_url, meta) ' +
        'VALUES (?,?,?,?,?,?,?,?,?,?)',
    );
    const insRaw = this.db.prepare(
      'INSERT INTO raw(date, source, seq, url, fetched_at, status, content_type, body_gz) VALUES (?,?,?,?,?,?,?,?)',
    );
    const log = this.db.prepare(
      'INSERT OR REPLACE INTO source_runs(run_id, source, date, started_at, finished_at, status, records) ' +
        'VALUES (?,?,?,?,?,?,?)',
    );
    this.db.transaction(() => {
      del1.run(date, source);
      del2.run(date, source);
      for (const o of obs)
        insObs.run(
          date,
          source,
          o.series,
          o.key,
          o.value,
          SERIES_UNITS[o.series],
          o.asOf,
          o.kind,
          o.sourceUrl,
          o.meta ? JSON.stringify(o.meta) : null,
        );
      raws.forEach((r, i) =>
        insRaw.run(date, source, i, r.url, r.fetchedAt, r.status, r.contentType ?? null, gzipSync(r.body)),
      );
      log.run(runId, source, date, startedAt, now, 'ok', obs.length);
    })();
  }

  /** Keep the values the guards refused, with why (their raw responses are archived with the day). */
  recordQuarantine(rows: readonly QuarantineRow[]): void {
    const ins = this.db.prepare(
      'INSERT OR REPLACE INTO quarantine(run_id, date, source, series, key, value, as_of, reason, last_good, ' +
        'last_good_as_of) VALUES (?,?,?,?,?,?,?,?,?,?)',
    );
    this.db.transaction(() => {
      for (const r of rows)
        ins.run(
          r.runId,
          r.date,
          r.source,
          r.series,
          r.key,
          r.value,
          r.asOf,
          r.reason,
          r.lastGood,
          r.lastGoodAsOf,
        );
    })();
  }

  /** Quarantined values for a day, newest run first. */
  quarantineFor(date: string): QuarantineRow[] {
    return this.db
      .prepare(
        'SELECT run_id AS runId, date, source, series, key, value, as_of AS asOf, reason, last_good AS lastGood, ' +
          'last_good_as_of AS lastGoodAsOf FROM quarantine WHERE date = ? ORDER BY run_id DESC, source, series, key',
      )
      .all(date) as QuarantineRow[];
  }

  recordSourceResult(
    runId: number,
    date: string,
    source: string,
    status: 'error' | 'skipped',
    startedAt: string,
    now: string,
    code: string | null,
    message: string,
  ): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO source_runs(run_id, source, date, started_at, finished_at, status, records, ' +
          'error_code, error_message) VALUES (?,?,?,?,?,?,0,?,?)',
      )
      .run(runId, source, date, startedAt, now, status, code, message);
  }

  /** The newest observation on or before `date` for every (series, key), with the day it was stored for. */
  latestObservations(date: string): StoredObservation[] {
    const rows = this.db
      .prepare(
        `
      SELECT o.* FROM observations o
      JOIN (SELECT series, key, source, MAX(date) AS d FROM observations WHERE date <= ? GROUP BY series, key, source) m
        ON o.series = m.series AND o.key = m.key AND o.source = m.source AND o.date = m.d`,
      )
      .all(date) as Record<string, unknown>[];
    return rows.map(toObservation);
  }

  observationsFor(date: string, source?: string): StoredObservation[] {
    const rows = (
      source
        ? this.db
            .prepare('SELECT * FROM observations WHERE date = ? AND source = ? ORDER BY series, key')
            .all(date, source)
        : this.db.prepare('SELECT * FROM observations WHERE date = ? ORDER BY source, series, key').all(date)
    ) as Record<string, unknown>[];
    return rows.map(toObservation);
  }

  rawFor(date: string, source: string): RawResponse[] {
    const rows = this.db
      .prepare('SELECT * FROM raw WHERE date = ? AND source = ? ORDER BY seq')
      .all(date, source) as {
      url: string;
      fetched_at: string;
      status: number;
      content_type: string | null;
      body_gz: Buffer;
    }[];
    return rows.map((r) => ({
      source,
      url: r.url,
      fetchedAt: r.fetched_at,
      status: r.status,
      ...(r.content_type ? { contentType: r.content_type } : {}),
      body: gunzipSync(r.body_gz).toString('utf8'),
    }));
  }

  sourceStatus(): SourceStatusRow[] {
    const rows = this.db
      .prepare(
        `
      SELECT s.source,
        (SELECT MAX(finished_at) FROM source_runs WHERE source = s.source AND status = 'ok') AS lastSuccessAt,
        (SELECT MAX(date) FROM source_runs WHERE source = s.source AND status = 'ok') AS lastSuccessDate,
        (SELECT MAX(substr(as_of, 1, 10)) FROM observations
          WHERE source = s.source AND kind IN ('measured', 'approximate')) AS lastDataAsOf,
        l.finished_at AS lastRunAt, l.status AS lastStatus, l.error_message AS lastError
      FROM (SELECT DISTINCT source FROM source_runs) s
      JOIN source_runs l ON l.source = s.source AND l.rowid = \
(SELECT rowid FROM source_runs WHERE source = s.source ORDER BY started_at DESC, rowid DESC LIMIT 1)
      ORDER BY s.source`,
      )
      .all() as SourceStatusRow[];
    return rows;
  }

  runs(limit = 20): {
    id: number;
    date: string;
    mode: string;
    started_at: string;
    finished_at: string | null;
    status: string;
  }[] {
    return this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit) as never;
  }

  upsertHistory(rows: HistoryRow[]): number {
    const ins = this.db.prepare(
      'INSERT OR REPLACE INTO history(series, key, date, value, unit, source) VALUES (?,?,?,?,?,?)',
    );
    this.db.transaction(() => {
      for (const r of rows) ins.run(r.series, r.key, r.date, r.value, r.unit, r.source);
    })();
    return rows.length;
  }

  history(series: string, key: string, from = '0000-01-01', to = '9999-12-31'): HistoryRow[] {
    return this.db
      .prepare('SELECT * FROM history WHERE series = ? AND key = ? AND date >= ? AND date <= ? ORDER BY date')
      .all(series, key, from, to) as HistoryRow[];
  }

  historySeries(): { series: string; key: string; from: string; to: string; n: number }[] {
    return this.db
      .prepare(
        'SELECT series, key, MIN(date) AS "from", MAX(date) AS "to", COUNT(*) AS n FROM history ' +
          'GROUP BY series, key ORDER BY series, key',
      )
      .all() as never;
  }

  integrityOk(): boolean {
    return (this.db.pragma('integrity_check', { simple: true }) as string) === 'ok';
  }

  /** SQLite's quick check (page structure, not index contents): throws the damaged-store error when it fails. */
  checkHealth(): void {
    const said = this.db.pragma('quick_check(1)', { simple: true }) as string;
    if (said !== 'ok')
      throw storeFailure(
        Object.assign(new Error(`quick_check: ${said}`), { code: 'SQLITE_CORRUPT' }),
        this.file,
      );
  }
}

/** Whether a process with this id exists on this machine (the store is a local file). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function toObservation(r: Record<string, unknown>): StoredObservation {
  return {
    date: r.date as string,
    source: r.source as string,
    series: r.series as Series,
    key: r.key as string,
    value: r.value as number,
    unit: r.unit as string,
    asOf: r.as_of as string,
    kind: r.kind as StoredObservation['kind'],
    sourceUrl: r.source_url as string,
    ...(r.meta ? { meta: JSON.parse(r.meta as string) } : {}),
  };
}
