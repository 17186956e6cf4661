import type { Fleet } from '../domain/types.ts';
import type { Highs } from '../solve/highs.ts';
import type { ReportData } from '../report/types.ts';
import { decide, modelsWith, type EngineContext } from './decide.ts';
import type { Decision } from '../domain/decision.ts';
import { composeReport } from './report-content.ts';
import { applyWhatIf, type WhatIf } from './whatif.ts';
import { checkFragility } from './fragility.ts';

export interface Advice {
  report: ReportData;
  decision: Decision;
  fleet: Fleet;
  whatIf: string[];
}

/**
 * Advice for a fleet on the context's snapshot with an optional what-if: the decision and the full
 * report content (incomes, break-evens, inputs with provenance, AI rates, assumptions). Pure apart from the solver.
 */
export function adviseFleet(
  ctx: EngineContext,
  fleet: Fleet,
  highs: Highs,
  o: { whatIf?: WhatIf; generatedAt: string; previous?: ReportData[]; where?: string },
): Advice {
  const w = applyWhatIf(
    ctx.snapshot,
    ctx.config,
    fleet,
    o.whatIf ?? {},
    o.generatedAt,
    o.where ?? 'overrides',
    modelsWith(ctx.reference, fleet.customModels),
  );
  const c: EngineContext = { ...ctx, snapshot: w.snapshot, config: w.config };
  const decision = decide(c, w.fleet, highs);
  const fragility = checkFragility(c, w.fleet, highs, decision);
  const report = composeReport(c, decision, w.fleet, o.previous ?? [], o.generatedAt, fragility);
  return { report, decision, fleet: w.fleet, whatIf: w.applied };
}
