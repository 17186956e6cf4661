import type { Fleet, Use } from '../domain/types.ts';
import type { Decision } from '../domain/decision.ts';
import type { GainFigure, Move, MovesSummary } from '../domain/moves.ts';
import { USES } from '../domain/types.ts';
import { modelsWith, type EngineContext } from './decide.ts';
import { fleetHorizon } from './paths.ts';
import {
  cardValue,
  currentTakeOrPayUsdPerDay,
  moveValues,
  switchUsdPerDay,
  type MoveValues,
} from './move-values.ts';
import { cellReasons } from './move-reasons.ts';

export const GAIN_LABEL = 'Gain from the moves, after switching cost';

export const MOVES_METHOD =
  'moves per cell: cards leaving a use matched to cards entering one in use order; effect = count x ' +
  "(the card's net on the new use in the recommended fleet - on the old use in the current fleet) - " +
  "switching cost and re-hosting capex spread over the horizon, mining at the fleet's average rate on " +
  'the coin, R(F) / F. Reasons: the terms of the solution (site power and AI demand shadow prices, the ' +
  "coin's marginal rate R'(F), switching, capex, sale value) that make a better-looking use pay less, " +
  "and the incomes' gates (VRAM, CMP lock)";

/** The moves, the one gain figure and the reasons for every non-obvious choice, from a decision. */
export function deriveMoves(ctx: EngineContext, fleet: Fleet, d: Decision): MovesSummary {
  const models = modelsWith(ctx.reference, fleet.customModels);
  const v = moveValues(d, fleet, models, ctx.config, fleetHorizon(fleet, models, ctx.config, d.date));
  const moves = d.cells
    .flatMap((_, i) => cellMoves(v, i))
    .sort((a, b) => b.usdPerDay - a.usdPerDay || b.count - a.count);
  return { moves, cells: cellReasons(v), gain: gainFigure(v), method: MOVES_METHOD };
}

/** Cards of cell `i` that change use, as (from, to, count) in use order, with their effect. */
export function cellMoves(v: MoveValues, i: number): Move[] {
  const c = v.d.cells[i]!;
  const r = v.d.solution.cells[i]!;
  const outs = USES.filter((u) => c.current[u] > c.recommended[u]).map((u) => ({
    use: u,
    n: c.current[u] - c.recommended[u],
  }));
  const ins = USES.filter((u) => c.recommended[u] > c.current[u]).map((u) => ({
    use: u,
    n: c.recommended[u] - c.current[u],
  }));
  const flows: { from: Use; to: Use; count: number }[] = [];
  for (const o of outs)
    for (const n of ins) {
      const k = Math.min(o.n, n.n);
      if (k <= 0) continue;
      flows.push({ from: o.use, to: n.use, count: k });
      o.n -= k;
      n.n -= k;
    }
  const switchOf = (f: (typeof flows)[number]) => f.count * switchUsdPerDay(v, i, f.to);
  const switchSum = flows.reduce((a, f) => a + switchOf(f), 0);
  const aiIn = flows.filter((f) => f.to === 'AI').reduce((a, f) => a + f.count, 0);
  // the solution's own switching and capex, shared out over the flows that pay them
  const capexOf = (f: (typeof flows)[number], k: number) =>
    aiIn > 0 ? (f.to === 'AI' ? (r.capexUsdPerDay * f.count) / aiIn : 0) : k === 0 ? r.capexUsdPerDay : 0;
  return flows.map((f, k) => {
    const switching = switchSum > 0 ? (r.switchingUsdPerDay * switchOf(f)) / switchSum : 0;
    const gross = f.count * (cardValue(v, i, f.to, v.recommended) - cardValue(v, i, f.from, v.current));
    return {
      site: c.site,
      model: c.model,
      cmpPatched: c.cmpPatched,
      count: f.count,
      from: f.from,
      to: f.to,
      usdPerDay: gross - switching - capexOf(f, k),
    };
  });
}

/**
 * The recommendation against keeping the current allocation, both valued by the same rule (mining at the
 * fleet's average rate on each coin, sale at its horizon value, take-or-pay energy credited): the gain
 * after switching cost and re-hosting capex, with the gain before them as its labelled companion.
 */
export function gainFigure(v: MoveValues): GainFigure {
  const d = v.d;
  const value = (pick: 'current' | 'recommended') =>
    d.cells.reduce(
      (a, c, i) => a + USES.reduce((b, u) => b + c[pick][u] * cardValue(v, i, u, v[pick]), 0),
      0,
    );
  const kept = d.cells.reduce(
    (a, c, i) =>
      a +
      USES.reduce(
        (b, u) =>
          b +
          Math.min(c.current[u], c.recommended[u]) *
            (cardValue(v, i, u, v.recommended) - cardValue(v, i, u, v.current)),
        0,
      ),
    0,
  );
  const takeOrPayChange = d.totals.takeOrPayCreditUsdPerDay - currentTakeOrPayUsdPerDay(v);
  const before = value('recommended') - value('current') + takeOrPayChange;
  const switching = d.totals.switchingUsdPerDay;
  const capex = d.totals.capexUsdPerDay;
  return {
    label: GAIN_LABEL,
    afterSwitchingUsdPerDay: before - switching - capex,
    beforeSwitchingUsdPerDay: before,
    switchingUsdPerDay: switching,
    capexUsdPerDay: capex,
    switchingHorizonDays: v.fleet.switching.horizonDays,
    keptRevaluedUsdPerDay: kept,
    takeOrPayChangeUsdPerDay: takeOrPayChange,
    devicesMoved: d.totals.moved,
  };
}
