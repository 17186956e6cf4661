import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valuePaths, findSellDay, type DailyIncome, type DayUse, type HorizonTerms } from './horizon.ts';
import { addDays } from '../lib/time.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** A hand-made horizon: per use, its day (or null) as a function of the day index. */
function days(
  n: number,
  uses: Partial<Record<'RVN' | 'ERG' | 'AI', (d: number) => DayUse | null>>,
): DailyIncome[] {
  return Array.from({ length: n }, (_, d) => ({
    date: addDays('2026-01-01', d),
    uses: {
      RVN: uses.RVN?.(d) ?? null,
      ERG: uses.ERG?.(d) ?? null,
      AI: uses.AI?.(d) ?? null,
      sell: null,
    },
  }));
}
const flat =
  (net: number, power = 0) =>
  () => ({ netUsdPerDay: net, powerCostUsdPerDay: power });

function terms(o: Partial<HorizonTerms> = {}): HorizonTerms {
  return {
    startDate: '2026-01-01',
    fixedUsdPerDay: 0,
    fixedAvoidableOnSale: 0,
    sunkKw: 0,
    tariffUsdPerKwh: 0.05,
    rehostCapexUsd: 400,
    resaleNetUsdAt: null,
    ...o,
  };
}

test('sell: a card whose resale falls faster than it earns is worth most sold now', () => {
  // ERG 0.10 USD/day for 100 days; resale 200 now, 0.5 USD/day lower each day; no AI, no RVN
  const v = valuePaths(
    days(100, { ERG: flat(0.1) }),
    terms({ resaleNetUsdAt: (d) => 200 - 0.5 * d, reasons: { AI: 'CMP card: driver-locked' } }),
  );
  close(v.paths.ERG.valueUsd, 10 + 150); // 100 x 0.10 + resale at day 100
  close(v.paths.idle.valueUsd, 150);
  close(v.paths.sell.valueUsd, 200);
  assert.equal(v.paths.AI.possible, false);
  assert.equal(v.paths.AI.reason, 'CMP card: driver-locked');
  assert.equal(v.paths.RVN.possible, false);
  assert.equal(v.best, 'sell');
  assert.equal(v.bestHold, 'ERG');
  assert.equal(v.sellDay, 0); // holding t days is worth 200 - 0.4 t: sell at once
  assert.equal(v.sellDate, '2026-01-01');
});

test('re-host: AI net pays the capex back within the horizon, so the card moves to AI', () => {
  // AI 3 USD/day, capex 400, 180 days; ERG 0.50 USD/day; resale 100 - 0.1/day
  const daily = days(180, { ERG: flat(0.5), AI: flat(3) });
  const t = terms({ resaleNetUsdAt: (d) => 100 - 0.1 * d });
  const v = valuePaths(daily, t);
  close(v.paths.AI.valueUsd, 540 - 400 + 82);
  close(v.paths.AI.capexUsd, 400);
  close(v.paths.AI.paybackDays!, 400 / 3);
  close(v.paths.ERG.valueUsd, 90 + 82);
  close(v.paths.sell.valueUsd, 100);
  assert.equal(v.best, 'AI');
  assert.equal(v.sellDay, null); // holding on AI keeps gaining to the horizon's end
  // what-if: at 600 USD capex the AI path is worth 540 - 600 + 82 = 22 and the card keeps mining ERG
  const dear = valuePaths(daily, { ...t, rehostCapexUsd: 600 });
  close(dear.paths.AI.valueUsd, 22);
  assert.equal(dear.best, 'ERG');
  // already in an AI-ready server: no capex, payback 0
  const ready = valuePaths(daily, { ...t, rehostCapexUsd: 0 });
  close(ready.paths.AI.valueUsd, 540 + 82);
  assert.equal(ready.paths.AI.paybackDays, 0);
});

test('take-or-pay: mining slightly negative at the full tariff beats idle when its energy is sunk', () => {
  // ERG revenue less fees 0.45 USD/day, energy 0.50 USD/day (0.4167 kW at the meter x 24 h x 0.05 USD/kWh)
  const daily = days(100, { ERG: flat(-0.05, 0.5) });
  const none = valuePaths(daily, terms());
  close(none.paths.ERG.valueUsd, -5);
  assert.equal(none.best, 'idle');
  // the contract pays for 1 kW per card anyway: all 0.50 USD/day of energy is sunk
  const top = valuePaths(daily, terms({ sunkKw: 1 }));
  close(top.paths.ERG.incomeUsd, 45);
  close(top.paths.ERG.sunkEnergyUsd, 50);
  assert.equal(top.best, 'ERG');
  assert.equal(top.paths.sell.possible, false);
  // 0.2 kW of headroom per card covers 0.2 x 24 x 0.05 = 0.24 USD/day: 0.19 USD/day net
  close(valuePaths(daily, terms({ sunkKw: 0.2 })).paths.ERG.incomeUsd, 19);
});

test('fixed costs are paid on every holding path; a sale saves only the avoidable part', () => {
  const daily = days(100, { ERG: flat(1) });
  const t = terms({ fixedUsdPerDay: 2, resaleNetUsdAt: () => 50 });
  const v = valuePaths(daily, t);
  close(v.paths.ERG.valueUsd, 100 - 200 + 50);
  close(v.paths.idle.valueUsd, -200 + 50);
  close(v.paths.sell.valueUsd, 50 - 200);
  assert.equal(v.best, 'ERG');
  const colo = valuePaths(daily, { ...t, fixedAvoidableOnSale: 1 });
  close(colo.paths.sell.valueUsd, 50);
  assert.equal(colo.best, 'sell'); // per-slot hosting: 2 USD/day saved beats 1 USD/day of mining
});

test('a VRAM cut-off ends a coin path early and sets the sell date to the cut-off', () => {
  // ERG 1 USD/day until day 60, then the table no longer fits; resale 100 - 0.2/day
  const daily = days(180, { ERG: (d) => (d < 60 ? { netUsdPerDay: 1, powerCostUsdPerDay: 0.3 } : null) });
  const t = terms({ resaleNetUsdAt: (d) => 100 - 0.2 * d });
  const v = valuePaths(daily, t);
  assert.equal(v.paths.ERG.daysPossible, 60);
  close(v.paths.ERG.incomeUsd, 60);
  close(v.paths.ERG.valueUsd, 60 + 64);
  close(v.paths.sell.valueUsd, 100);
  assert.equal(v.best, 'ERG');
  // mine to the cut-off, then sell: 60 + (100 - 0.2 x 60) = 148, more than holding to day 180 (124)
  assert.equal(v.sellDay, 60);
  assert.equal(v.sellDate, '2026-03-02');
  assert.equal(findSellDay(daily, 'ERG', t, 0), 60);
  assert.equal(findSellDay(daily, 'ERG', { ...t, resaleNetUsdAt: null }, 0), null);
});
