import type { Fleet } from '../domain/types.ts';
import type { Highs } from '../solve/highs.ts';
import type { ReportData } from '../report/types.ts';
import { decide, modelsWith, type EngineContext } from './decide.ts';
import type { Decision } from '../domain/decision.ts';
import { composeReport, composeSummary, type SummaryReport } from './report-content.ts';
import { applyWhatIf, type WhatIf } from './whatif.ts';
import { cachedFragility, checkFragility } from './fragility.ts';

export interface Advice {
  report: ReportData;
  decision: Decision;
  fleet: Fleet;
  whatIf: string[];
}

/** The summary view's advice: the decision, its moves and the summary report, without the full detail. */
export interface SummaryAdvice {
  report: SummaryReport;
  decision: Decision;
  fleet: Fleet;
  whatIf: string[];
  /** Whether `report.warnings` holds the warnings search's answer (found in its cache) or is null. */
  searched: boolean;
}

interface AdviseOptions {
  whatIf?: WhatIf;
  generatedAt: string;
  previous?: ReportData[];
  where?: string;
}

/** The fleet decided on the context's snapshot with the what-if applied (context, fleet and labels with it). */
function decideWith(ctx: EngineContext, fleet: Fleet, highs: Highs, o: AdviseOptions) {
  // dated the decision day (as the warnings search and sensitivity date theirs), not the request's instant:
  // the what-if's snapshot, and so the warnings cache key, is then the same for each repeat of the request
  const w = applyWhatIf(
    ctx.snapshot,
    ctx.config,
    fleet,
    o.whatIf ?? {},
    `${ctx.date ?? ctx.snapshot.date}T00:00:00Z`,
    o.where ?? 'overrides',
    modelsWith(ctx.reference, fleet.customModels),
  );
  const c: EngineContext = { ...ctx, snapshot: w.snapshot, config: w.config };
  return { c, decision: decide(c, w.fleet, highs), fleet: w.fleet, whatIf: w.applied };
}

/**
 * Advice for a fleet on the context's snapshot with an optional what-if: the decision and the full
 * report content (incomes, break-evens, inputs with provenance, AI rates, assumptions) with the warnings
 * search (engine/fragility.ts, cached under `ctx.dataDir` when given). Pure apart from the solver and that cache.
 */
export function adviseFleet(
  ctx: EngineContext & { dataDir?: string },
  fleet: Fleet,
  highs: Highs,
  o: AdviseOptions,
): Advice {
  const { c, decision, fleet: f, whatIf } = decideWith(ctx, fleet, highs, o);
  const fragility = checkFragility(c, f, highs, decision);
  const report = composeReport(c, decision, f, o.previous ?? [], o.generatedAt, fragility);
  return { report, decision, fleet: f, whatIf };
}

/**
 * The summary view's advice: only the decision, its moves and the summary report (no break-even tables,
 * coming changes or per-path timings). The warnings search, dozens of re-solves, is not run: its answer is
 * used when an earlier full computation cached it under `ctx.dataDir`, else the warnings are null
 * (not computed), never an empty list.
 */
export function adviseSummary(
  ctx: EngineContext & { dataDir?: string },
  fleet: Fleet,
  highs: Highs,
  o: AdviseOptions,
): SummaryAdvice {
  const { c, decision, fleet: f, whatIf } = decideWith(ctx, fleet, highs, o);
  const fragility = cachedFragility(c, f, decision);
  const report = composeSummary(c, decision, f, o.previous ?? [], o.generatedAt, fragility);
  return { report, decision, fleet: f, whatIf, searched: fragility !== undefined };
}
