/**
 * The engine's one entry point. The CLI commands, the REST API and the public Workbench (src/index.ts)
 * import the engine from here and from nowhere else; the modules behind it are internal.
 *
 * Importing this module does no work: nothing is read, no solver, store or canvas is loaded until a
 * function is called (the PNG renderer is imported on first use), so a command may `await import()` it.
 *
 *   const ctx = openContext({ dataDir, env: process.env });  // config, reference tables, snapshot
 *   const fleet = openFleet(ctx, file);                      // validated against the catalogue
 *   const d = decide(ctx, fleet, await loadSolver());        // the allocation, net USD/day
 */
import type { ChartSpec } from '../report/charts.ts';

// Setup: config, reference tables and snapshot from options; fleets, sites and shipped paths.
export {
  openContext,
  openSetup,
  openFleet,
  siteOrDefault,
  operatorToday,
  defaultSite,
  resolveDataDir,
  exampleFleets,
  exampleFleetFile,
  packageVersion,
  DEFAULT_FLEET,
  DEFAULT_FLEET_FILE,
  DEFAULT_REPORTS_DIR,
  type OpenOptions,
  type SiteTerms,
} from './context.ts';
export type { EngineContext, SiteLike } from './decide.ts';
export type { Decision, CellDecision, InputRow } from '../domain/decision.ts';
export type { ReferenceData } from '../domain/reference.ts';
export { loadSolver, type Highs } from '../solve/highs.ts';

// Decisions: the allocation, advice with what-ifs, and the per-model tables.
export { decide } from './decide.ts';
export { displayCurrency } from './currency.ts';
export { adviseFleet, type Advice } from './advise.ts';
export { deriveMoves, GAIN_LABEL } from './moves.ts';
export {
  gainSentence,
  type MovesSummary,
  type Move,
  type MoveReason,
  type CellReasons,
  type GainFigure,
  type ReasonKind,
} from '../domain/moves.ts';
export { withTiers, checkReason, type FreshnessTier } from '../analysis/freshness.ts';
export { checkFragility, difficultyBreakEvens, FLIP_SHARE } from './fragility.ts';
export { whatIfSchema, parseWhatIf, type WhatIf } from './whatif.ts';
export {
  marketInputs,
  catalogue,
  incomeTable,
  aiRateTable,
  breakEvenTable,
  fleetIncomeTables,
  type AiRateRow,
  type FleetSiteIncome,
} from './tables.ts';
export { calculate, type CalcRequest, type CalcResult, type CalcInput } from './calc.ts';

// Analyses over the snapshot and over history.
export { computeForecast, type Forecast } from './forecast.ts';
export { computeHorizonValues, type HorizonValues, type HorizonRow, type HorizonOptions } from './horizon.ts';
export { horizonTimings, type CellTiming } from './horizon-advice.ts';
export { PATHS, type Path, type PathValue, type HorizonValuation } from '../analysis/horizon.ts';
export { computeRisk, type RiskRequest } from './risk.ts';
export { RISK_DEFAULTS } from './names.ts';
export type { RiskResult } from '../analysis/risk.ts';
export { computeSensitivity } from './sensitivity.ts';
export type {
  AdviceFragility,
  BreakEven,
  DifficultyBreakEven,
  InputFlip,
  Sensitivity,
} from '../domain/analysis.ts';
export { runBacktest, looLine, type BacktestResult } from './backtest.ts';
export { POLICIES, type PolicyName } from './names.ts';
export {
  withHistory,
  openHistoryHandle,
  importShippedHistory,
  type HistoryReader,
  type HistoryHandle,
  type SeriesInfo,
} from './history.ts';

// Reports: build, render and write a dated report folder; write any folder of outputs.
export { writeReport, type ReportRun } from './report.ts';
export type { ReportData, ReportInput } from '../report/types.ts';
export { writeFolder } from '../store/files.ts';

// Collection and sources: the one wiring of store, HTTP client and sources config.
export { collectMarketData, type CollectRequest, type SourceResult } from './collect.ts';
export { sourcesStatusReport, sourceNames, type SourceStatus } from './status.ts';

// Alerts: rules evaluated after daily runs and collections, sent to webhooks (config `alerts`).
export {
  alertAfterDaily,
  alertAfterCollect,
  alertCheck,
  alertTest,
  alertLog,
  type AlertRequest,
  type AlertDispatch,
  type Alert,
  type DeliveryRecord,
} from './alerts.ts';
export { alertText } from '../alerts/format.ts';

// Long-running front ends (the API): cached advice, market, history and reports.
export { AdviceService, type AdviceRequest, type ServiceOptions } from './service.ts';
export { NotFoundError } from './not-found.ts';
export { readReportFile } from './report-files.ts';
export type { Answer } from './answer.ts';

// Charts: chart.js specs (data), PNG rendering, HTML tables.
export {
  buildCharts,
  backtestChart,
  tornadoChart,
  riskChart,
  USE_COLORS,
  type ChartSpec,
} from '../report/charts.ts';
export { tableHtml, type Tabular, type TableOptions } from '../report/table.ts';

/** Render a chart spec to PNG bytes (chart.js on a server-side canvas, loaded on the first call). */
export async function renderChartPng(spec: ChartSpec): Promise<Buffer> {
  const png = await import('../report/png.ts');
  return png.renderChartPng(spec);
}

// Fleet files: the checker, the JSON Schema and the starter file for `rigpivot fleet`.
export { fleetProblems, fleetJsonSchema } from '../config/fleet.ts';
export { STARTER_FLEET } from '../config/fleet-starter.ts';
