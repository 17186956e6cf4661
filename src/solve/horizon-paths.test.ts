import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSolver } from './highs.ts';
import { solveAllocation } from './allocation.ts';
import type { SolveCell, SolveOption, SolveProblem } from './problem.ts';
import { paybackDays, rehostTerms, sellUsdPerDay } from '../model/paths.ts';

/** Hand-solvable cases of the horizon decision (issue 12, item 5): horizon 100 days throughout. */
const H = 100;
const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

function cell(over: Partial<SolveCell> & Pick<SolveCell, 'options'>): SolveCell {
  return { key: 'c', siteIndex: 0, aiClass: 'vram8', count: 1, current: {}, ...over };
}
const mine = (net: number, over: Partial<SolveOption> = {}): SolveOption => ({
  use: 'RVN',
  netUsdPerDay: net,
  wallKw: 0.2,
  switchUsdPerDay: 0,
  ...over,
});
const sell = (usdPerDay: number): SolveOption => ({
  use: 'sell',
  netUsdPerDay: usdPerDay,
  wallKw: 0,
  switchUsdPerDay: 0,
});
const site = { id: 's', powerCapKw: 100 };

test('sell: resale now above what the card earns and keeps over the horizon', async () => {
  const highs = await loadSolver();
  // Keep mining: 0.5 x 100 + 200 resale at the end = 250 USD; sell now: 300 USD. Sell wins by 50 USD.
  const usd = sellUsdPerDay(300, 200, H, 0)!;
  close(usd, 1);
  const p: SolveProblem = {
    sites: [site],
    aiDemandCaps: {},
    cells: [cell({ current: { RVN: 1 }, options: [mine(0.5), sell(usd)] })],
  };
  const s = solveAllocation(highs, p);
  assert.equal(s.cells[0]!.recommended.sell, 1);
  assert.equal(s.cells[0]!.recommended.RVN, 0);
  close(s.objectiveUsdPerDay * H, 300 - 200); // the sale's gain over holding, on top of the kept resale
  // The same card when the market pays 240 now: 240 < 250, it keeps mining.
  const keep = solveAllocation(highs, {
    ...p,
    cells: [cell({ current: { RVN: 1 }, options: [mine(0.5), sell(sellUsdPerDay(240, 200, H, 0)!)] })],
  });
  assert.equal(keep.cells[0]!.recommended.RVN, 1);
  assert.equal(keep.cells[0]!.recommended.sell, 0);
  assert.equal(sellUsdPerDay(null, 200, H, 0), null, 'no price: no sell option');
});

test('re-host: the AI net pays the capex back within the horizon, AI-ready cards pay none', async () => {
  const highs = await loadSolver();
  // AI 3 USD/day less capex 200 / 100 days = 1 USD/day > mining 0.5: re-host. Payback 200 / 3 = 66.7 days.
  const ai = (capexUsd: number): SolveOption => ({
    use: 'AI',
    netUsdPerDay: 3,
    wallKw: 0.3,
    switchUsdPerDay: 0,
    rehost: rehostTerms(capexUsd, H),
  });
  const solve = (capexUsd: number, aiReady = 0) =>
    solveAllocation(highs, {
      sites: [site],
      aiDemandCaps: {},
      cells: [cell({ count: 2, aiReady, current: { RVN: 2 }, options: [mine(0.5), ai(capexUsd)] })],
    });
  const s = solve(200);
  assert.equal(s.cells[0]!.recommended.AI, 2);
  assert.equal(s.cells[0]!.rehosted, 2);
  close(s.cells[0]!.capexUsd, 400);
  close(s.objectiveUsdPerDay, 2 * (3 - 2));
  close(paybackDays(200, 3)!, 200 / 3);
  // Capex 300: 3 - 3 = 0 < 0.5, the cards keep mining.
  assert.equal(solve(300).cells[0]!.recommended.RVN, 2);
  // One card already AI-ready: it moves at no capex even when capex would not pay.
  const ready = solve(300, 1);
  assert.deepEqual([ready.cells[0]!.recommended.AI, ready.cells[0]!.rehosted], [1, 0]);
  close(ready.cells[0]!.capexUsd, 0);
});

test('take-or-pay: keeps mining a card slightly negative at the full tariff, up to the site minimum', async () => {
  const highs = await loadSolver();
  // 0.1 USD/kWh = 2.4 USD/kW-day. Each card draws 0.5 kW at the meter (1.2 USD/day) and nets -0.2 USD/day
  // at the full tariff. A 1 kW minimum covers two cards' energy: each then nets +1.0; the third pays full.
  const tariffUsdPerKwDay = 2.4;
  const p = (minimumKw: number | null): SolveProblem => ({
    sites: [{ ...site, ...(minimumKw === null ? {} : { takeOrPay: { minimumKw, tariffUsdPerKwDay } }) }],
    aiDemandCaps: {},
    cells: [
      cell({ key: 'a', count: 2, current: { RVN: 2 }, options: [mine(-0.2, { meterKw: 0.5 })] }),
      cell({ key: 'b', count: 1, current: { RVN: 1 }, options: [mine(-0.2, { meterKw: 0.5 })] }),
    ],
  });
  const without = solveAllocation(highs, p(null));
  assert.equal(without.cells[0]!.recommended.RVN + without.cells[1]!.recommended.RVN, 0);
  const s = solveAllocation(highs, p(1));
  // The minimum is the site's, split across both models: two cards in all mine, not two per model.
  assert.equal(s.cells[0]!.recommended.RVN + s.cells[1]!.recommended.RVN, 2);
  close(s.sites[0]!.takeOrPay!.coveredKw, 1);
  close(s.sites[0]!.takeOrPay!.creditUsdPerDay, 2.4);
  close(s.objectiveUsdPerDay, 2 * (-0.2 + 1.2));
});

test('capex budget: its shadow price is the best unfunded project return per USD', async () => {
  const highs = await loadSolver();
  // Two idle cards, capex 100 each over 100 days (1 USD/day). Card a: AI 3/day, return (300-100)/100 = 2;
  // card b: AI 2/day, return (200-100)/100 = 1. Budget 150 funds a and half of b in the LP: one more USD of
  // budget buys 1/100 of b, worth 1 USD over the horizon = b's return.
  const ai = (net: number): SolveOption => ({
    use: 'AI',
    netUsdPerDay: net,
    wallKw: 0.3,
    switchUsdPerDay: 0,
    rehost: rehostTerms(100, H),
  });
  const p: SolveProblem = {
    sites: [site],
    aiDemandCaps: {},
    cells: [cell({ key: 'a', options: [ai(3)] }), cell({ key: 'b', options: [ai(2)] })],
    rehostBudget: { usd: 150, horizonDays: H },
  };
  const s = solveAllocation(highs, p);
  assert.deepEqual(
    s.cells.map((c) => c.recommended.AI),
    [1, 0],
  );
  close(s.rehostBudget!.usedUsd, 100);
  close(s.rehostBudget!.shadowUsdPerUsd, 1);
  // Budget 250 funds both: the row is slack and its price 0.
  const all = solveAllocation(highs, { ...p, rehostBudget: { usd: 250, horizonDays: H } });
  assert.deepEqual(
    all.cells.map((c) => c.recommended.AI),
    [1, 1],
  );
  close(all.rehostBudget!.shadowUsdPerUsd, 0);
  assert.equal(solveAllocation(highs, { ...p, rehostBudget: undefined }).rehostBudget, null);
});
