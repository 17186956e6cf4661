import type { MarketSnapshot } from '../domain/types.ts';
import type { ReportInput } from '../report/types.ts';
import type { SummaryReport } from './report-content.ts';
import { byPaidUse } from '../domain/uses.ts';
import { KINDS } from '../domain/types.ts';

/** What an advice answer rests on: the snapshot and decision day, the request, and its inputs' freshness. */
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

/** Whether `warnings` is the warnings search's answer, and the decision's own warnings either way. */
export interface WarningsCheck {
  /** searched: `warnings` lists the inputs that would change the advice; not-run: `warnings` is null. */
  status: 'searched' | 'not-run';
  /** The decision's own warnings (assumptions it had to make): always computed; in `warnings` when searched. */
  decisionWarnings: string[];
  note: string;
}

/** The meta of an answer on `cur.snapshot` decided for `cur.date`, counting its inputs by tier and kind. */
export function adviceMeta(
  inputs: ReportInput[],
  cur: { snapshot: MarketSnapshot; date: string },
  fleet: string,
  whatIf: string[],
  computedAt: string,
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
    computedAt,
  };
}

/** The summary view's body: the moves, the warnings and whether they were searched, meta, allocation. */
export function summaryBody(meta: AdviceMeta, r: SummaryReport) {
  return {
    moves: r.moves,
    warnings: r.warnings,
    warningsCheck: warningsCheck(r, meta),
    meta,
    allocation: summarise(r),
  };
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

/** What the summary's `warnings` are: the search's answer, or not computed (and how to get it). */
export function warningsCheck(r: SummaryReport, meta: AdviceMeta): WarningsCheck {
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
