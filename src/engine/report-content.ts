import type { Config } from '../config/schema.ts';
import type { DeviceModel, Fleet, MarketSnapshot } from '../domain/types.ts';
import type { AiRate } from '../domain/ai.ts';
import type { ReportData } from '../report/types.ts';
import { findBreakEvens } from '../analysis/breakeven.ts';
import { findComingChanges } from '../analysis/forecast.ts';
import { buildReport, type ReportSources } from '../report/build.ts';
import { computeAiRates, incomeInputsFor, modelsWith, type EngineContext } from './decide.ts';
import type { Decision } from '../domain/decision.ts';
import type { AdviceFragility } from '../domain/analysis.ts';
import { difficultyBreakEvens } from './fragility.ts';
import { termsOf, valueAllocation } from './network.ts';

import { horizonTimings, type CellTiming } from './horizon-advice.ts';
import { deriveMoves } from './moves.ts';
import type { ReportPlan } from '../report/types.ts';

/** How far ahead the report lists reward steps and VRAM cut-offs, days. */
const COMING_CHANGES_DAYS = 180;

/**
 * The report's content for a decision: the engine computes every figure (break-evens, the counterfactual,
 * coming changes, AI rates) and report/ arranges them. Pure apart from what is passed in; `fragility`
 * (engine/fragility.ts, which needs the solver) gives the warnings shown first.
 */
export function composeReport(
  ctx: EngineContext,
  decision: Decision,
  fleet: Fleet,
  previous: ReportData[],
  generatedAt: string,
  fragility?: AdviceFragility,
): ReportData {
  const c = commonSources(ctx, decision, fleet, previous, generatedAt, fragility);
  const report = buildReport({
    ...c,
    breakEvens: cellBreakEvens(decision, fleet, ctx.snapshot, c.models, c.aiRates, ctx.config),
    comingChanges: findComingChanges(
      ctx.snapshot,
      [...new Set(decision.cells.map((cell) => c.models.get(cell.model)!))],
      ctx.config,
      COMING_CHANGES_DAYS,
    ),
  });
  return { ...report, plan: reportPlan(decision, horizonTimings(ctx, fleet, decision)) };
}

/** What the report and the summary both compute: every source of buildReport but the two costly tables. */
function commonSources(
  ctx: EngineContext,
  decision: Decision,
  fleet: Fleet,
  previous: ReportData[],
  generatedAt: string,
  fragility: AdviceFragility | undefined,
): Omit<ReportSources, 'breakEvens' | 'comingChanges'> {
  const models = modelsWith(ctx.reference, fleet.customModels);
  return {
    decision,
    snapshot: ctx.snapshot,
    models,
    aiRates: computeAiRates(ctx, models),
    config: ctx.config,
    previous,
    generatedAt,
    difficultyBreakEvens: difficultyBreakEvens(ctx.snapshot, decision),
    ...(fragility ? { fragility } : {}),
    moves: deriveMoves(ctx, fleet, decision),
    counterfactual: counterfactual(decision, previous.at(-1) ?? null, ctx.config.mining.uptime),
  };
}

/** The decision's keep / move / sell plan with each cell's payback and sell date beside it. */
export function reportPlan(d: Decision, timings: readonly CellTiming[]): ReportPlan {
  const timingOf = new Map<string, CellTiming>();
  for (const t of timings) if (!timingOf.has(cellId(t))) timingOf.set(cellId(t), t); // first wins, as find
  const plan = summaryPlan(d);
  return {
    ...plan,
    rows: plan.rows.map((row, i) => {
      const t = timingOf.get(cellId(row));
      return {
        ...row,
        paybackDays: d.cells[i]!.horizon.rehostCapexUsdPerGpu === 0 ? 0 : (t?.paybackDays ?? null),
        sellDate: t?.sellDate ?? null,
        ...(t ? { pathValueUsdPerCard: t.pathValueUsd } : {}),
      };
    }),
  };
}

/** The plan without the per-path valuation's timings (payback, sell date, path values): the summary's. */
export type SummaryPlan = Omit<ReportPlan, 'rows'> & {
  rows: Omit<ReportPlan['rows'][number], 'paybackDays' | 'sellDate' | 'pathValueUsdPerCard'>[];
};

/** The decision's keep / move / sell plan, counts and money per cell, read off the decision alone. */
export function summaryPlan(d: Decision): SummaryPlan {
  return {
    ...d.plan,
    rows: d.cells.map((c) => {
      const h = c.horizon;
      return {
        site: c.site,
        model: c.model,
        cmpPatched: c.cmpPatched,
        count: c.count,
        mining: h.mining,
        aiReady: h.aiReady,
        rehosted: h.rehosted,
        idle: h.idle,
        sold: h.sold,
        resaleNowUsdPerCard: h.resaleNowUsdPerCard,
        resaleProjection: h.resaleProjection,
        cashFromSalesUsd: h.cashFromSalesUsd,
        capexUsd: h.capexUsd,
        netUsd: h.netUsd,
      };
    }),
  };
}

/**
 * What the summary view shows: the report's decision fields and the plan without timings. `warnings` is
 * the warnings search's list (then the decision's own) when that search ran or was cached, else null: not
 * computed, never an empty list; `decisionWarnings` are the decision's own (assumptions it had to make).
 */
export type SummaryReport = Pick<
  ReportData,
  | 'fleet'
  | 'date'
  | 'snapshotId'
  | 'headline'
  | 'models'
  | 'aiDemand'
  | 'difficultyBreakEvens'
  | 'networks'
  | 'counterfactual'
  | 'solver'
  | 'inputs'
> & {
  moves: NonNullable<ReportData['moves']>;
  warnings: string[] | null;
  decisionWarnings: string[];
  plan: SummaryPlan;
};

/**
 * The summary view's content: what composeReport computes minus the per-cell break-even tables, the
 * coming changes and the per-path timings (the costly parts besides the warnings search, which the
 * caller runs or looks up: `fragility` undefined = not searched).
 */
export function composeSummary(
  ctx: EngineContext,
  decision: Decision,
  fleet: Fleet,
  previous: ReportData[],
  generatedAt: string,
  fragility?: AdviceFragility,
): SummaryReport {
  const report = buildReport({
    ...commonSources(ctx, decision, fleet, previous, generatedAt, fragility),
    breakEvens: [], // not read by summaryOf
    comingChanges: [], // not read by summaryOf
  });
  return summaryOf(report, decision, fragility !== undefined);
}

/** The summary fields of a report of `d` (`searched`: its warnings include the warnings search's). */
export function summaryOf(r: ReportData, d: Decision, searched: boolean): SummaryReport {
  return {
    fleet: r.fleet,
    date: r.date,
    snapshotId: r.snapshotId,
    moves: r.moves!,
    warnings: searched ? r.warnings : null,
    decisionWarnings: d.warnings,
    headline: r.headline,
    models: r.models,
    aiDemand: r.aiDemand,
    difficultyBreakEvens: r.difficultyBreakEvens,
    networks: r.networks,
    counterfactual: r.counterfactual,
    solver: r.solver,
    inputs: r.inputs,
    plan: summaryPlan(d),
  };
}

const cellId = (c: { site: string; model: string; cmpPatched: boolean }) =>
  `${c.site}\0${c.model}\0${c.cmpPatched}`;

/** Per fleet cell: the electricity price, coin prices and AI utilisation at which its best use flips. */
export function cellBreakEvens(
  d: Decision,
  fleet: Fleet,
  snapshot: MarketSnapshot,
  models: Map<string, DeviceModel>,
  aiRates: Map<string, AiRate>,
  config: Config,
): ReportData['breakEvens'] {
  const sites = new Map(fleet.sites.map((s) => [s.id, s]).reverse() as [string, Fleet['sites'][number]][]);
  return d.cells.map((c) => {
    const site = sites.get(c.site)!;
    return {
      site: c.site,
      model: c.model,
      best: c.income.best,
      items: findBreakEvens(
        incomeInputsFor({ snapshot, config }, site, models.get(c.model)!, aiRates, c.cmpPatched),
      ),
    };
  });
}

/**
 * Yesterday's choice (the previous report's allocation, else the fleet's current one) valued at today's
 * incomes, mining by the same network rule as the decision (engine/network.ts).
 */
export function counterfactual(
  d: Decision,
  last: ReportData | null,
  uptime: number,
): ReportData['counterfactual'] {
  const prevCells = new Map(
    (last?.models ?? []).map((m) => [`${m.site}/${m.model}/${m.cmpPatched}`, m.recommended]),
  );
  const bases = d.cells.map((c) => prevCells.get(`${c.site}/${c.model}/${c.cmpPatched}`) ?? c.current);
  const terms = d.networks.map(termsOf);
  const value = (counts: typeof bases) =>
    valueAllocation(
      d.cells.map((c, i) => ({ counts: counts[i]!, income: c.income })),
      terms,
      uptime,
    );
  const baseCells = value(bases);
  const recCells = value(d.cells.map((c) => c.recommended));
  const cells = d.cells.map((c, i) => ({
    site: c.site,
    model: c.model,
    baseline: bases[i]!,
    recommended: c.recommended,
    baselineNetUsdPerDay: baseCells[i]!,
    recommendedNetUsdPerDay: recCells[i]!,
  }));
  const baselineNet = cells.reduce((a, c) => a + c.baselineNetUsdPerDay, 0);
  const recNet = cells.reduce((a, c) => a + c.recommendedNetUsdPerDay, 0);
  return {
    baseline: last ? 'previous report' : 'fleet current allocation',
    baselineDate: last?.date ?? null,
    baselineNetUsdPerDay: baselineNet,
    recommendedNetUsdPerDay: recNet,
    differenceUsdPerDay: recNet - baselineNet,
    cells,
  };
}
