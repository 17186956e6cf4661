import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSolver } from './highs.ts';
import { solveAllocation } from './allocation.ts';
import { runPlain, solveByPrices, type LpData, type LpStructure } from './prices.ts';
import type { SolveCell, SolveProblem } from './problem.ts';
import type { AllocationSolution } from '../domain/solution.ts';

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/**
 * A generated fleet of `sites` sites x 5 models whose linking rows all bind: AI demand capped well below what
 * pays, both coins on shared networks big enough that the fleet moves their rate, a re-hosting budget.
 */
function fleet(sites: number, seed: number): SolveProblem {
  const r = rng(seed);
  const cells: SolveCell[] = [];
  for (let s = 0; s < sites; s++)
    for (let m = 0; m < 5; m++) {
      const count = 10 + Math.floor(r() * 90);
      const mining = Math.floor(count * r() * 0.6);
      const wallKw = 0.1 + 0.25 * r();
      const powerUsd = wallKw * 24 * (0.03 + 0.08 * r());
      const mhs = 20 + 40 * r();
      cells.push({
        key: `s${s}m${m}`,
        siteIndex: s,
        aiClass: m < 3 ? 'vram8' : 'vram24',
        count,
        current: r() < 0.5 ? { RVN: mining } : { ERG: mining },
        aiReady: Math.floor(count * r() * 0.3),
        options: [
          pooled('RVN', wallKw, powerUsd, mhs, 0.5 + r()),
          pooled('ERG', wallKw * 0.9, powerUsd * 0.9, mhs * 2, 0.5 + r()),
          {
            use: 'AI',
            netUsdPerDay: 0.5 + 2.5 * r() - powerUsd,
            wallKw: wallKw * 1.2,
            switchUsdPerDay: 0.3,
            rehost: { capexUsd: 150, capexUsdPerDay: 0.4 },
          },
        ],
      });
    }
  const devices = cells.reduce((a, c) => a + c.count, 0);
  return {
    cells,
    sites: Array.from({ length: sites }, (_, i) => ({ id: `site-${i}`, powerCapKw: 100 + r() * 900 })),
    aiDemandCaps: { vram8: Math.floor(devices * 0.08), vram24: Math.floor(devices * 0.05) },
    networks: [
      { coin: 'RVN', issuedUsdPerDay: devices * 30 * 0.06, keptShare: 0.99, externalMhs: devices * 30 },
      { coin: 'ERG', issuedUsdPerDay: devices * 60 * 0.03, keptShare: 0.99, externalMhs: devices * 60 },
    ],
    rehostBudget: { usd: devices * 3, horizonDays: 30 },
  };
}

function pooled(use: 'RVN' | 'ERG', wallKw: number, powerUsd: number, mhs: number, switchUsd: number) {
  return {
    use,
    netUsdPerDay: 0,
    wallKw,
    switchUsdPerDay: switchUsd,
    pooled: { hashrateMhs: mhs, costUsdPerDay: powerUsd },
  } as const;
}

const LP_ONLY = { mipMaxColumns: 0 };

function shadows(s: AllocationSolution): number[] {
  return [
    ...s.aiDemand.map((a) => a.shadowUsdPerGpuDay),
    ...s.networks.map((n) => n.shadowUsdPerMhsDay),
    s.rehostBudget!.shadowUsdPerUsd,
    ...s.sites.map((x) => x.shadowUsdPerKwDay),
  ];
}

test('solved through the linking prices: the same LP optimum, allocation and shadow prices', async () => {
  const highs = await loadSolver();
  for (const [sites, seed] of [
    [600, 7], // 3 pieces of 250 sites, a sample of every 3rd site
    [90, 13],
  ] as const) {
    const p = fleet(sites, seed);
    const plain = solveAllocation(highs, p, { ...LP_ONLY, byPricesMinColumns: Infinity });
    const priced = solveAllocation(highs, p, { ...LP_ONLY, byPricesMinColumns: 0 });
    // The linking rows bind, so the prices are doing work.
    for (const a of plain.aiDemand) assert.ok(a.shadowUsdPerGpuDay > 0.01, `${a.aiClass} does not bind`);
    for (const n of plain.networks) assert.ok(n.shadowUsdPerMhsDay > 1e-6, `${n.coin} does not bind`);
    assert.ok(plain.rehostBudget!.shadowUsdPerUsd > 1e-6, 'the budget does not bind');
    const tol = 1e-7 * plain.boundUsdPerDay;
    assert.ok(Math.abs(priced.boundUsdPerDay - plain.boundUsdPerDay) <= tol, `${sites} sites: LP optimum`);
    assert.equal(priced.status, plain.status);
    assert.ok(Math.abs(priced.objectiveUsdPerDay - plain.objectiveUsdPerDay) <= tol, `${sites}: allocation`);
    const a = shadows(plain);
    const b = shadows(priced);
    a.forEach((v, i) =>
      assert.ok(Math.abs(v - b[i]!) <= 1e-6 * Math.max(1, Math.abs(v)), `shadow ${i}: ${v}`),
    );
    assert.deepEqual(
      priced.cells.map((c) => c.recommended),
      plain.cells.map((c) => c.recommended),
    );
    // the method says which path ran
    assert.match(
      priced.stats.method,
      /LP solved site by site at the prices of its \d+ rows that join sites, then whole from that basis/,
    );
    assert.doesNotMatch(plain.stats.method, /site by site|join sites/);
  }
});

test('a model without binding linking rows is solved in one piece, as before', async () => {
  const highs = await loadSolver();
  const p = { ...fleet(30, 3), aiDemandCaps: {}, networks: [], rehostBudget: undefined };
  const plain = solveAllocation(highs, p, { ...LP_ONLY, byPricesMinColumns: Infinity });
  const priced = solveAllocation(highs, p, { ...LP_ONLY, byPricesMinColumns: 0 });
  assert.equal(priced.boundUsdPerDay, plain.boundUsdPerDay);
});

/**
 * A block-angular LP by hand: `blocks` sites of 4 cells x 3 columns (cell rows, a power row), one linking
 * row over every first column (a demand cap) and one over every second column with 3 segment columns of no
 * site (a network row: segments - hashrate <= 0).
 */
function blockLp(blocks: number, seed: number): { lp: LpData; structure: LpStructure } {
  const r = rng(seed);
  const cols: { cost: number; upper: number; rows: number[]; coefs: number[]; block: number }[] = [];
  let row = 0;
  const capRow = 0;
  const netRow = 1;
  row = 2;
  const rowUpper: number[] = [0, 0];
  for (let b = 0; b < blocks; b++) {
    const power = row++;
    rowUpper[power] = 20 + 30 * r();
    for (let c = 0; c < 4; c++) {
      const cell = row++;
      rowUpper[cell] = 10 + Math.floor(20 * r());
      for (let k = 0; k < 3; k++) {
        const rows = [cell, power];
        const coefs = [1, 0.5 + r()];
        if (k === 0) {
          rows.push(capRow);
          coefs.push(1);
        }
        if (k === 1) {
          rows.push(netRow);
          coefs.push(-(1 + r()));
        }
        cols.push({
          cost: k === 1 ? -0.2 * r() : 1 + 2 * r(),
          upper: rowUpper[cell]!,
          rows,
          coefs,
          block: b,
        });
      }
    }
  }
  rowUpper[capRow] = blocks * 5;
  const hashrate = cols.reduce((a, c) => a + (c.rows[2] === netRow ? -c.coefs[2]! * c.upper : 0), 0);
  for (const [slope, width] of [
    [3, 0.1],
    [2, 0.2],
    [1, 0.4],
  ] as const)
    cols.push({ cost: slope, upper: width * hashrate, rows: [netRow], coefs: [1], block: -1 });
  const starts = new Int32Array(cols.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  cols.forEach((c, j) => {
    starts[j] = indices.length;
    const order = c.rows.map((_, i) => i).sort((a, b) => c.rows[a]! - c.rows[b]!);
    for (const i of order) {
      indices.push(c.rows[i]!);
      values.push(c.coefs[i]!);
    }
  });
  starts[cols.length] = indices.length;
  return {
    lp: {
      numCols: cols.length,
      numRows: row,
      colCost: Float64Array.from(cols, (c) => c.cost),
      colUpper: Float64Array.from(cols, (c) => c.upper),
      rowUpper: Float64Array.from(rowUpper),
      starts,
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    structure: { linking: [capRow, netRow], blockOf: Int32Array.from(cols, (c) => c.block), blocks },
  };
}

/** The LP dual's objective at row duals y: sum b y + sum over columns of upper x max(0, reduced cost). */
function dualObjective(lp: LpData, y: Float64Array): number {
  let total = lp.rowUpper.reduce((a, b, r) => a + b * y[r]!, 0);
  for (let j = 0; j < lp.numCols; j++) {
    let reduced = lp.colCost[j]!;
    for (let k = lp.starts[j]!; k < lp.starts[j + 1]!; k++) reduced -= lp.values[k]! * y[lp.indices[k]!]!;
    total += lp.colUpper[j]! * Math.max(0, reduced);
  }
  return total;
}

const OPTS = { output_flag: false, presolve: 'off' };

test('by prices: the one-piece optimum with valid duals, from a basis that is nearly optimal', async () => {
  const highs = await loadSolver();
  for (const [blocks, seed] of [
    [700, 3], // 3 pieces, a sample of every 3rd site
    [40, 5],
  ] as const) {
    const { lp, structure } = blockLp(blocks, seed);
    const plain = runPlain(highs, lp, OPTS);
    const priced = solveByPrices(highs, lp, structure, OPTS);
    assert.ok(
      plain.rowDual[0]! > 0.01 && plain.rowDual[1]! > 0.01,
      `linking duals ${plain.rowDual[0]}, ${plain.rowDual[1]}`,
    );
    assert.ok(Math.abs(priced.objective - plain.objective) <= 1e-9 * Math.abs(plain.objective));
    // Valid duals: nonnegative, and the dual objective they give meets the optimum (a proof of optimality).
    assert.ok(priced.rowDual.every((d) => d >= -1e-9));
    const gap = dualObjective(lp, priced.rowDual) - plain.objective;
    assert.ok(Math.abs(gap) <= 1e-7 * Math.abs(plain.objective), `dual objective off by ${gap}`);
    // The mechanism: HiGHS accepted the advanced basis and only repaired it.
    assert.ok(priced.warm, 'the advanced basis was refused');
    assert.ok(
      priced.iterations * 10 <= plain.iterations,
      `${priced.iterations} iterations from the advanced basis, ${plain.iterations} from the logical one`,
    );
  }
});
