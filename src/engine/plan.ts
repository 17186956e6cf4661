import type { CellResult, AllocationSolution } from '../domain/solution.ts';
import type { CellDecision, CellHorizon, HorizonPlan, ResaleProjection } from '../domain/decision.ts';
import type { ResaleValue } from '../domain/resale.ts';
import type { FleetHorizon } from './paths.ts';
import { COINS } from '../domain/types.ts';
import { formatInteger } from '../lib/format.ts';

export const PLAN_METHOD =
  "today's per-day nets held flat over the horizon: held cards' net x days - switching (one-off) - " +
  're-hosting capex + cash from sales (net resale now) - site fixed costs (less what sales save) + ' +
  'energy under take-or-pay minimums the allocation uses; the cards kept are still worth their resale ' +
  'at the end (not counted). The allocation weighs selling as (net resale now - at the horizon end) / days.';

/** Sales resting on a resale price projected more than this many months past its data get an ASSUMPTION. */
export const RESALE_PROJECTION_WARN_MONTHS = 12;

/** How far a resale value is projected past its newest observed price (null: no price). */
export function resaleProjection(r: ResaleValue): ResaleProjection | null {
  if (!r.anchor || r.monthsProjected === null) return null;
  return {
    lastObserved: r.anchor.date,
    monthsProjected: r.monthsProjected,
    kind: 'assumed',
    method: `projected from the last observed price (${r.anchor.source}): ${r.method}`,
  };
}

/**
 * The oldest last observation behind some resale projections and how far they reach past it, months
 * ("14", or "14-30" when they differ): the warning here and the warnings search (engine/fragility.ts) say it.
 */
export function projectionSpan(ps: readonly ResaleProjection[]): { lastObserved: string; months: string } {
  const months = ps.map((p) => p.monthsProjected);
  const [lo, hi] = [formatInteger(Math.min(...months)), formatInteger(Math.max(...months))];
  return { lastObserved: ps.map((p) => p.lastObserved).sort()[0]!, months: lo === hi ? lo : `${lo}-${hi}` };
}

/**
 * The ASSUMPTION line when the plan sells cards at prices projected more than
 * RESALE_PROJECTION_WARN_MONTHS past the last observed price (empty otherwise).
 */
export function resaleWarnings(cells: readonly Pick<CellDecision, 'horizon'>[]): string[] {
  const far = cells.filter(
    (c) =>
      c.horizon.sold > 0 &&
      (c.horizon.resaleProjection?.monthsProjected ?? 0) > RESALE_PROJECTION_WARN_MONTHS,
  );
  if (far.length === 0) return [];
  const sold = far.reduce((a, c) => a + c.horizon.sold, 0);
  const all = cells.reduce((a, c) => a + c.horizon.sold, 0);
  const { lastObserved: last, months } = projectionSpan(far.map((c) => c.horizon.resaleProjection!));
  return [
    `ASSUMPTION: ${formatInteger(sold)} of the ${formatInteger(all)} cards to sell are ` +
      `priced by projecting used-market prices ${months} months past the last observation (from ` +
      `${last.slice(0, 7)}) with one fitted depreciation rate; no newer quote backs them. Check current ` +
      'prices before selling (what-if: resale.priceFactor).',
  ];
}

/** One cell's keep / move / sell split and its cash over the horizon. */
export function cellHorizon(r: CellResult, h: FleetHorizon, i: number, switchDays: number): CellHorizon {
  const e = h.entries[i]!;
  const sold = r.recommended.sell;
  const count =
    COINS.reduce((a, c) => a + r.recommended[c], 0) + r.recommended.AI + r.recommended.idle + sold;
  const cashFromSalesUsd = sold * (e.resaleNowUsd ?? 0);
  const fixedUsd = e.fixedUsdPerDay * (count - sold * h.fixedAvoidableOnSale) * h.days;
  const heldNetUsdPerDay = r.netUsdPerDay - sold * (e.sellUsdPerDay ?? 0);
  return {
    mining: COINS.reduce((a, c) => a + r.recommended[c], 0),
    rehosted: r.rehosted,
    aiReady: r.recommended.AI - r.rehosted,
    idle: r.recommended.idle,
    sold,
    resaleNowUsdPerCard: e.resaleNowUsd,
    resaleMissing: e.resale.missing,
    resaleProjection: resaleProjection(e.resale),
    cashFromSalesUsd,
    capexUsd: r.capexUsd,
    rehostCapexUsdPerGpu: e.rehostCapexUsd,
    fixedUsd,
    netUsd:
      heldNetUsdPerDay * h.days -
      r.switchingUsdPerDay * switchDays -
      r.capexUsd +
      cashFromSalesUsd -
      fixedUsd,
  };
}

/** The fleet's plan: the cells summed, plus take-or-pay credits and the budget row. */
export function horizonPlan(
  cells: readonly Pick<CellDecision, 'horizon'>[],
  h: FleetHorizon,
  s: AllocationSolution,
): HorizonPlan {
  const sum = (f: (c: CellHorizon) => number) => cells.reduce((a, c) => a + f(c.horizon), 0);
  const takeOrPayCreditUsd = s.sites.reduce((a, x) => a + (x.takeOrPay?.creditUsdPerDay ?? 0), 0) * h.days;
  return {
    days: h.days,
    mining: sum((c) => c.mining),
    rehosted: sum((c) => c.rehosted),
    aiReady: sum((c) => c.aiReady),
    idle: sum((c) => c.idle),
    sold: sum((c) => c.sold),
    cashFromSalesUsd: sum((c) => c.cashFromSalesUsd),
    capexUsd: sum((c) => c.capexUsd),
    fixedUsd: sum((c) => c.fixedUsd),
    takeOrPayCreditUsd,
    netUsd: sum((c) => c.netUsd) + takeOrPayCreditUsd,
    rehostBudget: s.rehostBudget,
    method: PLAN_METHOD,
  };
}
