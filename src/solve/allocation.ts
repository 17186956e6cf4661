import { reserveSolverMemory, type Highs } from './highs.ts';
import type { SolveCell, SolveOption, SolveProblem } from './problem.ts';
import type {
  AllocationSolution,
  CellResult,
  MarginalCard,
  NetworkResult,
  RehostBudgetResult,
} from '../domain/solution.ts';
import { SolveError } from '../errors.ts';
import { RowLayout, type RowBlock } from './rows.ts';
import { createLp, runPlain, solveByPrices, type LpData } from './prices.ts';
import { PAID_USES, zeroByUse } from '../domain/uses.ts';
import {
  fleetRevenueUsdPerDay,
  loneUsdPerMhsDay,
  marginalUsdPerMhsDay,
  revenueSegments,
  type NetworkTerms,
  type SegmentedRevenue,
} from '../model/network.ts';

/**
 * Fleet allocation as a linear program solved by HiGHS.
 *
 * Per cell (a count of identical devices at one site) and eligible use u:
 *   kept_u  in [0, current_u]  earns net_u            (devices already on u stay)
 *   added_u in [0, count]      earns net_u - switch_u (devices moved onto u pay the switching cost)
 * Rows: per cell  sum(kept + added) <= count  (the rest idle);
 *       per site  sum(peak kW x devices) <= power cap;
 *       per AI class  sum(AI devices) <= demand cap;
 *       per network (coin)  sum(segments) - sum(hashrate x devices on the coin) <= 0.
 * A coin with a network in the problem pays through its segments, not per device: its revenue
 * R(F) = kept B F / (N + F) is concave in the fleet's hashrate F, so it enters as secant segments
 * (model/network.ts) with decreasing USD per MH/s, continuous columns in [0, width] that the LP fills in
 * order; a device column on the coin carries only its costs (power, switching) and its hashrate.
 * AI options with re-hosting capex split `added` in two: up to the cell's AI-ready devices (switch only) and
 * `rehost` columns for the rest (switch + capex per day, and capex USD in the optional budget row).
 * A site with a take-or-pay minimum gets one continuous `sunk` column in [0, minimum kW] worth the tariff per
 * kW-day, in a row  sunk - sum(meter kW x devices) <= 0: energy under the minimum costs nothing at the margin,
 * energy above it the full tariff (device nets are at the full tariff).
 * Variables that cannot pay are left out: a fixed-income column whose objective is <= 0, a device column on
 * a network whose hashrate at the lone-card rate R'(0) (the steepest any segment pays) does not cover its
 * costs. With idle free the optimum never uses them, so this presolve keeps optimality.
 * The LP optimum is always rounded down and repaired one device at a time (rounding loses at most about one
 * device per binding row; a device on a network is added back only if its segment revenue beats its cost).
 * Up to `mipMaxColumns` columns HiGHS then also solves the mixed-integer program (devices integer, segments
 * continuous) within `mipMaxNodes` branch-and-bound nodes: a work limit, not a clock, so the same input gives
 * the same allocation and the same proof status on any machine however busy. The better of the two integer
 * allocations is returned with its proven gap (bound - objective; the bound is the LP relaxation's, or the
 * MIP's own dual bound when tighter, plus the most the segments understate revenue). Shadow prices always come from
 * the LP relaxation. Reported revenue on a network is the exact R(F), shared among the fleet's cards in
 * proportion to hashrate (as pools pay).
 * An LP of `byPricesMinColumns` columns or more is solved through the prices of its few rows that join sites
 * (prices.ts): the same optimum and duals, in time that grows about with the sites. HiGHS' WebAssembly memory
 * is reserved for the model in one step before it is built (highs.ts, reserveSolverMemory).
 */
export interface SolveOptions {
  /** Largest model (columns) the exact MIP runs on; above it the rounded LP optimum is returned. */
  mipMaxColumns?: number;
  /** Branch-and-bound nodes the MIP may process before it returns its best allocation (default 1,000). */
  mipMaxNodes?: number;
  /**
   * Smallest LP (columns) solved through its linking rows' prices (prices.ts); below it, in one piece.
   * Default: BY_PRICES_MIN_COLUMNS, and only with BY_PRICES_MIN_SITES sites or more.
   */
  byPricesMinColumns?: number;
}

/** Default for `byPricesMinColumns`: where the one-piece dual simplex starts to grow faster than the sites. */
export const BY_PRICES_MIN_COLUMNS = 150_000;

/**
 * Fewest sites for the price path by default: below twice its 200-site sample the "sample" is the whole
 * model, solved once more than the one-piece solve would (an explicit `byPricesMinColumns` overrides).
 */
export const BY_PRICES_MIN_SITES = 400;

/** Default node limit: the fixtures and the README fleets prove optimality in tens of nodes. */
export const MIP_MAX_NODES = 1_000;

export interface Column {
  /** The fleet cell of a device column; -1 for a segment. */
  cell: number;
  /** The cell's option of a device column; the segment's index within its network for a segment. */
  option: number;
  /** Devices kept on / added to a use (integer), or a revenue segment of a network (continuous). */
  kind: 'kept' | 'added' | 'rehost' | 'segment' | 'sunk';
  cost: number;
  upper: number;
  rows: number[];
  coefs: number[];
  /** Index in the problem's networks of a segment, or of the coin a device column hashes on. */
  network?: number;
  /** Effective MH/s per device of a device column on a network. */
  mhs?: number;
}

/** True for continuous columns (revenue segments, take-or-pay energy); devices are whole. */
function continuous(c: Column): boolean {
  return c.kind === 'segment' || c.kind === 'sunk';
}

export function solveAllocation(highs: Highs, p: SolveProblem, opts: SolveOptions = {}): AllocationSolution {
  const t0 = performance.now();
  validateProblem(p);
  const rows = layRows(p);
  const devices = buildColumns(p, rows);
  const segmented = segmentNetworks(p, devices);
  const columns = [...devices, ...segmentColumns(segmented, rows), ...sunkColumns(p, rows)];
  const nRows = rows.layout.nRows;
  const rowUpper = rows.layout.rowUpper();

  const byPrices =
    opts.byPricesMinColumns !== undefined
      ? columns.length >= opts.byPricesMinColumns
      : columns.length >= BY_PRICES_MIN_COLUMNS && p.sites.length >= BY_PRICES_MIN_SITES;
  const model = buildModel(highs, columns, nRows, rowUpper);
  const lp = runLp(highs, model, byPrices ? blockStructure(p, rows, columns) : null);
  let values = roundDownAndRepair(columns, lp.values, rowUpper);
  let status: AllocationSolution['status'] = 'lp-rounded';
  let method = METHOD[status] + (lp.lpNote ?? '');
  let mipBound = Infinity;
  let mipNodes: number | null = null;
  const mipAllowed = columns.length > 0 && columns.length <= (opts.mipMaxColumns ?? 5_000);
  if (mipAllowed && lp.objective - objectiveOf(columns, values) <= MIP_REL_GAP * Math.max(1, lp.objective)) {
    // The rounded allocation already meets the LP bound to the MIP's own tolerance: it is what the MIP would
    // prove optimal, without the MIP's run (hundreds of ms once segments are in the model).
    status = 'optimal';
    method =
      `${METHOD['lp-rounded']}${lp.lpNote ?? ''}; within ${MIP_REL_GAP.toExponential()} of the LP bound, ` +
      "so optimal to the MIP's tolerance";
  } else if (mipAllowed) {
    const maxNodes = opts.mipMaxNodes ?? MIP_MAX_NODES;
    const mip = runMip(highs, model.lp, columns, maxNodes);
    mipBound = mip.dualBound;
    mipNodes = mip.nodes;
    if (mip.objective >= objectiveOf(columns, values) - 1e-9) {
      values = mip.values;
      status = mip.optimal ? 'optimal' : 'mip-node-limit';
      method = mip.optimal
        ? METHOD.optimal
        : `HiGHS MIP stopped at its limit of ${maxNodes.toLocaleString('en-US')} branch-and-bound nodes ` +
          '(best integer allocation found)';
    } else method += `; the MIP found nothing better within ${maxNodes.toLocaleString('en-US')} nodes`;
  }
  return assemble(
    { p, cols: columns, values, lp, status, method, rows, segmented, mipBound, mipNodes },
    performance.now() - t0,
  );
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
  /** One row per network: revenue segments claimed - fleet hashrate on the coin <= 0. */
  network: RowBlock;
  /** One row per take-or-pay site: sunk energy claimed - meter kW of its devices <= 0; `topSites[i]` its site. */
  takeOrPay: RowBlock;
  topSites: number[];
  /** One row when the problem has a re-hosting budget: capex of re-hosted devices <= budget USD. */
  rehostBudget: RowBlock;
}

function layRows(p: SolveProblem): Rows {
  const layout = new RowLayout();
  const aiClasses = Object.keys(p.aiDemandCaps);
  const topSites = p.sites.flatMap((s, i) => (s.takeOrPay ? [i] : []));
  return {
    layout,
    cell: layout.add('cell', p.cells.length, (i) => p.cells[i]!.count),
    sitePower: layout.add('site-power', p.sites.length, (i) => p.sites[i]!.powerCapKw),
    aiDemand: layout.add('ai-demand', aiClasses.length, (i) => p.aiDemandCaps[aiClasses[i]!]!),
    aiClasses,
    network: layout.add('network-hashrate', (p.networks ?? []).length, () => 0),
    takeOrPay: layout.add('take-or-pay', topSites.length, () => 0),
    topSites,
    rehostBudget: layout.add('rehost-budget', p.rehostBudget ? 1 : 0, () => p.rehostBudget!.usd),
  };
}

function validateProblem(p: SolveProblem): void {
  const networked = new Set<string>();
  for (const n of p.networks ?? []) {
    if (networked.has(n.coin)) throw new SolveError(`networks: ${n.coin} is listed twice`);
    networked.add(n.coin);
    if (!(n.externalMhs > 0 && n.issuedUsdPerDay >= 0 && n.keptShare >= 0 && n.keptShare <= 1))
      throw new SolveError(
        `networks.${n.coin}: expected externalMhs > 0, issuedUsdPerDay >= 0 and keptShare in [0, 1]`,
      );
  }
  p.sites.forEach((s, i) => {
    if (!(s.powerCapKw >= 0)) throw new SolveError(`sites[${i}] (${s.id}): power cap must be >= 0 kW`);
    const t = s.takeOrPay;
    if (
      t &&
      !(t.minimumKw >= 0 && t.tariffUsdPerKwDay >= 0 && Number.isFinite(t.minimumKw + t.tariffUsdPerKwDay))
    )
      throw new SolveError(
        `sites[${i}] (${s.id}): takeOrPay needs minimumKw >= 0 and tariffUsdPerKwDay >= 0 (finite)`,
      );
  });
  const b = p.rehostBudget;
  if (b && !(b.usd >= 0 && Number.isFinite(b.usd) && b.horizonDays > 0))
    throw new SolveError('rehostBudget: expected usd >= 0 (finite) and horizonDays > 0');
  p.cells.forEach((c, i) => {
    if (!Number.isInteger(c.count) || c.count < 0)
      throw new SolveError(`cells[${i}] (${c.key}): count must be a non-negative integer`);
    if (c.siteIndex < 0 || c.siteIndex >= p.sites.length)
      throw new SolveError(`cells[${i}] (${c.key}): site index out of range`);
    for (const o of c.options) {
      const extra = [o.meterKw ?? 0, o.rehost?.capexUsd ?? 0, o.rehost?.capexUsdPerDay ?? 0];
      if (![o.netUsdPerDay, o.wallKw, o.switchUsdPerDay, ...extra].every(Number.isFinite))
        throw new SolveError(`cells[${i}] (${c.key}) ${o.use}: non-finite figure`);
      if (extra.some((v) => v < 0))
        throw new SolveError(`cells[${i}] (${c.key}) ${o.use}: meterKw and rehost capex must be >= 0`);
      if (!networked.has(o.use)) continue;
      const h = o.pooled?.hashrateMhs;
      if (!(h !== undefined && h > 0 && Number.isFinite(h) && Number.isFinite(o.pooled!.costUsdPerDay)))
        throw new SolveError(
          `cells[${i}] (${c.key}) ${o.use}: a use with a network needs pooled.hashrateMhs > 0 (MH/s) ` +
            'and a finite pooled.costUsdPerDay',
        );
    }
  });
}

function buildColumns(p: SolveProblem, blocks: Rows): Column[] {
  const aiRow = new Map(blocks.aiClasses.map((c, i) => [c, blocks.aiDemand.row(i)]));
  const networkOf = new Map((p.networks ?? []).map((n, i) => [n.coin as string, i]));
  const topRow = new Map(blocks.topSites.map((s, i) => [s, blocks.takeOrPay.row(i)]));
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
      const n = networkOf.get(o.use);
      const pooled = n === undefined ? null : { n, mhs: o.pooled!.hashrateMhs };
      if (pooled) {
        rows.push(blocks.network.row(pooled.n));
        coefs.push(-pooled.mhs);
      }
      const top = topRow.get(cell.siteIndex);
      const meterKw = top === undefined ? 0 : (o.meterKw ?? 0);
      if (meterKw > 0) {
        rows.push(top!);
        coefs.push(-meterKw);
      }
      // What the column earns per device in the objective, and the most it could ever earn (presolve).
      const keptCost = pooled ? -o.pooled!.costUsdPerDay : o.netUsdPerDay;
      const sunkUsd = meterKw * (p.sites[cell.siteIndex]!.takeOrPay?.tariffUsdPerKwDay ?? 0);
      const bestUsd = (pooled ? pooled.mhs * loneUsdPerMhsDay(p.networks![pooled.n]!) : 0) + sunkUsd;
      const tag = pooled ? { network: pooled.n, mhs: pooled.mhs } : {};
      const current = cell.current[o.use] ?? 0;
      if (current > 0 && keptCost + bestUsd > 0)
        cols.push({
          cell: ci,
          option: oi,
          kind: 'kept',
          cost: keptCost,
          upper: Math.min(current, cell.count),
          rows,
          coefs,
          ...tag,
        });
      const addedCost = keptCost - o.switchUsdPerDay;
      const ready = o.rehost ? readyToAdd(cell, o.use) : cell.count;
      if (addedCost + bestUsd > 0 && ready > 0)
        cols.push({
          cell: ci,
          option: oi,
          kind: 'added',
          cost: addedCost,
          upper: ready,
          rows,
          coefs,
          ...tag,
        });
      const rehostCost = addedCost - (o.rehost?.capexUsdPerDay ?? 0);
      const rehostUpper = cell.count - ready - Math.min(current, cell.count);
      if (o.rehost && rehostCost + bestUsd > 0 && rehostUpper > 0) {
        const budget = blocks.rehostBudget.count > 0 && o.rehost.capexUsd > 0;
        cols.push({
          cell: ci,
          option: oi,
          kind: 'rehost',
          cost: rehostCost,
          upper: rehostUpper,
          rows: budget ? [...rows, blocks.rehostBudget.row(0)] : rows,
          coefs: budget ? [...coefs, o.rehost.capexUsd] : coefs,
          ...tag,
        });
      }
    });
  });
  return cols;
}

/**
 * Devices of a cell that can move onto `use` without re-hosting: the AI-ready ones not already on it
 * (`aiReady` counts those renting today; absent, only those are ready).
 */
function readyToAdd(cell: SolveCell, use: SolveOption['use']): number {
  const current = Math.min(cell.current[use] ?? 0, cell.count);
  const ready = Math.min(cell.count, Math.max(cell.aiReady ?? 0, current));
  return ready - current;
}

/** One continuous column per take-or-pay site: kW of the minimum the devices use, worth the tariff. */
function sunkColumns(p: SolveProblem, blocks: Rows): Column[] {
  return blocks.topSites.map((s, i) => {
    const t = p.sites[s]!.takeOrPay!;
    return {
      cell: -1,
      option: s,
      kind: 'sunk' as const,
      cost: t.tariffUsdPerKwDay,
      upper: t.minimumKw,
      rows: [blocks.takeOrPay.row(i)],
      coefs: [1],
    };
  });
}

/** Each network's terms and revenue segments over the hashrate its surviving device columns can reach. */
interface SegmentedNetwork {
  terms: NetworkTerms;
  maxMhs: number;
  revenue: SegmentedRevenue;
}

function segmentNetworks(p: SolveProblem, devices: Column[]): SegmentedNetwork[] {
  const maxMhs = (p.networks ?? []).map(() => 0);
  const seen = new Set<string>();
  for (const c of devices) {
    if (c.network === undefined || seen.has(`${c.cell}/${c.network}`)) continue;
    seen.add(`${c.cell}/${c.network}`); // kept and added share the cell row: count devices at most
    maxMhs[c.network]! += p.cells[c.cell]!.count * c.mhs!;
  }
  return (p.networks ?? []).map((terms, i) => ({
    terms,
    maxMhs: maxMhs[i]!,
    revenue: revenueSegments(terms, maxMhs[i]!),
  }));
}

function segmentColumns(nets: SegmentedNetwork[], blocks: Rows): Column[] {
  return nets.flatMap((net, n) =>
    net.revenue.segments.map((s, k) => ({
      cell: -1,
      option: k,
      kind: 'segment' as const,
      cost: s.usdPerMhsDay,
      upper: s.toMhs - s.fromMhs,
      rows: [blocks.network.row(n)],
      coefs: [1],
      network: n,
    })),
  );
}

/** The LP relaxation's optimum, with row duals over the whole row layout. */
interface LpRun {
  values: Float64Array;
  objective: number;
  rowDual: Float64Array;
  /** LP by prices only: how the LP was solved, for the method line. */
  lpNote?: string;
}

interface MipRun {
  values: Float64Array;
  /** -Infinity when the MIP stopped without an incumbent. */
  objective: number;
  optimal: boolean;
  /** HiGHS' proven bound on the model's optimum (Infinity when none), and nodes processed. */
  dualBound: number;
  nodes: number;
}

function objectiveOf(cols: Column[], values: Float64Array): number {
  return cols.reduce((a, c, j) => a + c.cost * values[j]!, 0);
}

/** The rows that join sites (AI demand, networks, re-hosting budget) and each column's site (-1: none). */
function blockStructure(p: SolveProblem, rows: Rows, cols: Column[]): BlockStructure {
  const linking = [rows.aiDemand, rows.network, rows.rehostBudget].flatMap((b) =>
    Array.from({ length: b.count }, (_, i) => b.row(i)),
  );
  const blockOf = Int32Array.from(cols, (c) =>
    c.kind === 'sunk' ? c.option : c.cell >= 0 ? p.cells[c.cell]!.siteIndex : -1,
  );
  return { linking, blockOf, blocks: p.sites.length };
}

interface BlockStructure {
  /** Rows of the whole layout that join blocks. */
  linking: number[];
  blockOf: Int32Array;
  blocks: number;
}

/** The model HiGHS is given: the columns over the rows that can bind (bindingRows), as CSC. */
interface Model {
  lp: LpData;
  kept: ReturnType<typeof bindingRows>;
}

function buildModel(highs: Highs, cols: Column[], nRows: number, rowUpper: Float64Array): Model {
  const kept = bindingRows(cols, nRows, rowUpper);
  const starts = new Int32Array(cols.length + 1);
  let nnz = 0;
  cols.forEach((c, j) => {
    starts[j] = nnz;
    for (const r of c.rows) if (kept.index[r]! >= 0) nnz++;
  });
  starts[cols.length] = nnz;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (const c of cols)
    for (let i = 0; i < c.rows.length; i++) {
      const r = kept.index[c.rows[i]!]!;
      if (r < 0) continue;
      indices[k] = r;
      values[k++] = c.coefs[i]!;
    }
  const mRows = kept.rows.length;
  reserveSolverMemory(highs, WASM_BYTES_PER_COLUMN * cols.length + WASM_BYTES_PER_ROW * mRows);
  const lp: LpData = {
    numCols: cols.length,
    numRows: mRows,
    colCost: Float64Array.from(cols, (c) => c.cost),
    colUpper: Float64Array.from(cols, (c) => c.upper),
    rowUpper: Float64Array.from(kept.rows, (r) => rowUpper[r]!),
    starts,
    indices,
    values,
  };
  return { lp, kept };
}

/** The LP relaxation: in one piece, or through the linking rows' prices (prices.ts) given `blocks`. */
function runLp(highs: Highs, { lp, kept }: Model, blocks: BlockStructure | null): LpRun {
  if (lp.numCols === 0) return { values: new Float64Array(0), objective: 0, rowDual: kept.expand([]) };
  const linking = blocks?.linking.map((r) => kept.index[r]!).filter((r) => r >= 0) ?? [];
  if (linking.length === 0) {
    const opt = runPlain(highs, lp, LP_OPTIONS);
    return { values: opt.values, objective: opt.objective, rowDual: kept.expand(opt.rowDual) };
  }
  const opt = solveByPrices(
    highs,
    lp,
    { linking, blockOf: blocks!.blockOf, blocks: blocks!.blocks },
    LP_OPTIONS,
  );
  const lpNote = opt.warm
    ? `; LP solved site by site at the prices of its ${linking.length} rows that join sites, then whole ` +
      `from that basis (${opt.iterations.toLocaleString('en-US')} simplex iterations)`
    : '; LP solved whole (the basis from the prices of its rows that join sites was not usable)';
  return { values: opt.values, objective: opt.objective, rowDual: kept.expand(opt.rowDual), lpNote };
}

/**
 * The MIP (devices integer, segments and sunk energy continuous). It stops on a node count, never on the
 * clock: its answer must not depend on the machine's load. No row duals (shadow prices come from the LP).
 */
function runMip(highs: Highs, lp: LpData, cols: Column[], maxNodes: number): MipRun {
  const { continuous: realType, integer: integerType } = highs.constants.variableType;
  const model = createLp(
    highs,
    lp,
    Int32Array.from(cols, (c) => (continuous(c) ? realType : integerType)),
  );
  try {
    model.options.set({ output_flag: false, mip_rel_gap: MIP_REL_GAP, mip_max_nodes: maxNodes });
    model.run();
    const status = model.getModelStatus();
    const mipInfo = readMipInfo(model);
    const sol = model.getSolution();
    if (status === highs.constants.modelStatus.optimal)
      return { values: sol.colValue, objective: model.getObjectiveValue(), optimal: true, ...mipInfo };
    // Node limit: keep the incumbent if HiGHS found one, else report nothing better than rounding.
    const feasible =
      status === highs.constants.modelStatus.solutionLimit &&
      Number(model.info.get('primal_solution_status')) === FEASIBLE &&
      sol.colValue.length === cols.length;
    return {
      values: sol.colValue,
      objective: feasible ? model.getObjectiveValue() : -Infinity,
      optimal: false,
      ...mipInfo,
    };
  } finally {
    model.dispose();
  }
}

/**
 * The rows that can bind: a row whose largest possible activity (every column at the bound that raises it)
 * stays within its upper bound constrains nothing, and an empty row neither; both are left out of the model
 * (a cell row whose columns' upper bounds sum to at most its count, a site whose devices cannot reach its
 * cap). Their duals are 0, which is a valid dual of the full model: the reduced model's optimum is the
 * full model's. `index[r]` is row r's index in the model, -1 when left out.
 */
export function bindingRows(
  cols: Column[],
  nRows: number,
  rowUpper: Float64Array,
): { rows: number[]; index: Int32Array; expand(dual: ArrayLike<number>): Float64Array } {
  const maxActivity = new Float64Array(nRows);
  const touched = new Uint8Array(nRows);
  for (const c of cols)
    for (let i = 0; i < c.rows.length; i++) {
      const r = c.rows[i]!;
      touched[r] = 1;
      if (c.coefs[i]! > 0) maxActivity[r]! += c.coefs[i]! * c.upper;
    }
  const index = new Int32Array(nRows).fill(-1);
  const rows: number[] = [];
  for (let r = 0; r < nRows; r++)
    if (touched[r] && maxActivity[r]! > rowUpper[r]! + 1e-9 * Math.max(1, Math.abs(rowUpper[r]!))) {
      index[r] = rows.length;
      rows.push(r);
    }
  return {
    rows,
    index,
    expand: (dual) => {
      const out = new Float64Array(nRows);
      rows.forEach((r, i) => {
        out[r] = dual[i]!;
      });
      return out;
    },
  };
}

/**
 * WebAssembly memory HiGHS reaches per column and row of an LP, reserved up front (highs.ts): measured 684 MB
 * at 380,998 columns and 128,573 rows (bench/solve dense, 5,000 sites, solved by prices).
 */
const WASM_BYTES_PER_COLUMN = 1_500;
const WASM_BYTES_PER_ROW = 1_000;

/** HiGHS' solution status "feasible" (info primal_solution_status): the MIP holds an incumbent. */
const FEASIBLE = 2;

/** Seconds after which an LP solve counts as runaway (an error, never a different answer). */
const LP_GUARD_S = 600;

/**
 * The LP's HiGHS options. No presolve: our column presolve (buildColumns) already drops what HiGHS' would, and
 * on these models HiGHS' own costs more than it saves (bench/solve: 3.7 s with it, 0.6 s without, 1,000
 * sites). The time limit only guards against a runaway solve, which fails loudly.
 */
const LP_OPTIONS = { output_flag: false, presolve: 'off', time_limit: LP_GUARD_S } as const;

function readMipInfo(model: { info: { get(name: string): number | bigint } }): {
  dualBound: number;
  nodes: number;
} {
  const bound = Number(model.info.get('mip_dual_bound'));
  return {
    dualBound: Number.isFinite(bound) ? bound : Infinity,
    nodes: Number(model.info.get('mip_node_count')),
  };
}

/**
 * Floor every device count (keeps every <= row feasible), then add single devices back where all rows still
 * fit and the device still pays: one try per device column the LP left fractional, the highest value first.
 * A device's value is its objective coefficient plus, on a network, the segment revenue its hashrate opens
 * (segments are filled in order of slope up to the fleet's hashrate, as the LP would); segments themselves
 * are continuous and set last from the rounded devices.
 */
export function roundDownAndRepair(
  cols: Column[],
  lpValues: Float64Array,
  rowUpper: Float64Array,
): Float64Array {
  const out = Float64Array.from(lpValues, (v, j) => (continuous(cols[j]!) ? 0 : Math.floor(v + 1e-7)));
  const used = new Float64Array(rowUpper.length);
  cols.forEach((c, j) => {
    for (let i = 0; i < c.rows.length; i++) used[c.rows[i]!]! += c.coefs[i]! * out[j]!;
  });
  const fill = segmentFill(cols);
  const room = (r: number) => rowUpper[r]! - used[r]!;
  const value = (c: Column) =>
    c.rows.reduce((a, r, i) => {
      const segs = fill.byRow.get(r);
      return segs && c.coefs[i]! < 0
        ? a + fill.value(segs, room(r) - c.coefs[i]!) - fill.value(segs, room(r))
        : a;
    }, c.cost);
  const order = cols
    .map((_, j) => j)
    .filter((j) => !continuous(cols[j]!) && lpValues[j]! - out[j]! > 1e-7)
    .map((j) => ({ j, v: value(cols[j]!) }))
    .sort((a, b) => b.v - a.v)
    .map((x) => x.j);
  for (const j of order) {
    const c = cols[j]!;
    if (out[j]! + 1 > c.upper) continue;
    if (!c.rows.every((r, i) => used[r]! + c.coefs[i]! <= rowUpper[r]! + 1e-9)) continue;
    if (!(value(c) > 1e-12)) continue;
    out[j]! += 1;
    c.rows.forEach((r, i) => {
      used[r]! += c.coefs[i]!;
    });
  }
  for (const [r, segs] of fill.byRow) {
    let left = Math.max(0, room(r));
    for (const j of segs) {
      out[j] = Math.min(cols[j]!.upper, left);
      left -= out[j]!;
    }
  }
  return out;
}

/** Segment columns by their network row, steepest first, and the value of filling them up to an amount. */
function segmentFill(cols: Column[]) {
  const byRow = new Map<number, number[]>();
  cols.forEach((c, j) => {
    if (!continuous(c)) return;
    const segs = byRow.get(c.rows[0]!) ?? [];
    segs.push(j);
    byRow.set(c.rows[0]!, segs);
  });
  for (const segs of byRow.values()) segs.sort((a, b) => cols[b]!.cost - cols[a]!.cost);
  const value = (segs: number[], amount: number) => {
    let left = Math.max(0, amount);
    let total = 0;
    for (const j of segs) {
      if (left <= 0) break;
      const x = Math.min(cols[j]!.upper, left);
      total += x * cols[j]!.cost;
      left -= x;
    }
    return total;
  };
  return { byRow, value };
}

/** Relative gap to the LP bound at which an integer allocation counts as optimal. */
const MIP_REL_GAP = 1e-6;

const METHOD: Record<Exclude<AllocationSolution['status'], 'mip-node-limit'>, string> = {
  optimal: 'HiGHS MIP, proven optimal (integer counts)',
  'lp-rounded': 'HiGHS LP optimum, rounded down to whole devices and repaired',
};

interface Solved {
  p: SolveProblem;
  cols: Column[];
  values: Float64Array;
  lp: LpRun;
  status: AllocationSolution['status'];
  method: string;
  rows: Rows;
  segmented: SegmentedNetwork[];
  /** The MIP's dual bound (Infinity when it did not run) and nodes it processed (null: not run). */
  mipBound: number;
  mipNodes: number | null;
}

function assemble(x: Solved, ms: number): AllocationSolution {
  const { p, cols, values, lp, status, rows } = x;
  const counts = cols.map((c, j) => (continuous(c) ? 0 : Math.round(values[j]!)));
  const fleetMhs = x.segmented.map(() => 0);
  cols.forEach((c, j) => {
    if (!continuous(c) && c.network !== undefined) fleetMhs[c.network]! += counts[j]! * c.mhs!;
  });
  // Exact R(F) shared in proportion to hashrate: USD/day per effective MH/s on each network.
  const avgUsdPerMhs = x.segmented.map((n, i) =>
    fleetMhs[i]! > 0 ? fleetRevenueUsdPerDay(n.terms, fleetMhs[i]!) / fleetMhs[i]! : 0,
  );
  const cells: CellResult[] = p.cells.map((c) => ({
    key: c.key,
    recommended: zeroByUse(),
    moved: 0,
    netUsdPerDay: 0,
    switchingUsdPerDay: 0,
    powerKw: 0,
    rehosted: 0,
    capexUsd: 0,
    capexUsdPerDay: 0,
  }));
  cols.forEach((col, j) => {
    const n = counts[j]!;
    if (n === 0) return;
    const o = p.cells[col.cell]!.options[col.option]!;
    const r = cells[col.cell]!;
    r.recommended[o.use] += n;
    r.netUsdPerDay +=
      n *
      (col.network === undefined
        ? o.netUsdPerDay
        : col.mhs! * avgUsdPerMhs[col.network]! - o.pooled!.costUsdPerDay);
    r.powerKw += n * o.wallKw;
    if (col.kind === 'added' || col.kind === 'rehost') {
      r.moved += n;
      r.switchingUsdPerDay += n * o.switchUsdPerDay;
    }
    if (col.kind === 'rehost') {
      r.rehosted += n;
      r.capexUsd += n * o.rehost!.capexUsd;
      r.capexUsdPerDay += n * o.rehost!.capexUsdPerDay;
    }
  });
  p.cells.forEach((c, i) => {
    const r = cells[i]!;
    r.recommended.idle = c.count - PAID_USES.reduce((a, u) => a + r.recommended[u], 0);
  });
  const sites = siteResults(p, cells, rows, lp.rowDual, x);
  const credit = sites.reduce((a, s) => a + (s.takeOrPay?.creditUsdPerDay ?? 0), 0);
  const objective =
    cells.reduce((a, r) => a + r.netUsdPerDay - r.switchingUsdPerDay - r.capexUsdPerDay, 0) + credit;
  const gaps = x.segmented.reduce((a, n) => a + n.revenue.maxGapUsdPerDay, 0);
  // The LP bound is reported as such; the proven gap uses the MIP's dual bound when that is tighter.
  const proven = Math.min(lp.objective, x.mipBound) + gaps;
  const gap = Math.max(0, proven - objective);
  return {
    status,
    objectiveUsdPerDay: objective,
    boundUsdPerDay: lp.objective + gaps,
    cells,
    sites,
    aiDemand: aiDemandResults(p, cells, rows, rows.aiDemand.read(lp.rowDual)),
    networks: networkResults(p, cells, x.segmented, fleetMhs, rows.network.read(lp.rowDual)),
    rehostBudget: budgetResult(p, cells, rows.rehostBudget.read(lp.rowDual)),
    stats: {
      variables: cols.length,
      constraints: rows.layout.nRows,
      solveMs: ms,
      method: x.method + (x.segmented.length ? NETWORK_METHOD : '') + gapNote(gap, proven),
      provenGapUsdPerDay: gap,
      mipNodes: x.mipNodes,
    },
  };
}

/** The proven gap as the method states it: USD/day and share of the bound. */
function gapNote(gapUsdPerDay: number, boundUsdPerDay: number): string {
  const pct = (gapUsdPerDay / Math.max(1, Math.abs(boundUsdPerDay))) * 100;
  const shown = pct < 1e-4 ? '< 0.0001' : pct.toPrecision(2);
  return `; proven gap to the best possible $${gapUsdPerDay.toFixed(2)}/day (${shown} %)`;
}

const NETWORK_METHOD =
  '; mining revenue shared with the rest of each network, R(F) = kept B F / (N + F), as secant segments';

function siteResults(
  p: SolveProblem,
  cells: CellResult[],
  rows: Rows,
  rowDual: ArrayLike<number>,
  x: Solved,
): AllocationSolution['sites'] {
  const duals = rows.sitePower.read(rowDual);
  const usedKw = new Float64Array(p.sites.length);
  cells.forEach((r, ci) => {
    usedKw[p.cells[ci]!.siteIndex]! += r.powerKw;
  });
  const sunkColumn = new Map<number, number>();
  x.cols.forEach((c, j) => {
    if (c.kind === 'sunk') sunkColumn.set(c.option, j);
  });
  return p.sites.map((s, i) => ({
    id: s.id,
    powerCapKw: s.powerCapKw,
    powerUsedKw: usedKw[i]!,
    shadowUsdPerKwDay: Math.max(0, duals[i]!),
    takeOrPay: s.takeOrPay ? takeOrPayResult(s.takeOrPay, x.values[sunkColumn.get(i) ?? -1] ?? 0) : null,
  }));
}

/** The minimum kW the rounded allocation's devices at a site draw (`coveredKw`), and its worth at the tariff. */
function takeOrPayResult(
  t: NonNullable<SolveProblem['sites'][number]['takeOrPay']>,
  coveredKw: number,
): NonNullable<AllocationSolution['sites'][number]['takeOrPay']> {
  return { minimumKw: t.minimumKw, coveredKw, creditUsdPerDay: coveredKw * t.tariffUsdPerKwDay };
}

function budgetResult(p: SolveProblem, cells: CellResult[], duals: number[]): RehostBudgetResult | null {
  if (!p.rehostBudget) return null;
  return {
    budgetUsd: p.rehostBudget.usd,
    usedUsd: cells.reduce((a, r) => a + r.capexUsd, 0),
    // the dual is USD/day per USD of budget; over the horizon that is USD per USD
    shadowUsdPerUsd: Math.max(0, duals[0]!) * p.rehostBudget.horizonDays,
  };
}

function aiDemandResults(
  p: SolveProblem,
  cells: CellResult[],
  rows: Rows,
  duals: number[],
): AllocationSolution['aiDemand'] {
  const used = new Map<string, number>();
  cells.forEach((r, ci) => {
    const c = p.cells[ci]!.aiClass;
    used.set(c, (used.get(c) ?? 0) + r.recommended.AI);
  });
  return rows.aiClasses.map((aiClass, i) => ({
    aiClass,
    capGpus: p.aiDemandCaps[aiClass]! as number | null,
    usedGpus: used.get(aiClass) ?? 0,
    shadowUsdPerGpuDay: Math.max(0, duals[i]!),
  }));
}

function networkResults(
  p: SolveProblem,
  cells: CellResult[],
  nets: SegmentedNetwork[],
  fleetMhs: number[],
  duals: number[],
): NetworkResult[] {
  return nets.map(({ terms, revenue }, i) => {
    const f = fleetMhs[i]!;
    return {
      coin: terms.coin,
      externalMhs: terms.externalMhs,
      fleetMhs: f,
      shareOfNetwork: f / (terms.externalMhs + f),
      revenueUsdPerDay: fleetRevenueUsdPerDay(terms, f),
      loneUsdPerMhsDay: loneUsdPerMhsDay(terms),
      marginalUsdPerMhsDay: marginalUsdPerMhsDay(terms, f),
      shadowUsdPerMhsDay: Math.max(0, duals[i]!),
      ...marginalCards(p, cells, terms, f),
      segments: revenue.segments.length,
      maxGapUsdPerDay: revenue.maxGapUsdPerDay,
    };
  });
}

/**
 * At the allocation's hashrate F: the mined card whose removal costs least (R(F) - R(F - h) - power) and
 * the idle card whose addition pays most (R(F + h) - R(F) - power - switching, none if it stays put).
 */
function marginalCards(
  p: SolveProblem,
  cells: CellResult[],
  terms: NetworkTerms,
  f: number,
): Pick<NetworkResult, 'lastCard' | 'nextCard'> {
  let last: MarginalCard | null = null;
  let next: MarginalCard | null = null;
  const card = (key: string, h: number, revenue: number, cost: number): MarginalCard => ({
    key,
    hashrateMhs: h,
    revenueUsdPerDay: revenue,
    usdPerMhsDay: revenue / h,
    costUsdPerDay: cost,
    netUsdPerDay: revenue - cost,
  });
  p.cells.forEach((c, ci) => {
    const o = c.options.find((x) => x.use === terms.coin);
    if (!o?.pooled) return;
    const h = o.pooled.hashrateMhs;
    const r = cells[ci]!.recommended;
    if (r[terms.coin] > 0) {
      const rev = fleetRevenueUsdPerDay(terms, f) - fleetRevenueUsdPerDay(terms, Math.max(0, f - h));
      const x = card(c.key, h, rev, o.pooled.costUsdPerDay);
      if (!last || x.netUsdPerDay < last.netUsdPerDay) last = x;
    }
    if (r.idle > 0) {
      const sw = r[terms.coin] < (c.current[terms.coin] ?? 0) ? 0 : o.switchUsdPerDay;
      const rev = fleetRevenueUsdPerDay(terms, f + h) - fleetRevenueUsdPerDay(terms, f);
      const x = card(c.key, h, rev, o.pooled.costUsdPerDay + sw);
      if (!next || x.netUsdPerDay > next.netUsdPerDay) next = x;
    }
  });
  return { lastCard: last, nextCard: next };
}
