import { USES, type Coin, type DeviceModel, type Fleet, type Use } from '../domain/types.ts';
import type { CellDecision, Decision, NetworkShare } from '../domain/decision.ts';
import type { Config } from '../config/schema.ts';
import { isCoin } from '../domain/coins.ts';
import { fleetRevenueUsdPerDay, loneUsdPerMhsDay } from '../model/network.ts';
import { switchCostUsdPerDevice } from '../model/income.ts';
import { rehostTerms } from '../model/paths.ts';
import { effectiveMhs, fleetMhsOn, termsOf } from './network.ts';
import { meterKw, type FleetHorizon } from './paths.ts';
import { aiReadyCount } from './decide.ts';
import { HOURS_PER_DAY } from '../lib/num.ts';

/** USD/day per effective MH/s on each coin under one allocation (R(F) / F; the lone rate when F = 0). */
export type CoinRates = Map<Coin, number>;

/**
 * What one card of each fleet cell is worth per day in each use, as the allocation values it: mining at
 * the fleet's average rate on the coin (R(F) / F), AI at its net, selling at the horizon's sell value,
 * idle at 0. Built once per decision; engine/moves.ts and engine/move-reasons.ts read it.
 */
export interface MoveValues {
  d: Decision;
  fleet: Fleet;
  models: Map<string, DeviceModel>;
  horizon: FleetHorizon;
  uptime: number;
  current: CoinRates;
  recommended: CoinRates;
}

/** The values of a decision's cells, on the horizon terms `d` was decided with (engine/decide.ts). */
export function moveValues(
  d: Decision,
  fleet: Fleet,
  models: Map<string, DeviceModel>,
  cfg: Config,
  horizon: FleetHorizon,
): MoveValues {
  const uptime = cfg.mining.uptime;
  const rates = (pick: (c: CellDecision) => Record<Use, number>): CoinRates => {
    const cells = d.cells.map((c) => ({ counts: pick(c), income: c.income }));
    return new Map(
      d.networks.map((n) => {
        const f = fleetMhsOn(n.coin, cells, uptime);
        const t = termsOf(n);
        return [n.coin, f > 0 ? fleetRevenueUsdPerDay(t, f) / f : loneUsdPerMhsDay(t)];
      }),
    );
  };
  return {
    d,
    fleet,
    models,
    horizon,
    uptime,
    current: rates((c) => c.current),
    recommended: rates((c) => c.recommended),
  };
}

/** One card of cell `i` on `use`, USD/day, mining valued at `rates` (undefined: at the lone-card rate). */
export function cardValue(v: MoveValues, i: number, use: Use, rates?: CoinRates): number {
  const c = v.d.cells[i]!;
  if (use === 'idle') return 0;
  if (use === 'sell') return v.horizon.entries[i]!.sellUsdPerDay ?? 0;
  const x = c.income.uses[use];
  if (!x.eligible) return 0;
  if (!isCoin(use) || !rates) return x.netUsdPerDay;
  const rate = rates.get(use);
  return rate === undefined ? x.netUsdPerDay : effectiveMhs(x, v.uptime) * rate - x.powerCostUsdPerDay;
}

/** The coin's network share in the decision, when the coin is modelled as a shared network. */
export function networkOf(v: MoveValues, coin: Coin): NetworkShare | undefined {
  return v.d.networks.find((n) => n.coin === coin);
}

/** One-off cost of moving one card of cell `i` into `use`, spread over the switching horizon, USD/day. */
export function switchUsdPerDay(v: MoveValues, i: number, use: Use): number {
  if (use === 'idle' || use === 'sell') return 0;
  const x = v.d.cells[i]!.income.uses[use];
  return switchCostUsdPerDevice(x.netUsdPerDay, v.fleet.switching) / v.fleet.switching.horizonDays;
}

/** Re-hosting capex of one card of cell `i` that is not AI-ready, spread over the horizon, USD/day. */
export function rehostUsdPerDay(v: MoveValues, i: number): number {
  return rehostTerms(v.horizon.entries[i]!.rehostCapexUsd, v.horizon.days).capexUsdPerDay;
}

/** Cards of cell `i` already in AI-ready servers (the fleet file's aiReady, else those renting today). */
export function aiReadyOf(v: MoveValues, i: number): number {
  return aiReadyCount(v.fleet.entries[i]!);
}

/** Peak wall power of one card of cell `i` on `use`, kW. */
export function wallKw(v: MoveValues, i: number, use: Use): number {
  if (use === 'idle' || use === 'sell') return 0;
  return v.d.cells[i]!.income.uses[use].wallPowerW / 1000;
}

/**
 * Energy under the take-or-pay minimums the current allocation would use (paid anyway), USD/day: per site,
 * the lesser of the minimum and the cards' draw at the meter, at the tariff.
 */
export function currentTakeOrPayUsdPerDay(v: MoveValues): number {
  return v.horizon.sites.reduce((sum, s) => {
    if (s.takeOrPayKw === null) return sum;
    const drawKw = v.d.cells.reduce(
      (a, c) => (c.site === s.id ? a + currentMeterKw(c, s.tariffUsdPerKwh) : a),
      0,
    );
    return sum + Math.min(s.takeOrPayKw, drawKw) * s.tariffUsdPerKwh * HOURS_PER_DAY;
  }, 0);
}

/** A cell's current cards' draw at the meter, kW (from their power cost at the site's tariff). */
function currentMeterKw(c: CellDecision, tariffUsdPerKwh: number): number {
  return USES.reduce((kw, u) => {
    const x = c.income.uses[u];
    return c.current[u] > 0 && x.eligible
      ? kw + c.current[u] * meterKw(x.powerCostUsdPerDay, tariffUsdPerKwh)
      : kw;
  }, 0);
}
