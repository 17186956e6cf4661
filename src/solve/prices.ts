import type { Highs } from './highs.ts';
import { SolveError } from '../errors.ts';

/**
 * A large allocation LP solved through the prices of its few linking rows (AI demand, network hashrate,
 * re-hosting budget), exactly.
 *
 * The model is block-angular: each site is a block (its cells' rows and its power row) and only the linking
 * rows join the blocks. Dual simplex from the logical basis spends most of its time on those rows: once one
 * binds, nearly every pivot row reaches across all blocks, so each iteration costs time in proportion to the
 * whole model and the solve grows with the square of the sites. Here:
 *  1. a sample of the sites (every k-th) is solved in full with the linking rows scaled to the sample's share
 *     (caps, segment widths): its row duals estimate the linking prices y;
 *  2. the blocks alone (linking rows left out, each column's cost less y times its linking coefficients) are
 *     solved in pieces of CHUNK_BLOCKS sites: block-diagonal, so each piece is small and cheap. y is then
 *     corrected a few rounds by secant steps on each linking row's residual, the pieces re-solved from
 *     their last bases (a round costs a fraction of the first solve);
 *  3. the blocks' optimal basis becomes an advanced basis of the whole model: each linking row is made
 *     nonbasic (binding at price y) and the column closest to pricing out at y on it (smallest reduced cost
 *     per unit of coefficient) basic in its place. With y exact that basis is optimal; with y close, dual
 *     simplex only repairs the few rows the error touches.
 * Step 3 is HiGHS' dual simplex on the whole model from that basis, to HiGHS' own optimality test: the answer
 * is an LP optimum with its own row duals whatever the estimate, so steps 1 and 2 only decide how long it
 * takes (should they fail, or HiGHS refuse the basis, the whole model is solved from the logical basis).
 * The objective is the one-piece solve's and the shadow prices are valid duals of it (equal to the one-piece
 * solve's in the tests); where several allocations are equally good (identical sites), the one this path
 * lands on may differ from the one-piece solve's.
 * Measured (bench/solve, dense market, 5,000 sites, 380,998 columns): HiGHS' own time falls from ~7.5 s
 * (20,292 iterations from the logical basis) to ~2 s in all (a 200-site sample, 20 pieces, three rounds,
 * then 7-23 iterations on the whole model). Every step is deterministic: the same input, the same path.
 */

/** A CSC linear program in HiGHS' terms: maximise, columns in [0, colUpper], rows `<= rowUpper`. */
export interface LpData {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colUpper: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

export interface LpStructure {
  /** Model rows that join blocks (every other row is a block's own). */
  linking: number[];
  /** Block (site) of each column, -1 for a column in linking rows only (a revenue segment). */
  blockOf: Int32Array;
  blocks: number;
}

/** HiGHS options for every LP solve here (the caller's: presolve, time limit). */
export type RunOptions = Readonly<Record<string, string | number | boolean>>;

export interface LpOptimum {
  values: Float64Array;
  rowDual: Float64Array;
  objective: number;
  /** Simplex iterations of the (last) whole-model solve, and whether it started from the advanced basis. */
  iterations: number;
  warm: boolean;
}

/** Sites in the price-estimating sample (step 1): enough to price the rows, small next to the whole. */
const SAMPLE_BLOCKS = 200;

export function solveByPrices(highs: Highs, lp: LpData, s: LpStructure, runOpts: RunOptions): LpOptimum {
  // Steps 1 and 2 only decide where step 3 starts: should either fail (a piece not optimal, memory), the
  // whole model is solved from the logical basis, as it would be without them.
  let basis: ReturnType<typeof advancedBasis>;
  try {
    const link = linkingEntries(lp, s);
    const prices = samplePrices(highs, lp, s, link, runOpts);
    basis = advancedBasis(highs, s, link, solveBlocks(highs, lp, s, link, prices, runOpts));
  } catch {
    return runPlain(highs, lp, runOpts);
  }
  return solveFrom(highs, lp, basis, runOpts);
}

/**
 * The matrix entries in linking rows, found once for every step and price round: `col[e]`, `link[e]` (index
 * in `s.linking`) and `value[e]`; `index[r]` is row r's index in `s.linking`, -1 for a block's own row.
 */
interface LinkingEntries {
  index: Int32Array;
  col: Int32Array;
  link: Int32Array;
  value: Float64Array;
}

function linkingEntries(lp: LpData, s: LpStructure): LinkingEntries {
  const index = new Int32Array(lp.numRows).fill(-1);
  s.linking.forEach((r, l) => {
    index[r] = l;
  });
  const col: number[] = [];
  const link: number[] = [];
  const value: number[] = [];
  for (let j = 0; j < lp.numCols; j++)
    for (let k = lp.starts[j]!; k < lp.starts[j + 1]!; k++) {
      const l = index[lp.indices[k]!]!;
      if (l < 0) continue;
      col.push(j);
      link.push(l);
      value.push(lp.values[k]!);
    }
  return { index, col: Int32Array.from(col), link: Int32Array.from(link), value: Float64Array.from(value) };
}

/** Each linking row's reach: sum of |coefficient| x upper over the columns `counted` accepts. */
function reachOf(
  lp: LpData,
  s: LpStructure,
  link: LinkingEntries,
  counted: (j: number) => boolean,
): Float64Array {
  const reach = new Float64Array(s.linking.length);
  link.col.forEach((j, e) => {
    if (counted(j)) reach[link.link[e]!]! += Math.abs(link.value[e]!) * lp.colUpper[j]!;
  });
  return reach;
}

/** Step 1: linking-row duals of every k-th block solved with the linking rows scaled to its share. */
function samplePrices(
  highs: Highs,
  lp: LpData,
  s: LpStructure,
  link: LinkingEntries,
  runOpts: RunOptions,
): number[] {
  const step = Math.max(1, Math.floor(s.blocks / SAMPLE_BLOCKS));
  const inSample = (j: number) => s.blockOf[j]! < 0 || s.blockOf[j]! % step === 0;
  // Share of each linking row's reach over block columns in the sample.
  const all = reachOf(lp, s, link, (j) => s.blockOf[j]! >= 0);
  const part = reachOf(lp, s, link, (j) => s.blockOf[j]! >= 0 && inSample(j));
  const share = Array.from(all, (a, l) => (a > 0 ? part[l]! / a : 1));
  const cols: number[] = [];
  for (let j = 0; j < lp.numCols; j++) if (inSample(j)) cols.push(j);
  const rowUpper = Float64Array.from(lp.rowUpper, (u, r) =>
    link.index[r]! >= 0 ? u * share[link.index[r]!]! : u,
  );
  const colUpper = Float64Array.from(cols, (j) => {
    if (s.blockOf[j]! >= 0) return lp.colUpper[j]!;
    const r = lp.indices[lp.starts[j]!];
    return r === undefined || link.index[r]! < 0 ? lp.colUpper[j]! : lp.colUpper[j]! * share[link.index[r]!]!;
  });
  const sub = subModel(lp, cols, () => true, rowUpper);
  const rowDual = runPlain(highs, { ...sub, colUpper }, runOpts).rowDual;
  return s.linking.map((r) => {
    const i = sub.rowIndex[r]!;
    return i < 0 ? 0 : Math.max(0, rowDual[i]!);
  });
}

interface BlocksOptimum {
  colStatus: Int32Array;
  /** Basis status of each row of the whole model (linking rows: basic). */
  rowStatus: Int32Array;
  /** Reduced cost of each column at the blocks' optimum (cost less linking prices and block duals). */
  colDual: Float64Array;
}

/** Sites per piece of the block-diagonal LP: each piece is solved on its own (step 2). */
const CHUNK_BLOCKS = 250;

/** Rounds of price correction (step 2) at most, and the residual (share of a row's reach) that ends them. */
const PRICE_ROUNDS = 6;
const PRICE_TOLERANCE = 5e-4;

/**
 * Step 2: the block-diagonal LP at the linking prices, in pieces of CHUNK_BLOCKS sites (the pieces share no
 * row, so their optima together are the whole's; columns of no site go with the first piece). Each row's
 * price is then corrected by secant steps on its residual (activity at the blocks' optimum less its bound;
 * a higher price lowers it) while that shrinks, each piece re-solved from its last basis.
 */
function solveBlocks(
  highs: Highs,
  lp: LpData,
  s: LpStructure,
  link: LinkingEntries,
  prices: number[],
  runOpts: RunOptions,
): BlocksOptimum {
  const reach = reachOf(lp, s, link, () => true);
  const pieces = chunkModels(highs, lp, s, link.index, runOpts);
  try {
    // One set of buffers for every round (large typed arrays cost the whole process garbage collection).
    const out = {
      colStatus: new Int32Array(lp.numCols),
      rowStatus: new Int32Array(lp.numRows).fill(highs.constants.basisStatus.basic),
      colDual: new Float64Array(lp.numCols),
      x: new Float64Array(lp.numCols),
      cost: new Float64Array(lp.numCols),
    };
    const worst = (res: Float64Array) =>
      Math.max(0, ...Array.from(res, (v, l) => Math.abs(v) / Math.max(1, reach[l]!)));
    let y = prices.slice();
    let residual = evaluate(highs, lp, s, link, pieces, y, out);
    let best = { y, worst: worst(residual) };
    let prev: { y: number[]; residual: Float64Array } | null = null;
    for (let round = 0; round < PRICE_ROUNDS && worst(residual) > PRICE_TOLERANCE; round++) {
      const next = y.map((yl, l) => {
        const r1 = residual[l]!;
        if (yl === 0 && r1 <= 0) return 0; // a slack row at price 0 stays so
        const p = prev;
        const slope = p && p.y[l] !== yl ? (r1 - p.residual[l]!) / (yl - p.y[l]!) : 0;
        const stepped = slope < 0 ? yl - r1 / slope : yl * (r1 > 0 ? 1.02 : 0.98);
        return Math.min(Math.max(stepped, yl / 2), yl * 2 + 1e-9);
      });
      const trial = evaluate(highs, lp, s, link, pieces, next, out);
      prev = { y, residual };
      y = next;
      residual = trial;
      if (worst(trial) < best.worst) best = { y, worst: worst(trial) };
    }
    // The pieces hold the last prices' optimum: solve once more at the best prices if those were earlier.
    if (best.y !== y) evaluate(highs, lp, s, link, pieces, best.y, out);
    for (const { cols, rows, model } of pieces) {
      const basis = model.getBasis();
      cols.forEach((j, c) => {
        out.colStatus[j] = basis.colStatus[c]!;
      });
      rows.forEach((r, i) => {
        out.rowStatus[r] = basis.rowStatus[i]!;
      });
    }
    return out;
  } finally {
    for (const piece of pieces) piece.model.dispose();
  }
}

/** A piece of the block-diagonal LP: its columns and rows in the whole model, its HiGHS model and costs. */
interface Piece {
  cols: number[];
  rows: number[];
  cost: Float64Array;
  model: ReturnType<Highs['createModel']>;
}

function chunkModels(
  highs: Highs,
  lp: LpData,
  s: LpStructure,
  linkingIndex: Int32Array,
  runOpts: RunOptions,
): Piece[] {
  const chunks = Array.from({ length: Math.max(1, Math.ceil(s.blocks / CHUNK_BLOCKS)) }, (): number[] => []);
  for (let j = 0; j < lp.numCols; j++) chunks[Math.max(0, Math.floor(s.blockOf[j]! / CHUNK_BLOCKS))]!.push(j);
  const pieces: Piece[] = [];
  try {
    for (const cols of chunks) {
      if (cols.length === 0) continue;
      const sub = subModel(lp, cols, (r) => linkingIndex[r]! < 0, lp.rowUpper);
      const model = createLp(highs, sub);
      pieces.push({ cols, rows: sub.rows, cost: sub.colCost, model });
      model.options.set(runOpts);
    }
    return pieces;
  } catch (e) {
    for (const piece of pieces) piece.model.dispose();
    throw e;
  }
}

/**
 * The pieces solved at prices y (each from its last optimal basis): primal values and reduced costs into
 * `out`, and each linking row's residual returned.
 */
function evaluate(
  highs: Highs,
  lp: LpData,
  s: LpStructure,
  link: LinkingEntries,
  pieces: Piece[],
  y: number[],
  out: BlocksOptimum & { x: Float64Array; cost: Float64Array },
): Float64Array {
  const { colDual, x } = out;
  // Each column's cost less y times its linking coefficients.
  const priced = out.cost;
  priced.set(lp.colCost);
  link.col.forEach((j, e) => {
    priced[j]! -= y[link.link[e]!]! * link.value[e]!;
  });
  for (const { cols, cost, model } of pieces) {
    cols.forEach((j, c) => {
      cost[c] = priced[j]!;
    });
    model.changeColsCost({ kind: 'range', from: 0, to: cols.length - 1 }, cost);
    model.run();
    const status = model.getModelStatus();
    if (status !== highs.constants.modelStatus.optimal)
      throw new SolveError(
        `HiGHS LP (a piece of sites) ended with model status ${status} (expected optimal)`,
      );
    const sol = model.getSolution();
    cols.forEach((j, c) => {
      colDual[j] = sol.colDual[c]!;
      x[j] = sol.colValue[c]!;
    });
  }
  const residual = Float64Array.from(s.linking, (r) => -lp.rowUpper[r]!);
  link.col.forEach((j, e) => {
    residual[link.link[e]!]! += link.value[e]! * x[j]!;
  });
  return residual;
}

/** Step 3's start: the blocks' basis, each linking row binding with a column basic in its place. */
function advancedBasis(
  highs: Highs,
  s: LpStructure,
  link: LinkingEntries,
  b: BlocksOptimum,
): { colStatus: Int32Array; rowStatus: Int32Array } {
  const { basic, upper } = highs.constants.basisStatus;
  const colStatus = Int32Array.from(b.colStatus);
  const rowStatus = Int32Array.from(b.rowStatus);
  const best = s.linking.map(() => ({ j: -1, distance: Infinity }));
  link.col.forEach((j, e) => {
    const l = link.link[e]!;
    const v = link.value[e]!;
    if (colStatus[j] === basic || v === 0) return;
    const distance = Math.abs(b.colDual[j]!) / Math.abs(v);
    if (distance < best[l]!.distance) best[l] = { j, distance };
  });
  s.linking.forEach((r, l) => {
    const j = best[l]!.j;
    if (j < 0 || colStatus[j] === basic) return; // no column to swap in (or taken): the slack stays basic
    colStatus[j] = basic;
    rowStatus[r] = upper;
  });
  return { colStatus, rowStatus };
}

/** Step 3: dual simplex on the whole model from the advanced basis (from the logical one if refused). */
function solveFrom(
  highs: Highs,
  lp: LpData,
  basis: { colStatus: Int32Array; rowStatus: Int32Array },
  runOpts: RunOptions,
): LpOptimum {
  try {
    return { ...runPlain(highs, lp, runOpts, basis), warm: true };
  } catch {
    return runPlain(highs, lp, runOpts);
  }
}

/** The LP on some columns and rows; rows left without entries are dropped. */
function subModel(
  lp: LpData,
  cols: number[],
  keepRow: (r: number) => boolean,
  rowUpper: Float64Array,
): LpData & { rowIndex: Int32Array; rows: number[] } {
  const rowIndex = new Int32Array(lp.numRows).fill(-1);
  const rows: number[] = [];
  let nnz = 0;
  for (const j of cols)
    for (let k = lp.starts[j]!; k < lp.starts[j + 1]!; k++) {
      const r = lp.indices[k]!;
      if (!keepRow(r)) continue;
      nnz++;
      if (rowIndex[r] === -1) {
        rowIndex[r] = -2; // seen; numbered in model order below
        rows.push(r);
      }
    }
  rows.sort((a, b) => a - b);
  rows.forEach((r, i) => {
    rowIndex[r] = i;
  });
  const starts = new Int32Array(cols.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let n = 0;
  cols.forEach((j, c) => {
    starts[c] = n;
    for (let k = lp.starts[j]!; k < lp.starts[j + 1]!; k++) {
      const r = lp.indices[k]!;
      if (!keepRow(r)) continue;
      indices[n] = rowIndex[r]!;
      values[n++] = lp.values[k]!;
    }
  });
  starts[cols.length] = n;
  return {
    numCols: cols.length,
    numRows: rows.length,
    colCost: Float64Array.from(cols, (j) => lp.colCost[j]!),
    colUpper: Float64Array.from(cols, (j) => lp.colUpper[j]!),
    rowUpper: Float64Array.from(rows, (r) => rowUpper[r]!),
    starts,
    indices,
    values,
    rowIndex,
    rows,
  };
}

/** One HiGHS LP solve (maximise), optionally from a basis; anything but optimal is an error. */
export function runPlain(
  highs: Highs,
  lp: LpData,
  runOpts: RunOptions,
  basis?: { colStatus: Int32Array; rowStatus: Int32Array },
): LpOptimum {
  const model = createLp(highs, lp);
  try {
    model.options.set(runOpts);
    if (basis) model.setBasis(basis);
    model.run();
    const status = model.getModelStatus();
    if (status !== highs.constants.modelStatus.optimal)
      throw new SolveError(`HiGHS LP ended with model status ${status} (expected optimal)`, {
        columns: lp.numCols,
        rows: lp.numRows,
      });
    const sol = model.getSolution();
    return {
      values: sol.colValue,
      rowDual: sol.rowDual,
      objective: model.getObjectiveValue(),
      iterations: Number(model.info.get('simplex_iteration_count')),
      warm: false,
    };
  } finally {
    model.dispose();
  }
}

/** The HiGHS model of `lp` (maximise); `integrality` per column makes it a MIP. */
export function createLp(
  highs: Highs,
  lp: LpData,
  integrality?: Int32Array,
): ReturnType<Highs['createModel']> {
  return highs.createModel({
    ...(integrality ? { integrality } : {}),
    numCols: lp.numCols,
    numRows: lp.numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: lp.colCost,
    colLower: new Float64Array(lp.numCols),
    colUpper: lp.colUpper,
    rowLower: new Float64Array(lp.numRows).fill(-Infinity),
    rowUpper: lp.rowUpper,
    matrix: {
      format: 'csc',
      numRows: lp.numRows,
      numCols: lp.numCols,
      starts: lp.starts,
      indices: lp.indices,
      values: lp.values,
    },
  });
}
