import type { Decision } from '../domain/decision.ts';
import type { Fleet } from '../domain/types.ts';
import { PATHS, type Path } from '../analysis/horizon.ts';
import type { EngineContext } from './decide.ts';
import { computeHorizonValues } from './horizon.ts';

/** Beside each cell's choice: the per-path valuation's payback and sell date (engine/horizon.ts). */
export interface CellTiming {
  site: string;
  model: string;
  cmpPatched: boolean;
  /** The path of highest value over the horizon for one card, by the per-path valuation. */
  bestPath: Path;
  /** Days of AI net to earn the re-hosting capex back (0: AI-ready; null: never, or AI not possible). */
  paybackDays: number | null;
  /** The day to sell against holding on the best holding path (null: not within the horizon). */
  sellDate: string | null;
  /** One card's value over the horizon on each path (null: not possible), for the report's chart. */
  pathValueUsd: Record<Path, number | null>;
}

/**
 * Payback days and sell date per cell of a decision, from the per-path horizon valuation of its models,
 * mining valued at the decision's marginal network share (so the best path agrees with the allocation's
 * choice for one card at the margin, caps aside).
 */
export function horizonTimings(ctx: EngineContext, fleet: Fleet, d: Decision): CellTiming[] {
  const out: CellTiming[] = [];
  for (const site of fleet.sites)
    for (const patched of [false, true]) {
      const cells = d.cells.filter((c) => c.site === site.id && c.cmpPatched === patched);
      if (!cells.length) continue;
      const v = computeHorizonValues(ctx, site, {
        fleet,
        cmpPatched: patched,
        modelIds: cells.map((c) => c.model),
        networks: d.networks,
      });
      for (const c of cells) {
        const row = v.rows.find((r) => r.modelId === c.model)!;
        out.push({
          site: c.site,
          model: c.model,
          cmpPatched: patched,
          bestPath: row.valuation.best,
          paybackDays: row.valuation.paths.AI.paybackDays ?? null,
          sellDate: row.valuation.sellDate,
          pathValueUsd: Object.fromEntries(
            PATHS.map((p) => {
              const v = row.valuation.paths[p];
              return [p, v.possible ? v.valueUsd : null];
            }),
          ) as Record<Path, number | null>,
        });
      }
    }
  return out;
}
