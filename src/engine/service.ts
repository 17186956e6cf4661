import type { Config } from '../config/schema.ts';
import type { SourcesConfig } from '../config/sources.ts';
import type { DeviceModel, Fleet, ModelIncome } from '../domain/types.ts';
import type { Highs } from '../solve/highs.ts';
import type { ReferenceData } from '../domain/reference.ts';
import type { ReportInput } from '../report/types.ts';
import { parseFleet, loadFleetFile } from '../config/fleet.ts';
import { siteOrDefault, type SiteTerms } from './context.ts';
import { listInputs, computeIncomeTable, type EngineContext } from './decide.ts';
import { adviseFleet, adviseSummary } from './advise.ts';
import { summaryOf } from './report-content.ts';
import { loadPreviousReports } from './report.ts';
import type { WhatIf } from './whatif.ts';
import type { SourceStatus } from './status.ts';
import type { HistoryReader } from './history.ts';
import { computeRisk, type RiskRequest } from './risk.ts';
import { buildCharts, riskChart, tornadoChart } from '../report/charts.ts';
import { computeSensitivity } from './sensitivity.ts';
import { freshnessTier, newestObservedAsOf, withTiers } from '../analysis/freshness.ts';
import { AppError } from '../errors.ts';
import { daysBetween } from '../lib/time.ts';
import { adviceDisplay, withDisplay } from './advice-display.ts';
import { answerKey, type Answer } from './answer.ts';
import { NotFoundError } from './not-found.ts';
import { SnapshotWatch, type SnapshotState } from './snapshot-watch.ts';
import { HistoryAccess, type StoreHealth } from './history-access.ts';
import { listReports } from './report-files.ts';
import { adviceMeta, summaryBody, warningsCheck } from './advice-body.ts';
import { AdviceMemo, type FullAdvice, type SummaryAdvice } from './advice-memo.ts';

export type AdviceView = 'summary' | 'full';
export interface AdviceRequest {
  fleet?: unknown;
  whatIf?: WhatIf;
  charts?: boolean;
  view?: AdviceView;
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

/**
 * The engine for long-running front ends (the API): today's snapshot, the configured fleet, advice
 * with what-ifs, market inputs, history and reports. Answers come with a key (snapshot + request) that
 * callers cache by; onStale tells them when a new snapshot file landed (or invalidate() ran). The advice
 * computations are memoised (engine/advice-memo.ts), flushed at the same moments.
 */
export class AdviceService {
  readonly reference: ReferenceData;
  readonly fleet: Fleet;
  private readonly o: Required<Omit<ServiceOptions, 'fleet'>>;
  private readonly memo = new AdviceMemo();
  private readonly staleListeners: (() => void)[] = [];
  private readonly snapshots: SnapshotWatch;
  private readonly history: HistoryAccess;

  constructor(opts: ServiceOptions) {
    this.o = { refreshMs: 2000, now: () => new Date(), ...opts };
    this.reference = opts.reference;
    this.fleet = opts.fleet ?? loadFleetFile(opts.fleetFile, this.reference.models);
    this.snapshots = new SnapshotWatch({
      dataDir: this.o.dataDir,
      refreshMs: this.o.refreshMs,
      today: () => this.today(),
      onChange: () => this.stale(),
    });
    this.history = new HistoryAccess(this.o.dataDir);
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
    return { ...this.snapshots.get(), date: this.today() };
  }

  /** An answer keyed by the snapshot in use and the request parts (in any key order); computed lazily. */
  private answer<T>(parts: unknown[], compute: () => T): Answer<T> {
    return { key: answerKey(this.snapshots.get().key, parts), value: compute };
  }

  /** Run `fn` whenever the answers handed out so far go stale: a new snapshot file, or invalidate(). */
  onStale(fn: () => void): void {
    this.staleListeners.push(fn);
  }

  private stale(): void {
    this.memo.flush();
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
    if (full) this.memo.askedFull(fullKey);
    const known = !full && this.memo.knowsFull(fullKey);
    // fullKey stands for the fleet and what-if: they are not serialised again
    const parts = ['advice', view, fullKey, req.charts ?? false, known];
    return this.answer(parts, () => {
      if (!full) {
        const s = this.summaryAdvice(req, fullKey);
        return summaryBody(s.meta, s.report);
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
          : summaryBody(f.meta, summaryOf(f.advice, f.decision, true));
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
    const d = adviceDisplay(this.snapshots.get().snapshot, this.o.config, currency, field);
    const fullKey = this.fullKey(req);
    const a = this.adviceAnswer(req, fullKey);
    return {
      key: `${a.key}|display=${d.dc?.code ?? 'USD'}`,
      value: () => withDisplay(a.value(), d, () => this.summaryAdvice(req, fullKey).report),
    };
  }

  private fullKey(req: AdviceRequest): string {
    // plain when short (a GET's key), hashed when a fleet or what-if makes it long: a hash per cached GET
    // was a measurable share of the API's time per request
    return answerKey(this.snapshots.get().key, ['full', req.fleet ?? null, req.whatIf ?? null]);
  }

  /** The full computation, memoised separately so the views and charts of one request share one solve. */
  private fullAdvice(req: AdviceRequest, key: string): FullAdvice {
    return this.memo.full(key, () => this.computeAdvice(req, 'full') as FullAdvice);
  }

  /** The summary computation (no warnings search), memoised; derived from the full one when that is. */
  private summaryAdvice(req: AdviceRequest, fullKey: string): SummaryAdvice {
    return this.memo.summary(fullKey, () => this.computeAdvice(req, 'summary') as SummaryAdvice);
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

  /** The meta of an answer computed now on `cur`. */
  private meta(
    inputs: ReportInput[],
    cur: SnapshotState & { date: string },
    fleet: string,
    whatIf: string[],
  ) {
    return adviceMeta(inputs, cur, fleet, whatIf, this.o.now().toISOString());
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

  /** Monte Carlo bands per model and use at a site of the configured fleet (or the default site). */
  risk(req: RiskRequest & { site?: string }) {
    const site = this.siteFor(req.site);
    return this.answer(['risk', site.id, req], () => {
      const cur = this.current();
      const r = computeRisk(this.context(cur), this.history.reader(), site, req);
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
    return this.history.series();
  }

  historyRows(series: string, key: string | undefined, from?: string, to?: string): unknown {
    return this.history.rows(series, key, from, to);
  }

  /** Report folders under reports/ (dates), newest first, with their files. */
  reports(): { date: string; files: string[] }[] {
    return listReports(this.o.reportsDir);
  }

  /**
   * Whether the history store is usable: SQLite's quick check (a passed check is reused for a minute: a
   * probe must stay cheap); `none` before the first collection. A damaged store says which file and how to recover.
   */
  storeHealth(): StoreHealth {
    return this.history.storeHealth();
  }

  /** Each source's status; reads the store when there is one (never creates it, never loads shipped history). */
  sourceStatus(): SourceStatus[] {
    return this.history.sourceStatus(this.o.sources, this.o.config, this.today());
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
    this.snapshots.recheck();
    this.stale();
    this.history.reset();
  }

  close(): void {
    this.memo.close();
    this.history.close();
  }
}
