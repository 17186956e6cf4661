import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSolver } from './highs.ts';
import { bindingRows, roundDownAndRepair, solveAllocation, type Column } from './allocation.ts';
import type { SolveCell, SolveProblem } from './problem.ts';
import { switchCostUsdPerDevice } from '../model/income.ts';

function cell(over: Partial<SolveCell> & Pick<SolveCell, 'options'>): SolveCell {
  return { key: 'c', siteIndex: 0, aiClass: 'vram24', count: 10, current: {}, ...over };
}

/** Five cards that can mine ERG ($1/day, 0.2 kW) or rent for AI ($5/day, 0.3 kW). */
const ergOrAi = (): SolveCell =>
  cell({
    count: 5,
    options: [
      { use: 'ERG', netUsdPerDay: 1, wallKw: 0.2, switchUsdPerDay: 0 },
      { use: 'AI', netUsdPerDay: 5, wallKw: 0.3, switchUsdPerDay: 0 },
    ],
  });

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
  assert.deepEqual(s.cells[0]!.recommended, { RVN: 5, ERG: 0, AI: 0, sell: 0, idle: 5 });
  assert.ok(Math.abs(s.objectiveUsdPerDay - 10) < 1e-9);
  assert.ok(Math.abs(s.sites[0]!.shadowUsdPerKwDay - 20) < 1e-6, `shadow ${s.sites[0]!.shadowUsdPerKwDay}`);
  assert.ok(Math.abs(s.sites[0]!.powerUsedKw - 0.5) < 1e-9);
});

test('AI demand cap binds: the rest go to the next best use; one more customer is worth the difference', async () => {
  const highs = await loadSolver();
  const p: SolveProblem = {
    sites: [{ id: 's', powerCapKw: 100 }],
    aiDemandCaps: { vram24: 3 },
    cells: [ergOrAi()],
  };
  const s = solveAllocation(highs, p);
  assert.deepEqual(s.cells[0]!.recommended, { RVN: 0, ERG: 2, AI: 3, sell: 0, idle: 0 });
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
  assert.deepEqual(stay.cells[0]!.recommended, { RVN: 0, ERG: 5, AI: 0, sell: 0, idle: 0 });
  assert.equal(stay.cells[0]!.moved, 0);
  const move = solveAllocation(highs, mk(0.3));
  assert.deepEqual(move.cells[0]!.recommended, { RVN: 0, ERG: 0, AI: 5, sell: 0, idle: 0 });
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

test('LP-rounded: a fractional LP optimum is floored, then repair adds back what fits', async () => {
  const highs = await loadSolver();
  // 10 devices, 2.05 kW. AI earns 5 at 0.3 kW, RVN 2 at 0.1 kW. Both rows bind in the LP:
  //   a + r = 10, 0.3a + 0.1r = 2.05  ->  a = 5.25, r = 4.75, bound 5 x 5.25 + 2 x 4.75 = 35.75;
  //   duals: 5 = y + 0.3z, 2 = y + 0.1z  ->  z = 15 USD/kW/day, y = 0.5.
  // Floor: a = 5, r = 4 (33 USD/day, 1.9 kW, 9 devices). Repair, best first: one more AI needs 2.2 kW (no);
  // one more RVN fits (10 devices, 2.0 kW) -> a = 5, r = 5, 35 USD/day, which is also the integer optimum
  // (a = 6 leaves room for r = 2: 34; a = 4, r = 6: 32).
  const p: SolveProblem = {
    sites: [{ id: 's', powerCapKw: 2.05 }],
    aiDemandCaps: {},
    cells: [
      cell({
        options: [
          { use: 'RVN', netUsdPerDay: 2, wallKw: 0.1, switchUsdPerDay: 0 },
          { use: 'AI', netUsdPerDay: 5, wallKw: 0.3, switchUsdPerDay: 0 },
        ],
      }),
    ],
  };
  const s = solveAllocation(highs, p, { mipMaxColumns: 0 });
  assert.equal(s.status, 'lp-rounded');
  assert.deepEqual(s.cells[0]!.recommended, { RVN: 5, ERG: 0, AI: 5, sell: 0, idle: 0 });
  assert.ok(Math.abs(s.objectiveUsdPerDay - 35) < 1e-9, `objective ${s.objectiveUsdPerDay}`);
  assert.ok(Math.abs(s.boundUsdPerDay - 35.75) < 1e-9, `bound ${s.boundUsdPerDay}`);
  assert.ok(Math.abs(s.sites[0]!.powerUsedKw - 2.0) < 1e-9);
  assert.ok(Math.abs(s.sites[0]!.shadowUsdPerKwDay - 15) < 1e-6, `shadow ${s.sites[0]!.shadowUsdPerKwDay}`);
  const mip = solveAllocation(highs, p);
  assert.equal(mip.status, 'optimal');
  assert.ok(Math.abs(mip.objectiveUsdPerDay - 35) < 1e-9, 'the MIP agrees: 35 is the integer optimum');
});

function col(cost: number, rows: number[], upper = 10): Column {
  return { cell: 0, option: 0, kind: 'added', cost, upper, rows, coefs: rows.map(() => 1) };
}

test('repair: the one spare unit of a shared row goes to the column with the higher objective', () => {
  // Row 0 (upper 3) is shared; the LP left both at 1.5. Floors use 2, so one unit is left: cost 5 gets it.
  const out = roundDownAndRepair(
    [col(1, [0]), col(5, [0])],
    Float64Array.from([1.5, 1.5]),
    Float64Array.of(3),
  );
  assert.deepEqual([...out], [1, 2]);
  const swapped = roundDownAndRepair(
    [col(5, [0]), col(1, [0])],
    Float64Array.from([1.5, 1.5]),
    Float64Array.of(3),
  );
  assert.deepEqual([...swapped], [2, 1], 'order follows cost, not column position');
});

test('repair: adds a unit only where every row of the column has room, only to fractional columns', () => {
  // Column 0 is on rows 0 and 1. After flooring, row 1 (upper 3) holds 1 + 2 = 3: full, so column 0 stays
  // at 1 although row 0 has room.
  const blocked = roundDownAndRepair(
    [col(9, [0, 1]), col(1, [1])],
    Float64Array.from([1.5, 2]),
    Float64Array.from([5, 3]),
  );
  assert.deepEqual([...blocked], [1, 2]);
  // An integral LP value (2) is kept as is even with room left; values within 1e-7 of an integer round to it.
  const kept = roundDownAndRepair(
    [col(9, [0]), col(1, [0]), col(1, [1])],
    Float64Array.from([2, 0.5, 2.99999999]),
    Float64Array.from([10, 3]),
  );
  assert.deepEqual([...kept], [2, 1, 3]);
});

test('switching cost from fleet terms: devices move just below the break-even, stay just above', async () => {
  const highs = await loadSolver();
  // 4 GPUs on ERG (1.00 USD/day each) could rent for AI at 1.50: a gain of 0.50 USD/day per GPU.
  // Switch cost per GPU = 24 h downtime at the AI net (1.50) + fixed F, spread over 10 days:
  // (1.50 + F) / 10 < 0.50  <=>  F < 3.50. F = 3.40 -> 0.49/day (move); F = 3.60 -> 0.51/day (stay).
  const mk = (fixedUsdPerGpu: number): SolveProblem => {
    const terms = { downtimeHours: 24, fixedUsdPerGpu, horizonDays: 10 };
    const option = (use: 'ERG' | 'AI', netUsdPerDay: number, wallKw: number) => ({
      use,
      netUsdPerDay,
      wallKw,
      switchUsdPerDay: switchCostUsdPerDevice(netUsdPerDay, terms) / terms.horizonDays,
    });
    return {
      sites: [{ id: 's', powerCapKw: 100 }],
      aiDemandCaps: {},
      cells: [
        cell({ count: 4, current: { ERG: 4 }, options: [option('ERG', 1, 0.2), option('AI', 1.5, 0.3)] }),
      ],
    };
  };
  const below = mk(3.4);
  assert.ok(Math.abs(below.cells[0]!.options[1]!.switchUsdPerDay - 0.49) < 1e-12);
  const move = solveAllocation(highs, below);
  assert.deepEqual(move.cells[0]!.recommended, { RVN: 0, ERG: 0, AI: 4, sell: 0, idle: 0 });
  assert.equal(move.cells[0]!.moved, 4);
  assert.ok(
    Math.abs(move.objectiveUsdPerDay - 4 * (1.5 - 0.49)) < 1e-9,
    `objective ${move.objectiveUsdPerDay}`,
  );
  assert.ok(Math.abs(move.cells[0]!.switchingUsdPerDay - 4 * 0.49) < 1e-9);
  assert.ok(Math.abs(move.cells[0]!.netUsdPerDay - 4 * 1.5) < 1e-9, 'net before switching');

  const above = mk(3.6);
  assert.ok(Math.abs(above.cells[0]!.options[1]!.switchUsdPerDay - 0.51) < 1e-12);
  const stay = solveAllocation(highs, above);
  assert.deepEqual(stay.cells[0]!.recommended, { RVN: 0, ERG: 4, AI: 0, sell: 0, idle: 0 });
  assert.equal(stay.cells[0]!.moved, 0);
  assert.equal(stay.cells[0]!.switchingUsdPerDay, 0);
  assert.ok(Math.abs(stay.objectiveUsdPerDay - 4) < 1e-9);
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
  assert.deepEqual(s.cells[0]!.recommended, { RVN: 0, ERG: 0, AI: 0, sell: 0, idle: 10 });
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

// A network paying 100 USD/day to its miners (no fees) whose other miners hash N = 1,000 MH/s; cards of
// 100 MH/s. R(F) = 100 F / (1,000 + F), so the n-th card adds R(100n) - R(100n - 100) = 1,000 / ((n + 9)(n + 10)).
const NET = { coin: 'RVN' as const, issuedUsdPerDay: 100, keptShare: 1, externalMhs: 1000 };
function miners(count: number, powerUsdPerDay: number): SolveProblem {
  return {
    sites: [{ id: 's', powerCapKw: 100 }],
    aiDemandCaps: {},
    networks: [NET],
    cells: [
      cell({
        count,
        options: [
          {
            use: 'RVN',
            netUsdPerDay: 10 - powerUsdPerDay, // the lone-card figure; the network row replaces it
            wallKw: 0.1,
            switchUsdPerDay: 0,
            pooled: { hashrateMhs: 100, costUsdPerDay: powerUsdPerDay },
          },
        ],
      }),
    ],
  };
}

test('network: a fleet hashing as much as the rest earns half per card of a lone card', async () => {
  const highs = await loadSolver();
  // Ten cards at 0.10 USD/day of power all pay (the 10th adds 1,000 / (19 x 20) = 2.63 USD/day).
  // F = N = 1,000 MH/s: R = 50 USD/day, 5 per card, half of the lone card's 100 x 100 / 1,000 = 10.
  for (const mipMaxColumns of [5000, 0]) {
    const s = solveAllocation(highs, miners(10, 0.1), { mipMaxColumns });
    assert.equal(s.cells[0]!.recommended.RVN, 10);
    // The LP is integral here: rounding meets the bound, which proves optimality without a MIP run.
    if (mipMaxColumns) assert.match(s.stats.method, /within 1e-6 of the LP bound.*secant segments/);
    assert.equal(s.status, mipMaxColumns ? 'optimal' : 'lp-rounded');
    const n = s.networks[0]!;
    assert.equal(n.fleetMhs, 1000);
    assert.equal(n.shareOfNetwork, 0.5);
    assert.ok(Math.abs(n.revenueUsdPerDay / 10 - 5) < 1e-12, `per card ${n.revenueUsdPerDay / 10}`);
    assert.ok(Math.abs(n.loneUsdPerMhsDay * 100 - 10) < 1e-12);
    assert.ok(Math.abs(s.cells[0]!.netUsdPerDay - (50 - 10 * 0.1)) < 1e-9, `net ${s.cells[0]!.netUsdPerDay}`);
    assert.ok(Math.abs(s.objectiveUsdPerDay - 49) < 1e-9);
    assert.ok(s.boundUsdPerDay >= s.objectiveUsdPerDay - 1e-9, 'the bound is an upper bound');
    assert.ok(s.boundUsdPerDay - s.objectiveUsdPerDay <= n.maxGapUsdPerDay + 1e-9, 'all cards mine: no gap');
  }
});

test('network: miners stop where the marginal card no longer covers its power', async () => {
  const highs = await loadSolver();
  // Power 1.50 USD/day per card: card 16 adds 1,000 / (25 x 26) = 1.5385 (net +0.0385), card 17 adds
  // 1,000 / (26 x 27) = 1.4245 (net -0.0755): 16 of 30 mine. R(1,600) = 61.538; net 61.538 - 24 = 37.538.
  // The LP stops where the slope R'(F) = 100,000 / (1,000 + F)^2 meets 1.5 / 100 MH/s: F = 1,582 (15.8
  // cards), so its dual on the hashrate row is 0.015 USD/day per MH/s; rounding floors to 15, repair adds one.
  for (const mipMaxColumns of [5000, 0]) {
    const s = solveAllocation(highs, miners(30, 1.5), { mipMaxColumns });
    assert.equal(s.status, mipMaxColumns ? 'optimal' : 'lp-rounded');
    assert.deepEqual(s.cells[0]!.recommended, { RVN: 16, ERG: 0, AI: 0, sell: 0, idle: 14 });
    assert.ok(Math.abs(s.objectiveUsdPerDay - (100 * 1600) / 2600 + 24) < 1e-9, `${s.objectiveUsdPerDay}`);
    const n = s.networks[0]!;
    assert.ok(
      Math.abs(n.lastCard!.netUsdPerDay - (1000 / 650 - 1.5)) < 1e-9,
      `last ${n.lastCard!.netUsdPerDay}`,
    );
    assert.ok(Math.abs(n.lastCard!.usdPerMhsDay - 1000 / 650 / 100) < 1e-12);
    assert.ok(
      Math.abs(n.nextCard!.netUsdPerDay - (1000 / 702 - 1.5)) < 1e-9,
      `next ${n.nextCard!.netUsdPerDay}`,
    );
    assert.ok(Math.abs(n.marginalUsdPerMhsDay - 100_000 / 2600 ** 2) < 1e-12);
    assert.ok(Math.abs(n.shadowUsdPerMhsDay - 0.015) < 1e-9, `shadow ${n.shadowUsdPerMhsDay}`);
  }
  // At 1.58 USD/day card 16 (1.5385) no longer pays, card 15 (1,000 / (24 x 25) = 1.6667) does: 15 mine.
  // The LP lands at 15.16 cards; the repair must not add the 16th although every row has room.
  for (const mipMaxColumns of [5000, 0]) {
    const s = solveAllocation(highs, miners(30, 1.58), { mipMaxColumns });
    assert.equal(s.cells[0]!.recommended.RVN, 15, `mipMaxColumns ${mipMaxColumns}`);
    assert.ok(s.networks[0]!.nextCard!.netUsdPerDay < 0);
  }
});

test('network: a card too weak to pay even at the lone-card rate is never a column', async () => {
  const highs = await loadSolver();
  // Lone rate 0.1 USD/day per MH/s x 100 MH/s = 10 USD/day < 10.5 of power: nothing mines, no segments.
  const s = solveAllocation(highs, miners(30, 10.5));
  assert.equal(s.cells[0]!.recommended.idle, 30);
  assert.equal(s.stats.variables, 0);
  assert.equal(s.networks[0]!.segments, 0);
  assert.equal(s.networks[0]!.lastCard, null);
  assert.throws(
    () =>
      solveAllocation(highs, {
        ...miners(3, 1),
        cells: [cell({ options: [{ ...miners(3, 1).cells[0]!.options[0]!, pooled: undefined }] })],
      }),
    /needs pooled\.hashrateMhs > 0/,
  );
});

/** 30 cells at two sites under power and AI caps, fractional in the LP: the MIP needs tens of nodes. */
function knapsack(): SolveProblem {
  let seed = 7;
  const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return {
    sites: [
      { id: 's', powerCapKw: 7.77 },
      { id: 't', powerCapKw: 5.31 },
    ],
    aiDemandCaps: { vram8: 13 },
    cells: Array.from({ length: 30 }, (_, i) =>
      cell({
        key: `c${i}`,
        siteIndex: i % 2,
        aiClass: 'vram8',
        count: 3 + Math.floor(r() * 5),
        options: [
          { use: 'RVN', netUsdPerDay: 1 + r() * 3, wallKw: 0.13 + r() * 0.3, switchUsdPerDay: 0 },
          { use: 'AI', netUsdPerDay: 2 + r() * 3, wallKw: 0.2 + r() * 0.3, switchUsdPerDay: 0 },
        ],
      }),
    ),
  };
}

test('MIP: a node limit, not a clock; the same input gives the same answer, status and proven gap', async () => {
  const highs = await loadSolver();
  const p = knapsack();
  const full = solveAllocation(highs, p);
  assert.equal(full.status, 'optimal');
  assert.ok(full.stats.mipNodes! > 5, `the MIP branched (${full.stats.mipNodes} nodes)`);
  assert.ok(full.stats.provenGapUsdPerDay < 1e-6 * full.objectiveUsdPerDay);
  assert.match(full.stats.method, /^HiGHS MIP, proven optimal.*proven gap to the best possible \$0\.00\/day/);
  // Stopped after 5 nodes: a feasible allocation with a positive proven gap, identical run to run.
  const [a, b] = [
    solveAllocation(highs, p, { mipMaxNodes: 5 }),
    solveAllocation(highs, p, { mipMaxNodes: 5 }),
  ];
  assert.equal(a.status, 'mip-node-limit');
  assert.equal(a.stats.mipNodes, 5);
  assert.match(
    a.stats.method,
    /stopped at its limit of 5 branch-and-bound nodes.*proven gap .*\$0\.\d\d\/day/,
  );
  assert.ok(a.stats.provenGapUsdPerDay > 0.01);
  assert.ok(a.objectiveUsdPerDay <= full.objectiveUsdPerDay + 1e-9);
  assert.ok(a.objectiveUsdPerDay + a.stats.provenGapUsdPerDay >= full.objectiveUsdPerDay - 1e-9, 'gap holds');
  assert.deepEqual(
    [b.status, b.stats.mipNodes, b.objectiveUsdPerDay, b.cells.map((c) => c.recommended)],
    [a.status, a.stats.mipNodes, a.objectiveUsdPerDay, a.cells.map((c) => c.recommended)],
  );
  // No node at all: HiGHS has no incumbent, so the rounded LP optimum stands and says so.
  const none = solveAllocation(highs, p, { mipMaxNodes: 0 });
  assert.equal(none.status, 'lp-rounded');
  assert.ok(none.objectiveUsdPerDay > 0);
  assert.match(none.stats.method, /the MIP found nothing better within 0 nodes/);
  assert.ok(
    Math.abs(none.stats.provenGapUsdPerDay - (none.boundUsdPerDay - none.objectiveUsdPerDay)) < 1e-9,
    'without a MIP bound the gap is to the LP bound',
  );
});

test('rows that cannot bind are left out of the model, and their duals read 0', () => {
  const col = (rows: number[], coefs: number[], upper: number): Column => ({
    cell: 0,
    option: 0,
    kind: 'added',
    cost: 1,
    upper,
    rows,
    coefs,
  });
  // row 0: one column of upper 4 against a count of 5 (cannot bind); row 1: two columns of upper 4 against
  // 5 (can); row 2: 4 x 0.3 kW = 1.2 kW against a 1 kW cap (can); row 3: 1.2 kW against 2 kW (cannot);
  // row 4: no column at all; row 5: a network row (negative hashrate, a segment of width 10 against 0).
  const cols = [
    col([0, 2], [1, 0.3], 4),
    col([1, 3], [1, 0.3], 4),
    col([1, 3], [1, 0.3], 4),
    col([5], [-50], 4),
    col([5], [1], 10),
  ];
  const kept = bindingRows(cols, 6, Float64Array.from([5, 5, 1, 2.5, 3, 0]));
  assert.deepEqual(kept.rows, [1, 2, 5]);
  assert.deepEqual([...kept.index], [-1, 0, 1, -1, -1, 2]);
  assert.deepEqual([...kept.expand([7, 8, 9])], [0, 7, 8, 0, 0, 9]);
});

test('a site whose devices cannot reach its cap gives the same allocation as one with no cap at all', async () => {
  const highs = await loadSolver();
  const mk = (capKw: number): SolveProblem => ({
    sites: [{ id: 's', powerCapKw: capKw }],
    aiDemandCaps: { vram24: 3 },
    cells: [ergOrAi()],
  });
  const loose = solveAllocation(highs, mk(2.5)); // 5 x 0.3 + 5 x 0.2 = 2.5 kW at most: cannot bind
  const none = solveAllocation(highs, mk(1e9));
  assert.deepEqual(loose.cells, none.cells);
  assert.equal(loose.objectiveUsdPerDay, none.objectiveUsdPerDay);
  assert.equal(loose.sites[0]!.shadowUsdPerKwDay, 0);
  assert.ok(Math.abs(loose.aiDemand[0]!.shadowUsdPerGpuDay - 4) < 1e-6);
  const tight = solveAllocation(highs, mk(1.1)); // binds: 3 AI (0.9 kW) leave room for one ERG card
  assert.deepEqual(tight.cells[0]!.recommended, { RVN: 0, ERG: 1, AI: 3, sell: 0, idle: 1 });
});
