import { COINS, USES, type Coin, type Use, type UseIncome } from '../domain/types.ts';
import type { BreakEven, BreakEvenParam, CoinPriceParam } from '../domain/analysis.ts';
import { estimateModelIncome, type IncomeInputs } from '../model/income.ts';

export function coinPriceParam(coin: Coin): CoinPriceParam {
  return `${coin.toLowerCase() as Lowercase<Coin>}PriceUsd`;
}

interface ParamSpec {
  unit: string;
  current: (x: IncomeInputs) => number;
  apply: (x: IncomeInputs, v: number) => IncomeInputs;
  min: (c: number) => number;
  max: (c: number) => number;
}

const PARAMS: Record<BreakEvenParam, ParamSpec> = {
  electricityUsdPerKwh: {
    unit: 'USD/kWh',
    current: (x) => x.site.tariffUsdPerKwh,
    min: () => 0,
    max: () => 2,
    apply: (x, v) => ({ ...x, site: { ...x.site, tariffUsdPerKwh: v } }),
  },
  ...coinPriceParams(),
  aiUtilisation: {
    unit: 'fraction of hours rented',
    current: (x) => x.cfg.ai.utilisation,
    min: () => 0,
    max: () => 1,
    apply: (x, v) => ({ ...x, cfg: { ...x.cfg, ai: { ...x.cfg.ai, utilisation: v } } }),
  },
};

/** One parameter per coin: its price, searched on a log grid from /1000 to x1000. */
function coinPriceParams(): Record<CoinPriceParam, ParamSpec> {
  return Object.fromEntries(
    COINS.map((coin) => [
      coinPriceParam(coin),
      {
        unit: `USD/${coin}`,
        current: (x) => x.snapshot.coins[coin].priceUsd.value,
        min: (c) => c / 1000,
        max: (c) => c * 1000,
        apply: (x, v) => {
          const m = x.snapshot.coins[coin];
          const coins = { ...x.snapshot.coins, [coin]: { ...m, priceUsd: { ...m.priceUsd, value: v } } };
          return { ...x, snapshot: { ...x.snapshot, coins } };
        },
      } satisfies ParamSpec,
    ]),
  ) as Record<CoinPriceParam, ParamSpec>;
}

const GRID = 160;

/**
 * The values of electricity price, coin prices and AI utilisation at which a model's best use flips, in
 * closed form. Each use's net is linear in each of these inputs (revenue and fees scale with the coin price
 * or utilisation, power cost with the tariff and utilisation), so the best use is the upper envelope of a few
 * lines: net_u(v) = net_u(today) + slope_u (v - today), slopes read off the model at the input's bounds.
 * The nearest flip on each side is the nearest crossing of today's best line by a steeper (above) or
 * shallower (below) one within the bounds, and the use it flips to the steepest of those crossing there.
 * Linearity is checked at today's value; an input that fails it is searched (`findBreakEvensBySearch`).
 */
export function findBreakEvens(x: IncomeInputs): BreakEven[] {
  return (Object.keys(PARAMS) as BreakEvenParam[]).map((param) => {
    const spec = PARAMS[param];
    const current = spec.current(x);
    const lo = spec.min(current);
    const hi = spec.max(current);
    const lines = linesOf(x, spec, current, lo, hi);
    if (!lines) return searchParam(x, param);
    // The best line, once overtaken, never returns: a flip lies within a bound iff the best use there differs.
    const side = (to: number, bestThere: Use) =>
      current === to || bestThere === lines.now ? null : crossing(lines.lines, lines.now, current, to);
    const below = side(lo, lines.bestLo);
    const above = side(hi, lines.bestHi);
    if (below === undefined || above === undefined) return searchParam(x, param);
    return { param, unit: spec.unit, current, below, above };
  });
}

/** One eligible use as a line in the input: its net today and its USD/day per unit of the input. */
interface Line {
  use: Use;
  net: number;
  slope: number;
}

/** Each eligible use's line through today's net with the slope between the bounds, or null if not linear. */
function linesOf(
  x: IncomeInputs,
  spec: ParamSpec,
  current: number,
  lo: number,
  hi: number,
): { lines: Line[]; now: Use; bestLo: Use; bestHi: Use } | null {
  if (!(hi > lo)) return null;
  const [atLo, now, atHi] = [lo, current, hi].map((v) => estimateModelIncome(spec.apply(x, v)));
  const lines: Line[] = [];
  for (const u of USES) {
    const [a, b, c] = [atLo!.uses[u], now!.uses[u], atHi!.uses[u]];
    if (a.eligible !== b.eligible || b.eligible !== c.eligible) return null;
    if (!b.eligible) continue;
    const slope = (c.netUsdPerDay - a.netUsdPerDay) / (hi - lo);
    const predicted = a.netUsdPerDay + slope * (current - lo);
    const scale = Math.max(
      Math.abs(a.netUsdPerDay),
      Math.abs(b.netUsdPerDay),
      Math.abs(c.netUsdPerDay),
      1e-9,
    );
    if (!(Math.abs(predicted - b.netUsdPerDay) <= 1e-9 * scale)) return null;
    lines.push({ use: u, net: b.netUsdPerDay, slope });
  }
  return { lines, now: now!.best, bestLo: atLo!.best, bestHi: atHi!.best };
}

/**
 * The nearest value from `from` towards `to` where a line overtakes today's best `now` (known to happen by
 * `to`), and the use that is best just past it (the steepest in that direction among those crossing there;
 * ties keep the registry's order, as the income ranking does). Undefined if the lines show none (rounding
 * at a bound): the caller then searches.
 */
function crossing(lines: Line[], now: Use, from: number, to: number): { at: number; to: Use } | undefined {
  const dir = to > from ? 1 : -1;
  const best = lines.find((l) => l.use === now)!;
  let at = Infinity; // distance from `from`
  let next: Line | null = null;
  for (const l of lines) {
    if (l.use === now) continue;
    const gain = (l.slope - best.slope) * dir; // how fast l closes on the best line, per unit moved
    if (!(gain > 0)) continue;
    const d = Math.max(0, best.net - l.net) / gain;
    const tie = Math.abs(d - at) <= 1e-12 * Math.max(1, Math.abs(from) + d);
    if (d < at && !tie) [at, next] = [d, l];
    else if (tie && next && l.slope * dir > next.slope * dir) next = l;
  }
  if (!next) return undefined;
  return { at: from + dir * Math.min(at, Math.abs(to - from)), to: next.use };
}

/** The same figures found by search (grid then bisection): the reference the closed form is tested against. */
export function findBreakEvensBySearch(x: IncomeInputs): BreakEven[] {
  return (Object.keys(PARAMS) as BreakEvenParam[]).map((param) => searchParam(x, param));
}

function searchParam(x: IncomeInputs, param: BreakEvenParam): BreakEven {
  const spec = PARAMS[param];
  const current = spec.current(x);
  const bestAt = (v: number) => estimateModelIncome(spec.apply(x, v)).best;
  const now = bestAt(current);
  const log = param.endsWith('PriceUsd');
  return {
    param,
    unit: spec.unit,
    current,
    below: search(bestAt, now, current, spec.min(current), log),
    above: search(bestAt, now, current, spec.max(current), log),
  };
}

function search(
  bestAt: (v: number) => Use,
  now: Use,
  from: number,
  to: number,
  log: boolean,
): { at: number; to: Use } | null {
  if (from === to) return null;
  const point = (i: number) =>
    log && from > 0 && to > 0 ? from * (to / from) ** (i / GRID) : from + ((to - from) * i) / GRID;
  let prev = from;
  for (let i = 1; i <= GRID; i++) {
    const v = point(i);
    const b = bestAt(v);
    if (b !== now) return { at: bisect(bestAt, now, prev, v), to: bestAt(bisectFar(bestAt, now, prev, v)) };
    prev = v;
  }
  return null;
}

/** The boundary between `inside` (best = now) and `outside` (best != now), to 1e-6 relative. */
function bisect(bestAt: (v: number) => Use, now: Use, inside: number, outside: number): number {
  for (let i = 0; i < 60 && Math.abs(outside - inside) > 1e-9 + 1e-6 * Math.abs(inside); i++) {
    const mid = (inside + outside) / 2;
    if (bestAt(mid) === now) inside = mid;
    else outside = mid;
  }
  return (inside + outside) / 2;
}

function bisectFar(bestAt: (v: number) => Use, now: Use, inside: number, outside: number): number {
  for (let i = 0; i < 60; i++) {
    const mid = (inside + outside) / 2;
    if (bestAt(mid) === now) inside = mid;
    else outside = mid;
  }
  return outside;
}

/**
 * The difficulty at which one device's mining income nets zero, in closed form: revenue and fees scale with
 * 1 / difficulty and power does not, so net(D) = (revenue - fees) x D0 / D - power. Null when the device
 * cannot mine the coin, or mines it at no power cost (then it never stops paying).
 */
export function difficultyAtZeroNet(income: UseIncome, difficulty: number): number | null {
  if (!income.eligible || !(income.powerCostUsdPerDay > 0)) return null;
  const afterFees = income.revenueUsdPerDay - income.feesUsdPerDay;
  return afterFees > 0 ? (difficulty * afterFees) / income.powerCostUsdPerDay : null;
}
