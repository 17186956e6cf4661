/**
 * rigpivot's public API: what the notebooks (and any script) may import. Everything here reads the
 * shipped data (or a store you collected into) and runs the same code as the CLI, the report and the API.
 *
 *   import { openWorkbench, renderChartPng } from '../build/index.js';   // after `npm run build`
 *   const wb = await openWorkbench();                                     // today's snapshot, offline
 *   const advice = wb.advise('hive-like', { electricityUsdPerKwh: 0.09 });
 *
 * A change that breaks these names or shapes breaks `npm run notebooks` (and CI).
 */
import type { Config } from './config/schema.ts';
import type { DeviceModel, Fleet, MarketSnapshot, ModelIncome } from './domain/types.ts';
import { InputError } from './errors.ts';
import { applyConfigValues } from './config/load.ts';
import {
  openContext,
  openFleet,
  siteOrDefault,
  exampleFleets,
  exampleFleetFile,
  loadSolver,
  marketInputs,
  catalogue,
  aiRateTable,
  incomeTable,
  breakEvenTable,
  computeForecast,
  computeHorizonValues,
  decide,
  adviseFleet,
  parseWhatIf,
  whatIfSchema,
  computeSensitivity,
  openHistoryHandle,
  runBacktest,
  computeRisk,
  POLICIES,
  type AiRateRow,
  type EngineContext,
  type Highs,
  type HistoryHandle,
  type ReferenceData,
  type SiteLike,
  type SiteTerms,
  type ReportData,
  type ReportInput,
  type BreakEven,
  type WhatIf,
  type Sensitivity,
  type Forecast,
  type HorizonValues,
  type RiskRequest,
  type RiskResult,
  type BacktestResult,
  type PolicyName,
  type HistoryReader,
} from './engine/index.ts';

export {
  buildCharts,
  backtestChart,
  tornadoChart,
  riskChart,
  USE_COLORS,
  renderChartPng,
  tableHtml,
  type ChartSpec,
  type Tabular,
  type TableOptions,
} from './engine/index.ts';
export { POLICIES, whatIfSchema };
export { AppError, InputError, DataError } from './errors.ts';
export type {
  Config,
  DeviceModel,
  Fleet,
  MarketSnapshot,
  ModelIncome,
  ReportData,
  ReportInput,
  BreakEven,
  WhatIf,
  Sensitivity,
  Forecast,
  HorizonValues,
  RiskRequest,
  RiskResult,
  BacktestResult,
  PolicyName,
  HistoryReader,
  SiteTerms,
  AiRateRow,
};

export interface WorkbenchOptions {
  /** Store folder with collected snapshots and history (default data/store/; falls back to the shipped data). */
  dataDir?: string;
  /** Use the newest snapshot on or before this date (YYYY-MM-DD). */
  date?: string;
  /** A config file (JSON) with assumption overrides. */
  configFile?: string;
  /**
   * Assumptions by key, e.g. { 'ai.utilisation': 0.5 } (keys: config ASSUMPTIONS; `rigpivot assumptions`
   * lists them).
   */
  assumptions?: Record<string, number | string | string[]>;
}

export type FleetRef = Fleet | string;

/** The engine for analysts: one snapshot, the reference tables and the solver, with every analysis as a method. */
export class Workbench {
  private historyHandle: HistoryHandle | null = null;

  private constructor(
    readonly ctx: EngineContext & { dataDir: string },
    private readonly highs: Highs,
  ) {}

  static async open(o: WorkbenchOptions = {}): Promise<Workbench> {
    const ctx = openContext({ dataDir: o.dataDir, date: o.date, file: o.configFile, env: {} });
    if (o.assumptions) ctx.config = applyConfigValues(ctx.config, o.assumptions, 'assumptions');
    return new Workbench(ctx, await loadSolver());
  }

  get snapshot(): MarketSnapshot {
    return this.ctx.snapshot;
  }
  get config(): Config {
    return this.ctx.config;
  }
  get reference(): ReferenceData {
    return this.ctx.reference;
  }
  /** The decision date (the snapshot's date unless a date was asked for). */
  get date(): string {
    return this.ctx.date ?? this.ctx.snapshot.date;
  }

  /** Every market input with value, unit, as-of, age, source, kind (observed/derived/assumed) and freshness tier. */
  inputs(): ReportInput[] {
    return marketInputs(this.ctx);
  }

  /** The GPU catalogue (hashrates, power, VRAM, AI specs), each with its sources. */
  models(): DeviceModel[] {
    return catalogue(this.ctx);
  }

  /** Per catalogue model: hyperscaler-equivalent, marketplace median and our AI rate, USD per GPU-hour. */
  aiRates(): AiRateRow[] {
    return aiRateTable(this.ctx);
  }

  /** The shipped example fleets by name (pass a name or a path to `fleet`). */
  exampleFleets(): string[] {
    return exampleFleets();
  }

  /** A fleet by example name ("hive-like", "small-farm") or file path, validated against the catalogue. */
  fleet(ref: FleetRef): Fleet {
    if (typeof ref !== 'string') return ref;
    if (!/^[a-z0-9-]+$/.test(ref)) return openFleet(this.ctx, ref);
    const examples = this.exampleFleets();
    if (!examples.includes(ref))
      throw new InputError(
        'fleet',
        `no example fleet "${ref}"; examples: ${examples.join(', ')}, or pass a fleet file path or a Fleet object`,
      );
    return openFleet(this.ctx, exampleFleetFile(ref));
  }

  /** A site of a fleet, or the config default site (tariff and PUE) when no id is given. */
  site(fleet?: FleetRef, siteId?: string): SiteTerms {
    return siteOrDefault(fleet === undefined ? null : this.fleet(fleet), this.config, siteId, 'siteId');
  }

  /** Net USD per device per day for every catalogue model and use at a site (default: the config default site). */
  income(site: SiteTerms = this.site(), cmpPatched = false): ModelIncome[] {
    return incomeTable(this.ctx, site, { cmpPatched });
  }

  /** Per model: the electricity price, coin prices and AI utilisation at which its best use flips. */
  breakEvens(site: SiteTerms = this.site()): { model: string; best: string; items: BreakEven[] }[] {
    return breakEvenTable(this.ctx, site);
  }

  /**
   * Reward schedule changes, the date each model loses each coin (VRAM vs DAG/table), 90/180-day income
   * outlook; with a fleet, mining income is a card of that fleet's (its share of each network, as decided).
   */
  forecast(site: SiteTerms = this.site(), fleet?: FleetRef): Forecast {
    const networks =
      fleet === undefined ? undefined : decide(this.ctx, this.fleet(fleet), this.highs).networks;
    return computeForecast(this.ctx, site, undefined, undefined, networks);
  }

  /**
   * Per model at a site, the value per card over `days` (default: config horizon.days) of each path: mine
   * each coin, re-host and rent for AI, idle, sell now; the best path, re-hosting payback and the day to
   * sell. With a fleet, its site's fixed costs, take-or-pay contract and AI-ready servers apply, and coin
   * paths are one card at the margin of the fleet's decided allocation (`mining` says which rule applied).
   */
  horizon(o: { fleet?: FleetRef; siteId?: string; days?: number; cmpPatched?: boolean } = {}): HorizonValues {
    const fleet = o.fleet === undefined ? null : this.fleet(o.fleet);
    const site = siteOrDefault(fleet, this.config, o.siteId, 'siteId');
    // with a fleet, coin paths are valued at the margin of its decided allocation (as advise chooses)
    const networks = fleet ? decide(this.ctx, fleet, this.highs).networks : undefined;
    return computeHorizonValues(this.ctx, site, { fleet, days: o.days, cmpPatched: o.cmpPatched, networks });
  }

  /** The recommended allocation and the full report content for a fleet, optionally under a what-if. */
  advise(fleet: FleetRef, whatIf: WhatIf = {}): ReportData & { whatIf: string[] } {
    const a = adviseFleet(this.ctx, this.fleet(fleet), this.highs, {
      whatIf: parseWhatIf(whatIf, 'whatIf'),
      generatedAt: `${this.date}T00:00:00Z`,
      where: 'whatIf',
    });
    return { ...a.report, whatIf: a.whatIf };
  }

  /** Tornado: fleet net when each uncontrolled input alone moves by -step/+step, re-optimised each time. */
  sensitivity(fleet: FleetRef, step = 0.2): Sensitivity {
    return computeSensitivity(this.ctx, this.fleet(fleet), this.highs, { step });
  }

  /** Price (and, once collected, other) history: the store when it has data, else the shipped datasets. */
  history(): HistoryReader {
    this.historyHandle ??= openHistoryHandle(this.ctx.dataDir);
    return this.historyHandle.reader;
  }

  /**
   * Replay policies over history with the real decision code: real prices and network difficulty (ERG between
   * its real points by a parity model, leave-one-out error in the result), AI prices from dated tables.
   */
  backtest(o: {
    fleet: FleetRef;
    from: string;
    to: string;
    policies?: readonly PolicyName[];
  }): BacktestResult {
    return runBacktest({
      history: this.history(),
      reference: this.reference,
      config: this.config,
      fleet: this.fleet(o.fleet),
      highs: this.highs,
      from: o.from,
      to: o.to,
      policies: o.policies ?? POLICIES,
    });
  }

  /** Monte Carlo P10/P50/P90 of net income per device per use over a horizon, and P(AI beats mining). */
  risk(o: RiskRequest & { site?: SiteTerms } = {}): RiskResult & { snapshotId: string; site: SiteLike } {
    const { site, ...req } = o;
    return computeRisk(this.ctx, this.history(), site ?? this.site(), req);
  }

  /** Release the history store (if one was opened). */
  close(): void {
    this.historyHandle?.close();
    this.historyHandle = null;
  }
}

/** Open the workbench on today's (or `date`'s) snapshot; offline, from shipped data unless a store has newer. */
export function openWorkbench(o: WorkbenchOptions = {}): Promise<Workbench> {
  return Workbench.open(o);
}
