import { COINS, type Coin, type Use, type UseIncome } from '../domain/types.ts';
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
 * The values of electricity price, coin prices and AI utilisation at which a model's best use flips,
 * searched on a grid either side of today's value (log grid for prices) and refined by bisection.
 */
export function findBreakEvens(x: IncomeInputs): BreakEven[] {
  return (Object.keys(PARAMS) as BreakEvenParam[]).map((param) => {
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
  });
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
