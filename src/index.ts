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
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config/schema.ts';
import type { DeviceModel, Fleet, MarketSnapshot, ModelIncome } from './domain/types.ts';
import type { ReferenceData } from './store/reference.ts';
import type { Highs } from './solve/highs.ts';
import type { ReportData, ReportInput } from './report/types.ts';
import type { BreakEven } from './analysis/breakeven.ts';
import { openContext, openFleet, siteOrDefault, type SiteTerms } from './engine/context.ts';
import {
  listInputs,
  modelsWith,
  computeAiRates,
  computeIncomeTable,
  type EngineContext,
  type SiteLike,
} from './engine/decide.ts';
import { adviseFleet } from './engine/advise.ts';
import { whatIfSchema, type WhatIf } from './engine/whatif.ts';
import { computeSensitivity, type Sensitivity } from './engine/sensitivity.ts';
import { computeForecast, type Forecast } from './engine/forecast.ts';
import { computeRisk, type RiskRequest } from './engine/risk.ts';
import { runBacktest, type BacktestResult } from './engine/backtest.ts';
import { POLICIES, type PolicyName } from './engine/replay.ts';
import { openHistory, type HistoryReader } from './engine/history.ts';
import { findBreakEvens } from './analysis/breakeven.ts';
import { estimateModelIncome } from './model/income.ts';
import { withTiers } from './analysis/freshness.ts';
import { aiClassOf, aiGate } from './model/ai.ts';
import { loadSolver } from './solve/highs.ts';
import { SHIPPED_DATA_DIR } from './store/files.ts';
import { formatIssues } from './domain/schemas.ts';
import { InputError } from './errors.ts';
import { applyConfigValues } from './config/load.ts';
import type { RiskResult } from './analysis/risk.ts';
import type { Store } from './store/db.ts';

export {
  buildCharts,
  backtestChart,
  tornadoChart,
  riskChart,
  USE_COLORS,
  type ChartSpec,
} from './report/charts.ts';
export { renderChartPng } from './report/png.ts';
export { tableHtml, type Tabular, type TableOptions } from './report/table.ts';
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
  RiskRequest,
  RiskResult,
  BacktestResult,
  PolicyName,
  HistoryReader,
  SiteTerms,
};

export interface WorkbenchOptions {
  /** Store folder with collected snapshots and history (default data/store/; falls back to the shipped data). */
  dataDir?: string;
  /** Use the newest snapshot on or before this date (YYYY-MM-DD). */
  date?: string;
  /** A config file (JSON) with assumption overrides. */
  configFile?: string;
  /** Assumptions by key, e.g. { 'ai.utilisation': 0.5 } (keys: config ASSUMPTIONS; `rigpivot assumptions` lists them). */
  assumptions?: Record<string, number | string | string[]>;
}

/** One row per catalogue model: the AI rental rate we would ask, and what renters compare it with. */
export interface AiRateRow {
  model: string;
  name: string;
  vendor: string;
  vramGiB: number;
  aiClass: string;
  /** Hyperscaler-equivalent USD per GPU-hour after the configured discount. */
  askingUsdPerGpuHour: number;
  marketMedianUsdPerGpuHour: number | null;
  marketQuotes: number;
  /** The rate the model uses (USD per GPU-hour, before utilisation and platform fee). */
  rateUsdPerGpuHour: number;
  method: string;
  cheapestSubstitute: string;
  /** Whether AI renters take the card as it is (VRAM, PCIe, vendor, CMP lock); `gate` says why not. */
  rentable: boolean;
  gate: string | null;
}

export type FleetRef = Fleet | string;

/** The engine for analysts: one snapshot, the reference tables and the solver, with every analysis as a method. */
export class Workbench {
  private historyHandle: { reader: HistoryReader; store: Store | null } | null = null;

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
    return withTiers(listInputs(this.snapshot, this.date), this.config.freshness);
  }

  /** The GPU catalogue (hashrates, power, VRAM, AI specs), each with its sources. */
  models(): DeviceModel[] {
    return [...this.reference.models.values()];
  }

  /** Per catalogue model: hyperscaler-equivalent, marketplace median and our AI rate, USD per GPU-hour. */
  aiRates(): AiRateRow[] {
    const models = modelsWith(this.reference);
    return [...computeAiRates(this.ctx, models)].map(([id, r]) => {
      const m = models.get(id)!;
      const gate = aiGate(m, false, this.config.ai);
      return {
        model: id,
        name: m.name,
        vendor: m.vendor,
        vramGiB: m.vramGiB,
        aiClass: aiClassOf(m.vramGiB),
        askingUsdPerGpuHour: r.askingUsdPerGpuHour,
        marketMedianUsdPerGpuHour: r.marketMedianUsdPerGpuHour,
        marketQuotes: r.marketQuotes,
        rateUsdPerGpuHour: r.usdPerGpuHour,
        method: r.method,
        cheapestSubstitute: r.cheapestSubstitute,
        rentable: gate === null,
        gate,
      };
    });
  }

  /** The shipped example fleets by name (pass a name or a path to `fleet`). */
  exampleFleets(): string[] {
    const dir = join(SHIPPED_DATA_DIR, 'fleets');
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => f.slice(0, -5))
          .sort()
      : [];
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
    return openFleet(this.ctx, join(SHIPPED_DATA_DIR, 'fleets', `${ref}.json`));
  }

  /** A site of a fleet, or the config default site (tariff and PUE) when no id is given. */
  site(fleet?: FleetRef, siteId?: string): SiteTerms {
    return siteOrDefault(fleet === undefined ? null : this.fleet(fleet), this.config, siteId, 'siteId');
  }

  /** Net USD per device per day for every catalogue model and use at a site (default: the config default site). */
  income(site: SiteTerms = this.site(), cmpPatched = false): ModelIncome[] {
    return computeIncomeTable(this.ctx, site, modelsWith(this.reference), cmpPatched);
  }

  /** Per model: the electricity price, coin prices and AI utilisation at which its best use flips. */
  breakEvens(site: SiteTerms = this.site()): { model: string; best: string; items: BreakEven[] }[] {
    const models = modelsWith(this.reference);
    const rates = computeAiRates(this.ctx, models);
    return [...models.values()].map((model) => {
      const x = {
        model,
        siteId: site.id,
        site,
        snapshot: this.snapshot,
        aiRate: rates.get(model.id),
        cmpPatched: false,
        cfg: this.config,
      };
      return { model: model.id, best: estimateModelIncome(x).best, items: findBreakEvens(x) };
    });
  }

  /** Reward schedule changes, the date each model loses each coin (VRAM vs DAG/table), 90/180-day income outlook. */
  forecast(site: SiteTerms = this.site()): Forecast {
    return computeForecast(this.ctx, site);
  }

  /** The recommended allocation and the full report content for a fleet, optionally under a what-if. */
  advise(fleet: FleetRef, whatIf: WhatIf = {}): ReportData & { whatIf: string[] } {
    const parsed = whatIfSchema.safeParse(whatIf);
    if (!parsed.success) throw new InputError('whatIf', formatIssues(parsed.error, 'whatIf').join('; '));
    const a = adviseFleet(this.ctx, this.fleet(fleet), this.highs, {
      whatIf: parsed.data,
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
    this.historyHandle ??= openHistory(this.ctx.dataDir);
    return this.historyHandle.reader;
  }

  /** Replay policies over history with the real decision code (difficulty modelled: a labelled assumption). */
  backtest(o: {
    fleet: FleetRef;
    from: string;
    to: string;
    policies?: readonly PolicyName[];
    tauDays?: number;
    levelFactor?: number;
  }): BacktestResult {
    return runBacktest({
      history: this.history(),
      base: this.snapshot,
      reference: this.reference,
      config: this.config,
      fleet: this.fleet(o.fleet),
      highs: this.highs,
      from: o.from,
      to: o.to,
      policies: o.policies ?? POLICIES,
      ...(o.tauDays !== undefined ? { tauDays: o.tauDays } : {}),
      ...(o.levelFactor !== undefined ? { levelFactor: o.levelFactor } : {}),
    });
  }

  /** Monte Carlo P10/P50/P90 of net income per device per use over a horizon, and P(AI beats mining). */
  risk(o: RiskRequest & { site?: SiteTerms } = {}): RiskResult & { snapshotId: string; site: SiteLike } {
    const { site, ...req } = o;
    return computeRisk(this.ctx, this.history(), site ?? this.site(), req);
  }

  /** Release the history store (if one was opened). */
  close(): void {
    this.historyHandle?.store?.close();
    this.historyHandle = null;
  }
}

/** Open the workbench on today's (or `date`'s) snapshot; offline, from shipped data unless a store has newer. */
export function openWorkbench(o: WorkbenchOptions = {}): Promise<Workbench> {
  return Workbench.open(o);
}
