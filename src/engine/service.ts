import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { join, sep } from 'node:path';
import NodeCache from 'node-cache';
import type { Config } from '../config/schema.ts';
import type { SourcesConfig } from '../config/sources.ts';
import type { DeviceModel, Fleet, MarketSnapshot, ModelIncome } from '../domain/types.ts';
import type { Highs } from '../solve/highs.ts';
import type { ReferenceData } from '../domain/reference.ts';
import type { ReportData, ReportInput } from '../report/types.ts';
import { parseFleet, loadFleetFile } from '../config/fleet.ts';
import { snapshotFiles, loadSnapshotFile } from '../store/snapshots.ts';
import { siteOrDefault, type SiteTerms } from './context.ts';
import { listInputs, computeIncomeTable, type EngineContext } from './decide.ts';
import { adviseFleet, adviseSummary } from './advise.ts';
import { summaryOf, type SummaryReport } from './report-content.ts';
import type { Decision } from '../domain/decision.ts';
import { loadPreviousReports } from './report.ts';
import type { WhatIf } from './whatif.ts';
import { sourceStatuses, type SourceStatus } from './status.ts';
import { openHistory, type HistoryReader } from './history.ts';
import { Store } from '../store/db.ts';
import { computeRisk, type RiskRequest } from './risk.ts';
import { buildCharts, riskChart, tornadoChart } from '../report/charts.ts';
import { computeSensitivity } from './sensitivity.ts';
import { freshnessTier, newestObservedAsOf, withTiers } from '../analysis/freshness.ts';
import { InputError, AppError, DataError } from '../errors.ts';
import { daysBetween } from '../lib/time.ts';
import { byPaidUse } from '../domain/uses.ts';
import { KINDS } from '../domain/types.ts';
import { logger } from '../lib/log.ts';
import { adviceDisplay, withDisplay } from './advice-display.ts';

const log = logger('service');

/**
 * An answer and its key: equal keys mean the same answer (same snapshot, same request), so a caller may cache
 * whatever it derives from the value (the API: serialised bytes) by the key, until onStale fires.
 * `value` computes the answer; a caller with a cached copy never calls it.
 */
export interface Answer<T = unknown> {
  key: string;
  value: () => T;
}

export type AdviceView = 'summary' | 'full';
export interface AdviceRequest {
  fleet?: unknown;
  whatIf?: WhatIf;
  charts?: boolean;
  view?: AdviceView;
}

export class NotFoundError extends AppError {
  constructor(what: string, message: string) {
    super('NOT_FOUND', `${what}: ${message}`, { exitCode: 2, context: { what } });
  }
}

export interface ServiceOptions {
  dataDir: string;
  /** Reference tables (catalogue, cloud GPUs, SKUs), already loaded by the caller. */
  reference: ReferenceData;
  reportsDir: string;
  config: Config;
  sources: SourcesConfig;
  highs: Highs;
  /** Fleet file for GET /allocation and site lookups (default: the shipped HIVE-like example). */
  fleetFile: string;
  /** The fleet already read from fleetFile (a worker gets the server's: the file may have changed since). */
  fleet?: Fleet;
  now?: () => Date;
  /** How often (ms) to look for a new snapshot file; 0 = on every call. */
  refreshMs?: number;
}

interface FullAdvice {
  meta: AdviceMeta;
  advice: ReportData;
  decision: Decision;
}

/** Whether `warnings` is the warnings search's answer, and the decision's own warnings either way. */
export interface WarningsCheck {
  /** searched: `warnings` lists the inputs that would change the advice; not-run: `warnings` is null. */
  status: 'searched' | 'not-run';
  /** The decision's own warnings (assumptions it had to make): always computed; in `warnings` when searched. */
  decisionWarnings: string[];
  note: string;
}

interface SnapshotState {
  key: string;
  snapshot: MarketSnapshot;
}

export interface AdviceMeta {
  snapshotId: string;
  snapshotDate: string;
  decisionDate: string;
  fleet: string;
  whatIf: string[];
  inputsByTier: Record<string, number>;
  /** Inputs per kind; approximate and assumed ones need checking like stale ones. */
  inputsByKind: Record<string, number>;
  staleInputs: { name: string; asOf: string; ageDays: number; tier: string; kind: string }[];
  computedAt: string;
}

/**
 * The engine for long-running front ends (the API): today's snapshot, the configured fleet, advice
 * with what-ifs, market inputs, history and reports. Answers come with a key (snapshot + request) that
 * callers cache by; onStale tells them when a new snapshot file landed (or invalidate() ran). The full
 * advice computation is memoised here (node-cache), flushed at the same moments.
 */
export class AdviceService {
  readonly reference: ReferenceData;
  readonly fleet: Fleet;
  private readonly o: Required<Omit<ServiceOptions, 'fleet'>>;
  private readonly computed: NodeCache;
  /**
   * Full views asked for since the answers last went stale (their keys): with the API's worker pool the
   * full computation runs in a worker, so `computed` here never holds it, yet a summary asked after it
   * must take a new key (and find the search's answer in the data folder), as it does in-process.
   */
  private readonly fullAsked = new Set<string>();
  private readonly staleListeners: (() => void)[] = [];
  private state: SnapshotState | null = null;
  private checkedAt = -Infinity;
  private history: { reader: HistoryReader; store: Store | null } | null = null;
  private storeChecked: {
    atMs: number;
    result: { status: 'ok' | 'none' } | { status: 'damaged'; error: string };
  } | null = null;

  constructor(opts: ServiceOptions) {
    this.o = { refreshMs: 2000, now: () => new Date(), ...opts };
    this.reference = opts.reference;
    this.fleet = opts.fleet ?? loadFleetFile(opts.fleetFile, this.reference.models);
    this.computed = new NodeCache({ stdTTL: 120, checkperiod: 60, useClones: false, maxKeys: 50 });
  }

  get config(): Config {
    return this.o.config;
  }
  get dataDir(): string {
    return this.o.dataDir;
  }
  get reportsDir(): string {
    return this.o.reportsDir;
  }
  today(): string {
    return this.o.now().toISOString().slice(0, 10);
  }
  /** The service's clock (a worker computing for it is handed this instant with each task). */
  nowMs(): number {
    return this.o.now().getTime();
  }

  /**
   * The options another thread needs to build the same service (all structured-cloneable: no solver, no
   * clock; the worker loads its own solver and takes the instant per task).
   */
  workerOptions(): Omit<ServiceOptions, 'highs' | 'now'> {
    const { highs: _h, now: _n, ...rest } = this.o;
    // the fleet as this service read it: a worker started later must not re-read an edited fleet file
    return { ...rest, fleet: this.fleet };
  }

  /** The engine context for a computation on the current snapshot. */
  private context(cur: SnapshotState & { date: string }): EngineContext {
    return { reference: this.reference, snapshot: cur.snapshot, config: this.o.config, date: cur.date };
  }

  /** The newest snapshot on or before today, with the decision date. */
  current(): SnapshotState & { date: string } {
    return { ...this.refresh(), date: this.today() };
  }

  /**
   * The snapshot in use; its file is looked for at most every refreshMs, re-read when it changes (then the
   * memo is flushed and onStale listeners run).
   */
  private refresh(): SnapshotState {
    const t = performance.now();
    if (!this.state || t - this.checkedAt >= this.o.refreshMs) {
      this.checkedAt = t;
      const today = this.today();
      const files = [...snapshotFiles(this.o.dataDir)].filter(([d]) => d <= today);
      const pick = files.at(-1);
      if (!pick)
        throw new NotFoundError(
          'snapshot',
          `no market snapshot on or before ${today}: run \`rigpivot collect\``,
        );
      const st = statSync(pick[1]);
      // the day is part of the key: answers are decided for today (input ages, the what-if's date), so a
      // new day makes them stale even when the newest snapshot file is still yesterday's
      const key = `${pick[1]}|${st.mtimeMs}|${st.size}|${today}`;
      if (key !== this.state?.key) {
        this.state = { key, snapshot: loadSnapshotFile(pick[1]) };
        log.info('snapshot loaded', { file: pick[1], id: this.state.snapshot.id, today });
        this.stale();
      }
    }
    return this.state!;
  }

  /** An answer keyed by the snapshot in use and the request parts (in any key order); computed lazily. */
  private answer<T>(parts: unknown[], compute: () => T): Answer<T> {
    const snapKey = this.refresh().key; // the hot path: no date string, no copy
    const plain = `${snapKey}|${stableStringify(parts)}`;
    // long keys (fleets in bodies) hashed
    const key = plain.length <= 512 ? plain : createHash('sha256').update(plain).digest('base64url');
    return { key, value: compute };
  }

  /** Run `fn` whenever the answers handed out so far go stale: a new snapshot file, or invalidate(). */
  onStale(fn: () => void): void {
    this.staleListeners.push(fn);
  }

  private stale(): void {
    this.computed.flushAll();
    this.fullAsked.clear();
    for (const fn of this.staleListeners) fn();
  }

  /**
   * Advice for the configured fleet, or a fleet and what-if from a request. The summary view is the
   * decision (moves, headline, per-site and per-cell allocation, plan, AI demand, solver) and computes only
   * that; the full view is the whole report data (incomes per use, break-evens, every input with
   * provenance, assumptions) with the warnings search; charts are the report's chart.js specs (they need
   * the full computation). The summary's `warnings` are the search's when it already ran for this request
   * (here or in the data folder's cache), else null with `warningsCheck` saying so: never an empty list
   * that only means "not computed".
   */
  advice(req: AdviceRequest) {
    return this.adviceAnswer(req, this.fullKey(req));
  }

  /** advice() given its full-view key, hashed once per request (a fleet can be thousands of cells). */
  private adviceAnswer(req: AdviceRequest, fullKey: string) {
    const view = req.view ?? 'summary';
    const full = view === 'full' || req.charts === true;
    // a summary asked again after the full view of the same request carries its warnings: another key
    if (full && this.fullAsked.size < FULL_ASKED_MAX) this.fullAsked.add(fullKey);
    const known = !full && (this.computed.has(fullKey) || this.fullAsked.has(fullKey));
    // fullKey stands for the fleet and what-if: they are not serialised again
    const parts = ['advice', view, fullKey, req.charts ?? false, known];
    return this.answer(parts, () => {
      if (!full) {
        const s = this.summaryAdvice(req, fullKey);
        return this.summaryBody(s.meta, s.report);
      }
      const f = this.fullAdvice(req, fullKey);
      // the moves first (what to do, the gain after switching cost, why), then each uncertain input
      // whose break-even would change this advice
      const body =
        view === 'full'
          ? {
              moves: f.advice.moves,
              warnings: f.advice.warnings,
              warningsCheck: warningsCheck(summaryOf(f.advice, f.decision, true), f.meta),
              meta: f.meta,
              advice: f.advice,
            }
          : this.summaryBody(f.meta, summaryOf(f.advice, f.decision, true));
      return req.charts ? { ...body, charts: buildCharts(f.advice) } : body;
    });
  }

  /**
   * advice() with a display currency (`currency`, else config displayCurrency): the USD answer plus `display`
   * (the rate, its source, as-of and kind, and the headline converted; absent for USD) and `currencies` (those
   * with a rate, for a selector). A requested currency without a rate is a 400 naming `field`, before any solve.
   * The converted headline comes from the summary computation (only when converting): a summary stays lean.
   */
  adviceIn(req: AdviceRequest, currency: string | undefined, field = 'currency'): Answer {
    const d = adviceDisplay(this.current().snapshot, this.o.config, currency, field);
    const fullKey = this.fullKey(req);
    const a = this.adviceAnswer(req, fullKey);
    return {
      key: `${a.key}|display=${d.dc?.code ?? 'USD'}`,
      value: () => withDisplay(a.value(), d, () => this.summaryAdvice(req, fullKey).report),
    };
  }

  private summaryBody(meta: AdviceMeta, r: SummaryReport) {
    return {
      moves: r.moves,
      warnings: r.warnings,
      warningsCheck: warningsCheck(r, meta),
      meta,
      allocation: summarise(r),
    };
  }

  private fullKey(req: AdviceRequest): string {
    return createHash('sha256')
      .update(stableStringify(['full', this.refresh().key, req.fleet ?? null, req.whatIf ?? null]))
      .digest('base64url');
  }

  /** The full computation, memoised separately so the views and charts of one request share one solve. */
  private fullAdvice(req: AdviceRequest, key: string): FullAdvice {
    const hit = this.computed.get<FullAdvice>(key);
    if (hit) return hit;
    const v = this.computeAdvice(req, 'full') as FullAdvice;
    try {
      this.computed.set(key, v);
    } catch {
      /* full */
    }
    return v;
  }

  /** The summary computation (no warnings search), memoised; derived from the full one when that is. */
  private summaryAdvice(req: AdviceRequest, fullKey: string): { meta: AdviceMeta; report: SummaryReport } {
    const hit = this.computed.get<FullAdvice>(fullKey);
    if (hit) return { meta: hit.meta, report: summaryOf(hit.advice, hit.decision, true) };
    const key = `summary|${fullKey}`;
    const memo = this.computed.get<{ meta: AdviceMeta; report: SummaryReport }>(key);
    if (memo) return memo;
    const s = this.computeAdvice(req, 'summary') as { meta: AdviceMeta; report: SummaryReport };
    try {
      this.computed.set(key, s);
    } catch {
      /* full */
    }
    return s;
  }

  private computeAdvice(req: AdviceRequest, view: AdviceView) {
    const cur = this.current();
    const baseFleet =
      req.fleet === undefined ? this.fleet : parseFleet(req.fleet, this.reference.models, 'fleet');
    const previous =
      req.fleet === undefined
        ? loadPreviousReports(this.o.reportsDir, cur.date).reports.filter((r) => r.fleet === baseFleet.name)
        : [];
    // the data folder holds the warnings search's cache (engine/fragility.ts)
    const ctx = { ...this.context(cur), dataDir: this.o.dataDir };
    const o = { whatIf: req.whatIf, generatedAt: this.o.now().toISOString(), previous };
    if (view === 'summary') {
      const s = adviseSummary(ctx, baseFleet, this.o.highs, o);
      return { meta: this.meta(s.report.inputs, cur, s.fleet.name, s.whatIf), report: s.report };
    }
    const a = adviseFleet(ctx, baseFleet, this.o.highs, o);
    const meta = this.meta(a.report.inputs, cur, a.fleet.name, a.whatIf);
    return { meta, advice: a.report, decision: a.decision };
  }

  private meta(
    inputs: ReportInput[],
    cur: SnapshotState & { date: string },
    fleet: string,
    whatIf: string[],
  ): AdviceMeta {
    const inputsByTier: Record<string, number> = { fresh: 0, stale: 0, 'too-old': 0 };
    for (const i of inputs) inputsByTier[i.tier] = (inputsByTier[i.tier] ?? 0) + 1;
    const inputsByKind: Record<string, number> = Object.fromEntries(KINDS.map((k) => [k, 0]));
    for (const i of inputs) inputsByKind[i.kind] = (inputsByKind[i.kind] ?? 0) + 1;
    return {
      snapshotId: cur.snapshot.id,
      snapshotDate: cur.snapshot.date,
      decisionDate: cur.date,
      fleet,
      whatIf,
      inputsByTier,
      inputsByKind,
      staleInputs: inputs
        .filter((i) => i.tier !== 'fresh')
        .map((i) => ({ name: i.name, asOf: i.asOf, ageDays: i.ageDays, tier: i.tier, kind: i.kind })),
      computedAt: this.o.now().toISOString(),
    };
  }

  /** Every market input of the current snapshot with unit, as-of, source, kind and freshness tier. */
  market() {
    return this.answer(['market'], () => {
      const cur = this.current();
      const inputs = withTiers(listInputs(cur.snapshot, cur.date), this.o.config.freshness);
      return {
        meta: this.meta(inputs, cur, this.fleet.name, []),
        snapshot: { id: cur.snapshot.id, date: cur.snapshot.date, notes: cur.snapshot.notes },
        inputs,
      };
    });
  }

  gpus() {
    return this.answer(['gpus'], () => ({
      unit: {
        vramGiB: 'GiB',
        hashrateMhs: 'MH/s',
        powerW: 'W',
        fp16TensorTflops: 'TFLOPS',
        memBandwidthGBs: 'GB/s',
      },
      models: [...this.reference.models.values()],
    }));
  }

  /** Per-use income of one model at a site of the configured fleet (or the config default site). */
  income(modelId: string, siteId: string | undefined, cmpPatched: boolean) {
    const model: DeviceModel | undefined =
      this.reference.models.get(modelId) ?? this.fleet.customModels.find((m) => m.id === modelId);
    if (!model)
      throw new NotFoundError(
        'model',
        `unknown GPU model "${modelId}"; GET /api/v1/gpus lists the catalogue`,
      );
    const site = this.siteFor(siteId);
    return this.answer(['income', modelId, site.id, cmpPatched], () => {
      const cur = this.current();
      const ctx = this.context(cur);
      const rows: ModelIncome[] = computeIncomeTable(ctx, site, new Map([[model.id, model]]), cmpPatched);
      return {
        snapshotId: cur.snapshot.id,
        snapshotDate: cur.snapshot.date,
        decisionDate: cur.date,
        site,
        unit: 'USD per device per day',
        income: rows[0],
      };
    });
  }

  private historyReader(): HistoryReader {
    this.history ??= openHistory(this.o.dataDir);
    return this.history.reader;
  }

  /** Monte Carlo bands per model and use at a site of the configured fleet (or the default site). */
  risk(req: RiskRequest & { site?: string }) {
    const site = this.siteFor(req.site);
    return this.answer(['risk', site.id, req], () => {
      const cur = this.current();
      const r = computeRisk(this.context(cur), this.historyReader(), site, req);
      return { ...r, chart: riskChart(r) };
    });
  }

  /**
   * Tornado for the configured fleet: each uncontrolled input alone at -step/+step, re-optimised; with its
   * chart spec.
   */
  sensitivity(step = 0.2) {
    return this.answer(['sensitivity', step], () => {
      const cur = this.current();
      const s = computeSensitivity(this.context(cur), this.fleet, this.o.highs, { step });
      return { ...s, chart: tornadoChart(s) };
    });
  }

  private siteFor(siteId: string | undefined): SiteTerms {
    return siteOrDefault(this.fleet, this.o.config, siteId, 'site');
  }

  historySeries(): { origin: string; series: ReturnType<HistoryReader['series']> } {
    const r = this.historyReader();
    return { origin: r.origin, series: r.series() };
  }

  historyRows(series: string, key: string | undefined, from?: string, to?: string): unknown {
    const r = this.historyReader();
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

  /** Report folders under reports/ (dates), newest first, with their files. */
  reports(): { date: string; files: string[] }[] {
    if (!existsSync(this.o.reportsDir)) return [];
    return readdirSync(this.o.reportsDir)
      .filter(
        (d) =>
          /^\d{4}-\d{2}-\d{2}$/.test(d) &&
          underReports(this.o.reportsDir, join(this.o.reportsDir, d, 'report.json')) !== null,
      )
      .sort()
      .reverse()
      .map((d) => ({
        date: d,
        files: [
          'report.json',
          'report.html',
          'report.md',
          ...listPngs(join(this.o.reportsDir, d, 'charts')),
        ].filter((f) => underReports(this.o.reportsDir, join(this.o.reportsDir, d, f)) !== null),
      }));
  }

  /**
   * Whether the history store is usable: SQLite's quick check (a passed check is reused for a minute: a
   * probe must stay cheap); `none` before the first collection. A damaged store says which file and how to recover.
   */
  storeHealth(): { status: 'ok' | 'none' } | { status: 'damaged'; error: string } {
    const nowMs = Date.now();
    if (this.storeChecked && nowMs - this.storeChecked.atMs < 60_000) return this.storeChecked.result;
    const result = this.checkStore();
    this.storeChecked = result.status === 'ok' ? { atMs: nowMs, result } : null; // a problem is rechecked
    return result;
  }

  private checkStore(): { status: 'ok' | 'none' } | { status: 'damaged'; error: string } {
    if (!this.history?.store && !existsSync(join(this.o.dataDir, 'rigpivot.db'))) return { status: 'none' };
    let store: Store | null = null;
    try {
      store = this.history?.store ?? new Store(this.o.dataDir);
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
  sourceStatus(): SourceStatus[] {
    const own = this.history?.store ?? null;
    const store = own ?? (existsSync(join(this.o.dataDir, 'rigpivot.db')) ? new Store(this.o.dataDir) : null);
    try {
      return sourceStatuses(store, this.o.sources, this.o.config, this.today());
    } finally {
      if (store !== own) store?.close();
    }
  }

  /**
   * The snapshot in use and the age of its data on the decision date: the newest dated observation in it
   * (a snapshot written today from old data is as old as that data), or why there is none.
   */
  snapshotSummary():
    { id: string; date: string; dataAsOf: string; ageDays: number; tier: string } | { error: string } {
    try {
      const cur = this.current();
      const inputs = listInputs(cur.snapshot, cur.date);
      const dataAsOf = newestObservedAsOf(inputs) ?? cur.snapshot.date;
      const ageDays = Math.max(0, Math.round(daysBetween(dataAsOf, cur.date)));
      return {
        id: cur.snapshot.id,
        date: cur.snapshot.date,
        dataAsOf,
        ageDays,
        tier: freshnessTier(ageDays, this.o.config.freshness),
      };
    } catch (e) {
      if (e instanceof AppError) return { error: e.message };
      throw e;
    }
  }

  /** Answers go stale (onStale listeners run); the snapshot is re-read on the next call (after collect). */
  invalidate(): void {
    this.checkedAt = -Infinity;
    this.stale();
    this.history?.store?.close();
    this.history = null;
  }

  close(): void {
    this.computed.close();
    this.history?.store?.close();
  }
}

/** The decision without the detail: what a fleet manager acts on. */
function summarise(r: SummaryReport) {
  return {
    fleet: r.fleet,
    date: r.date,
    snapshotId: r.snapshotId,
    unit: 'USD/day; devices',
    warnings: r.warnings,
    headline: r.headline,
    cells: r.models.map((m) => ({
      site: m.site,
      model: m.model,
      cmpPatched: m.cmpPatched,
      count: m.count,
      current: m.current,
      recommended: m.recommended,
      best: m.best,
      runnerUp: m.runnerUp,
      marginUsdPerDay: m.marginUsdPerDay,
      netUsdPerDevicePerDay: byPaidUse((u) => (m.uses[u].eligible ? m.uses[u].netUsdPerDay : null)),
    })),
    aiDemand: r.aiDemand,
    difficultyBreakEvens: r.difficultyBreakEvens,
    networks: r.networks ?? [],
    /** Keep / move / sell over the horizon: counts per path, cash from sales, capex, net, payback, sell date. */
    plan: r.plan,
    counterfactual: {
      baseline: r.counterfactual.baseline,
      baselineNetUsdPerDay: r.counterfactual.baselineNetUsdPerDay,
      differenceUsdPerDay: r.counterfactual.differenceUsdPerDay,
    },
    solver: r.solver,
  };
}

function listPngs(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^[a-z0-9-]+\.png$/.test(f))
        .sort()
        .map((f) => `charts/${f}`)
    : [];
}

/** Most full-view keys remembered between stale moments (beyond: summaries keep their first key). */
const FULL_ASKED_MAX = 10_000;

/** JSON with object keys sorted, so equal requests make equal cache keys whatever their key order. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * A report file, read only if it is one of the files a report folder holds and it really lies under
 * reportsDir: a symbolic link that leads outside it is not followed (404), nor is a link as the file itself.
 */
export function readReportFile(reportsDir: string, date: string, file: string): Buffer {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new InputError('date', `expected YYYY-MM-DD, got "${date.slice(0, 40)}"`);
  if (!/^(report\.(json|html|md)|charts\/[a-z0-9-]+\.png)$/.test(file))
    throw new InputError('file', 'expected report.json, report.html, report.md or charts/<name>.png');
  const real = underReports(reportsDir, join(reportsDir, date, file));
  const bytes = real === null ? null : readRegularFile(real);
  if (bytes === null)
    throw new NotFoundError(
      'report',
      `no ${file} for ${date}; GET /api/v1/reports lists the reports (make one with \`rigpivot report\`)`,
    );
  return bytes;
}

/** The real path of `path` when it exists and lies inside reportsDir (links resolved), else null. */
function underReports(reportsDir: string, path: string): string | null {
  try {
    const real = realpathSync(path);
    return real.startsWith(realpathSync(reportsDir) + sep) ? real : null;
  } catch {
    return null;
  }
}

/** A regular file's bytes, opened without following a link (one swapped in since the check), or null. */
function readRegularFile(path: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : null;
  } finally {
    closeSync(fd);
  }
}

/** What the summary's `warnings` are: the search's answer, or not computed (and how to get it). */
function warningsCheck(r: SummaryReport, meta: AdviceMeta): WarningsCheck {
  if (r.warnings !== null)
    return {
      status: 'searched',
      decisionWarnings: r.decisionWarnings,
      note:
        'warnings: each approximate, assumed or not-fresh input was moved alone and the fleet re-decided; ' +
        "listed are those that change the advice, then the decision's own warnings",
    };
  const k = meta.inputsByKind;
  const unsure = (k['approximate'] ?? 0) + (k['assumed'] ?? 0);
  const old = (meta.inputsByTier['stale'] ?? 0) + (meta.inputsByTier['too-old'] ?? 0);
  return {
    status: 'not-run',
    decisionWarnings: r.decisionWarnings,
    note:
      `NOT CHECKED: warnings is null because the search for the inputs that would change this advice ` +
      `(it re-decides the fleet dozens of times) runs only in the full view; ask the same request with ` +
      `?view=full for it. Until then treat this advice as unchecked: ${unsure} inputs are approximate ` +
      `or assumed and ${old} not fresh (meta).`,
  };
}
