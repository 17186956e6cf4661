import type { Highs } from './highs.ts';
import type { SolveProblem } from './problem.ts';
import type { AllocationSolution, CellResult } from '../domain/solution.ts';
import { SolveError } from '../errors.ts';
import { RowLayout, type RowBlock } from './rows.ts';
import { PAID_USES, zeroByUse } from '../domain/uses.ts';

/**
 * Fleet allocation as a linear program solved by HiGHS.
 *
 * Per cell (a count of identical devices at one site) and eligible use u:
 *   kept_u  in [0, current_u]  earns net_u            (devices already on u stay)
 *   added_u in [0, count]      earns net_u - switch_u (devices moved onto u pay the switching cost)
 * Rows: per cell  sum(kept + added) <= count  (the rest idle);
 *       per site  sum(peak kW x devices) <= power cap;
 *       per AI class  sum(AI devices) <= demand cap.
 * Variables whose objective is <= 0 are left out: with idle free, the optimum never uses them
 * (their reduced cost stays negative at any non-negative duals), so this presolve keeps optimality.
 * The LP optimum is always rounded down and repaired one device at a time (rounding loses at most about one
 * device per binding row). Up to `mipMaxColumns` columns HiGHS then also solves the integer program (MIP)
 * within `mipTimeLimitS`; the better of the two integer allocations is returned, and the LP bound shows the
 * worst-case gap. Shadow prices always come from the LP relaxation.
 */
export interface SolveOptions {
  mipMaxColumns?: number;
  mipTimeLimitS?: number;
}

export interface Column {
  cell: number;
  option: number;
  kind: 'kept' | 'added';
  cost: number;
  upper: number;
  rows: number[];
  coefs: number[];
}

export function solveAllocation(highs: Highs, p: SolveProblem, opts: SolveOptions = {}): AllocationSolution {
  const t0 = performance.now();
  validateProblem(p);
  const rows = layRows(p);
  const columns = buildColumns(p, rows);
  const nRows = rows.layout.nRows;
  const rowUpper = rows.layout.rowUpper();

  const lp = runModel(highs, columns, nRows, rowUpper, false, 120);
  let values = roundDownAndRepair(columns, lp.values, rowUpper);
  let status: AllocationSolution['status'] = 'lp-rounded';
  if (columns.length > 0 && columns.length <= (opts.mipMaxColumns ?? 5_000)) {
    const mip = runModel(highs, columns, nRows, rowUpper, true, opts.mipTimeLimitS ?? 5);
    if (mip.objective >= objectiveOf(columns, values) - 1e-9) {
      values = mip.values;
      status = mip.optimal ? 'optimal' : 'mip-time-limit';
    }
  }
  return assemble(p, columns, values, lp, status, rows, performance.now() - t0);
}

/** The model's constraint rows, one block per family; a new constraint is one more block here. */
interface Rows {
  layout: RowLayout;
  /** One row per cell: devices on non-idle uses <= count. */
  cell: RowBlock;
  /** One row per site: peak kW of its devices <= power cap. */
  sitePower: RowBlock;
  /** One row per capped AI class: GPUs rented <= demand cap; `aiClasses[i]` is the class of row i. */
  aiDemand: RowBlock;
  aiClasses: string[];
}

function layRows(p: SolveProblem): Rows {
  const layout = new RowLayout();
  const aiClasses = Object.keys(p.aiDemandCaps);
  return {
    layout,
    cell: layout.add('cell', p.cells.length, (i) => p.cells[i]!.count),
    sitePower: layout.add('site-power', p.sites.length, (i) => p.sites[i]!.powerCapKw),
    aiDemand: layout.add('ai-demand', aiClasses.length, (i) => p.aiDemandCaps[aiClasses[i]!]!),
    aiClasses,
  };
}

function validateProblem(p: SolveProblem): void {
  p.sites.forEach((s, i) => {
    if (!(s.powerCapKw >= 0)) throw new SolveError(`sites[${i}] (${s.id}): power cap must be >= 0 kW`);
  });
  p.cells.forEach((c, i) => {
    if (!Number.isInteger(c.count) || c.count < 0)
      throw new SolveError(`cells[${i}] (${c.key}): count must be a non-negative integer`);
    if (c.siteIndex < 0 || c.siteIndex >= p.sites.length)
      throw new SolveError(`cells[${i}] (${c.key}): site index out of range`);
    for (const o of c.options) {
      if (![o.netUsdPerDay, o.wallKw, o.switchUsdPerDay].every(Number.isFinite))
        throw new SolveError(`cells[${i}] (${c.key}) ${o.use}: non-finite figure`);
    }
  });
}

function buildColumns(p: SolveProblem, blocks: Rows): Column[] {
  const aiRow = new Map(blocks.aiClasses.map((c, i) => [c, blocks.aiDemand.row(i)]));
  const cols: Column[] = [];
  p.cells.forEach((cell, ci) => {
    cell.options.forEach((o, oi) => {
      const rows = [blocks.cell.row(ci)];
      const coefs = [1];
      if (o.wallKw > 0) {
        rows.push(blocks.sitePower.row(cell.siteIndex));
        coefs.push(o.wallKw);
      }
      const r = o.use === 'AI' ? aiRow.get(cell.aiClass) : undefined;
      if (r !== undefined) {
        rows.push(r);
        coefs.push(1);
      }
      const current = cell.current[o.use] ?? 0;
      if (current > 0 && o.netUsdPerDay > 0)
        cols.push({
          cell: ci,
          option: oi,
          kind: 'kept',
          cost: o.netUsdPerDay,
          upper: Math.min(current, cell.count),
          rows,
          coefs,
        });
      const addedCost = o.netUsdPerDay - o.switchUsdPerDay;
      if (addedCost > 0)
        cols.push({ cell: ci, option: oi, kind: 'added', cost: addedCost, upper: cell.count, rows, coefs });
    });
  });
  return cols;
}

interface RunResult {
  values: Float64Array;
  objective: number;
  rowDual: Float64Array;
  optimal: boolean;
}

function objectiveOf(cols: Column[], values: Float64Array): number {
  return cols.reduce((a, c, j) => a + c.cost * values[j]!, 0);
}

function runModel(
  highs: Highs,
  cols: Column[],
  nRows: number,
  rowUpper: Float64Array,
  integer: boolean,
  timeLimitS: number,
): RunResult {
  if (cols.length === 0)
    return { values: new Float64Array(0), objective: 0, rowDual: new Float64Array(nRows), optimal: true };
  const starts = new Int32Array(cols.length + 1);
  let nnz = 0;
  cols.forEach((c, j) => {
    starts[j] = nnz;
    nnz += c.rows.length;
  });
  starts[cols.length] = nnz;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (const c of cols)
    for (let i = 0; i < c.rows.length; i++) {
      indices[k] = c.rows[i]!;
      values[k++] = c.coefs[i]!;
    }
  const model = highs.createModel({
    numCols: cols.length,
    numRows: nRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: Float64Array.from(cols, (c) => c.cost),
    colLower: new Float64Array(cols.length),
    colUpper: Float64Array.from(cols, (c) => c.upper),
    rowLower: new Float64Array(nRows).fill(-Infinity),
    rowUpper,
    matrix: { format: 'csc', numRows: nRows, numCols: cols.length, starts, indices, values },
    ...(integer
      ? { integrality: new Int32Array(cols.length).fill(highs.constants.variableType.integer) }
      : {}),
  });
  try {
    // Our column presolve (above) already drops what HiGHS' presolve would; on these models HiGHS' own presolve
    // costs more than it saves (bench/solve: 3.7 s with it, 0.6 s without, 1,000 sites).
    model.options.set({
      output_flag: false,
      time_limit: timeLimitS,
      ...(integer ? { mip_rel_gap: 1e-6 } : { presolve: 'off' }),
    });
    model.run();
    const status = model.getModelStatus();
    const optimal = status === highs.constants.modelStatus.optimal;
    if (integer && !optimal) {
      // Out of time: keep the incumbent if HiGHS found one, else report nothing better than rounding.
      const sol = model.getSolution();
      const feasible =
        status === highs.constants.modelStatus.timeLimit && sol.colValue.length === cols.length;
      return {
        values: sol.colValue,
        objective: feasible ? model.getObjectiveValue() : -Infinity,
        rowDual: new Float64Array(nRows),
        optimal: false,
      };
    }
    if (!optimal)
      throw new SolveError(`HiGHS LP ended with model status ${status} (expected optimal)`, {
        columns: cols.length,
        rows: nRows,
      });
    const sol = model.getSolution();
    return {
      values: sol.colValue,
      objective: model.getObjectiveValue(),
      rowDual: integer ? new Float64Array(nRows) : sol.rowDual,
      optimal,
    };
  } finally {
    model.dispose();
  }
}

/**
 * Floor every count (keeps every <= row feasible), then add single devices back where all rows still fit:
 * one try per column the LP left fractional, the highest objective coefficient first.
 */
export function roundDownAndRepair(
  cols: Column[],
  lpValues: Float64Array,
  rowUpper: Float64Array,
): Float64Array {
  const out = Float64Array.from(lpValues, (v) => Math.floor(v + 1e-7));
  const used = new Float64Array(rowUpper.length);
  cols.forEach((c, j) => {
    for (let i = 0; i < c.rows.length; i++) used[c.rows[i]!]! += c.coefs[i]! * out[j]!;
  });
  const order = cols
    .map((_, j) => j)
    .filter((j) => lpValues[j]! - out[j]! > 1e-7)
    .sort((a, b) => cols[b]!.cost - cols[a]!.cost);
  for (const j of order) {
    const c = cols[j]!;
    if (out[j]! + 1 > c.upper) continue;
    if (c.rows.every((r, i) => used[r]! + c.coefs[i]! <= rowUpper[r]! + 1e-9)) {
      out[j]! += 1;
      c.rows.forEach((r, i) => {
        used[r]! += c.coefs[i]!;
      });
    }
  }
  return out;
}

const METHOD: Record<AllocationSolution['status'], string> = {
  optimal: 'HiGHS MIP, proven optimal (integer counts)',
  'mip-time-limit': 'HiGHS MIP stopped at its time limit (best integer allocation found)',
  'lp-rounded': 'HiGHS LP optimum, rounded down to whole devices and repaired',
};

function assemble(
  p: SolveProblem,
  cols: Column[],
  values: Float64Array,
  lp: RunResult,
  status: AllocationSolution['status'],
  rows: Rows,
  ms: number,
): AllocationSolution {
  const siteDuals = rows.sitePower.read(lp.rowDual);
  const aiDuals = rows.aiDemand.read(lp.rowDual);
  const cells: CellResult[] = p.cells.map((c) => ({
    key: c.key,
    recommended: zeroByUse(),
    moved: 0,
    netUsdPerDay: 0,
    switchingUsdPerDay: 0,
    powerKw: 0,
  }));
  let objective = 0;
  cols.forEach((col, j) => {
    const n = Math.round(values[j]!);
    if (n === 0) return;
    const cell = p.cells[col.cell]!;
    const o = cell.options[col.option]!;
    const r = cells[col.cell]!;
    r.recommended[o.use] += n;
    r.netUsdPerDay += n * o.netUsdPerDay;
    r.powerKw += n * o.wallKw;
    if (col.kind === 'added') {
      r.moved += n;
      r.switchingUsdPerDay += n * o.switchUsdPerDay;
    }
    objective += n * col.cost;
  });
  p.cells.forEach((c, i) => {
    const r = cells[i]!;
    r.recommended.idle = c.count - PAID_USES.reduce((a, u) => a + r.recommended[u], 0);
  });
  const sites = p.sites.map((s, i) => ({
    id: s.id,
    powerCapKw: s.powerCapKw,
    powerUsedKw: cells.reduce((a, r, ci) => a + (p.cells[ci]!.siteIndex === i ? r.powerKw : 0), 0),
    shadowUsdPerKwDay: Math.max(0, siteDuals[i]!),
  }));
  const aiDemand = rows.aiClasses.map((aiClass, i) => ({
    aiClass,
    capGpus: p.aiDemandCaps[aiClass]! as number | null,
    usedGpus: cells.reduce((a, r, ci) => a + (p.cells[ci]!.aiClass === aiClass ? r.recommended.AI : 0), 0),
    shadowUsdPerGpuDay: Math.max(0, aiDuals[i]!),
  }));
  return {
    status,
    objectiveUsdPerDay: objective,
    boundUsdPerDay: lp.objective,
    cells,
    sites,
    aiDemand,
    stats: { variables: cols.length, constraints: rows.layout.nRows, solveMs: ms, method: METHOD[status] },
  };
}
