import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSolver } from './highs.ts';
import { solveAllocation } from './allocation.ts';
import type { SolveCell, SolveProblem } from './problem.ts';

function cell(over: Partial<SolveCell> & Pick<SolveCell, 'options'>): SolveCell {
  return { key: 'c', siteIndex: 0, aiClass: 'vram24', count: 10, current: {}, ...over };
}

test('power-capped site: fills the cap with the best USD per kW, shadow price = that rate', async () => {
  const highs = await loadSolver();
  const p: SolveProblem = {
    sites: [{ id: 's', powerCapKw: 0.5 }],
    aiDemandCaps: {},
    cells: [
      cell({
        options: [
          { use: 'RVN', netUsdPerDay: 2, wallKw: 0.1, switchUsdPerDay: 0 },
          { use: 'AI', netUsdPerDay: 3, wallKw: 0.3, switchUsdPerDay: 0 },
        ],
      }),
    ],
  };
  const s = solveAllocation(highs, p);
  assert.equal(s.status, 'optimal');
  assert.deepEqual(s.cells[0]!.recommended, { RVN: 5, ERG: 0, AI: 0, idle: 5 });
  assert.ok(Math.abs(s.objectiveUsdPerDay - 10) < 1e-9);
  assert.ok(Math.abs(s.sites[0]!.shadowUsdPerKwDay - 20) < 1e-6, `shadow ${s.sites[0]!.shadowUsdPerKwDay}`);
  assert.ok(Math.abs(s.sites[0]!.powerUsedKw - 0.5) < 1e-9);
});

test('AI demand cap binds: the rest go to the next best use; one more customer is worth the difference', async () => {
  const highs = await loadSolver();
  const p: SolveProblem = {
    sites: [{ id: 's', powerCapKw: 100 }],
    aiDemandCaps: { vram24: 3 },
    cells: [
      cell({
        count: 5,
        options: [
          { use: 'ERG', netUsdPerDay: 1, wallKw: 0.2, switchUsdPerDay: 0 },
          { use: 'AI', netUsdPerDay: 5, wallKw: 0.3, switchUsdPerDay: 0 },
        ],
      }),
    ],
  };
  const s = solveAllocation(highs, p);
  assert.deepEqual(s.cells[0]!.recommended, { RVN: 0, ERG: 2, AI: 3, idle: 0 });
  assert.ok(Math.abs(s.objectiveUsdPerDay - 17) < 1e-9);
  assert.ok(Math.abs(s.aiDemand[0]!.shadowUsdPerGpuDay - 4) < 1e-6);
  assert.equal(s.aiDemand[0]!.usedGpus, 3);
  assert.equal(s.sites[0]!.shadowUsdPerKwDay, 0, 'a slack power cap is worth nothing');
});

test('switching cost: stays put unless the gain beats the cost spread over the horizon', async () => {
  const highs = await loadSolver();
  const mk = (switchUsd: number): SolveProblem => ({
    sites: [{ id: 's', powerCapKw: 100 }],
    aiDemandCaps: {},
    cells: [
      cell({
        count: 5,
        current: { ERG: 5 },
        options: [
          { use: 'ERG', netUsdPerDay: 1, wallKw: 0.2, switchUsdPerDay: switchUsd },
          { use: 'AI', netUsdPerDay: 1.5, wallKw: 0.3, switchUsdPerDay: switchUsd },
        ],
      }),
    ],
  });
  const stay = solveAllocation(highs, mk(0.8));
  assert.deepEqual(stay.cells[0]!.recommended, { RVN: 0, ERG: 5, AI: 0, idle: 0 });
  assert.equal(stay.cells[0]!.moved, 0);
  const move = solveAllocation(highs, mk(0.3));
  assert.deepEqual(move.cells[0]!.recommended, { RVN: 0, ERG: 0, AI: 5, idle: 0 });
  assert.equal(move.cells[0]!.moved, 5);
  assert.ok(Math.abs(move.objectiveUsdPerDay - 5 * 1.2) < 1e-9);
});

test('integer counts: MIP gives whole GPUs; the LP-rounded path agrees here and reports the LP bound', async () => {
  const highs = await loadSolver();
  const p: SolveProblem = {
    sites: [{ id: 's', powerCapKw: 0.25 }],
    aiDemandCaps: {},
    cells: [cell({ options: [{ use: 'RVN', netUsdPerDay: 2, wallKw: 0.1, switchUsdPerDay: 0 }] })],
  };
  const mip = solveAllocation(highs, p);
  assert.equal(mip.cells[0]!.recommended.RVN, 2);
  assert.ok(Math.abs(mip.boundUsdPerDay - 5) < 1e-9, 'LP relaxation takes 2.5 GPUs');
  const rounded = solveAllocation(highs, p, { mipMaxColumns: 0 });
  assert.equal(rounded.status, 'lp-rounded');
  assert.equal(rounded.cells[0]!.recommended.RVN, 2);
  assert.ok(rounded.sites[0]!.powerUsedKw <= 0.25 + 1e-12);
});

test('unprofitable uses are never chosen and an empty problem solves to zero', async () => {
  const highs = await loadSolver();
  const p: SolveProblem = {
    sites: [{ id: 's', powerCapKw: 10 }],
    aiDemandCaps: {},
    cells: [
      cell({
        current: { RVN: 10 },
        options: [{ use: 'RVN', netUsdPerDay: -0.4, wallKw: 0.1, switchUsdPerDay: 0 }],
      }),
    ],
  };
  const s = solveAllocation(highs, p);
  assert.deepEqual(s.cells[0]!.recommended, { RVN: 0, ERG: 0, AI: 0, idle: 10 });
  assert.equal(s.objectiveUsdPerDay, 0);
});

test('bad problems are refused with the cell named', async () => {
  const highs = await loadSolver();
  assert.throws(
    () =>
      solveAllocation(highs, {
        sites: [{ id: 's', powerCapKw: 1 }],
        aiDemandCaps: {},
        cells: [cell({ count: 2.5, options: [] })],
      }),
    /count must be a non-negative integer/,
  );
  assert.throws(
    () =>
      solveAllocation(highs, {
        sites: [{ id: 's', powerCapKw: 1 }],
        aiDemandCaps: {},
        cells: [cell({ options: [{ use: 'AI', netUsdPerDay: NaN, wallKw: 1, switchUsdPerDay: 0 }] })],
      }),
    /non-finite/,
  );
});
