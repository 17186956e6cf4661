import type { Config } from '../config/schema.ts';
import type {
  DeviceModel,
  Fleet,
  FleetEntry,
  MarketSnapshot,
  ModelIncome,
  Quantity,
} from '../domain/types.ts';
import type { ReferenceData } from '../domain/reference.ts';
import type { Highs } from '../solve/highs.ts';
import type { SolveCell, SolveProblem } from '../solve/problem.ts';
import type { CellDecision, Decision, InputRow } from '../domain/decision.ts';
import type { AiRate } from '../domain/ai.ts';
import { estimateAiRates, aiClassOf } from '../model/ai.ts';
import { estimateModelIncome, switchCostUsdPerDevice, type IncomeInputs } from '../model/income.ts';
import { solveAllocation } from '../solve/allocation.ts';
import { uncappedAiDemand } from './ai-demand.ts';
import { daysBetween } from '../lib/time.ts';
import { InputError } from '../errors.ts';
import { HOURS_PER_DAY } from '../lib/num.ts';
import { isCoin } from '../domain/coins.ts';
import { COINS, USES } from '../domain/types.ts';
import { PAID_USES, countsOf, zeroByUse } from '../domain/uses.ts';
import { effectiveMhs, fleetNetworks, networkShare, valueAllocation } from './network.ts';
import { fleetHorizon, meterKw, type FleetHorizon } from './paths.ts';
import { rehostTerms } from '../model/paths.ts';
import { horizonPlan, cellHorizon, resaleWarnings } from './plan.ts';
import type { SolveOption } from '../solve/problem.ts';

/** Every market input of a snapshot with its age on the decision date. */
export function listInputs(snapshot: MarketSnapshot, date = snapshot.date): InputRow[] {
  const rows: InputRow[] = [];
  const add = (name: string, q: Quantity) =>
    rows.push({
      name,
      value: q.value,
      unit: q.unit,
      asOf: q.asOf,
      ageDays: ageDays(q.asOf, date),
      kind: q.kind,
      source: q.source,
      ...(q.method ? { method: q.method } : {}),
    });
  for (const c of COINS) {
    const m = snapshot.coins[c];
    add(`${c} price`, m.priceUsd);
    add(`${c} difficulty`, m.difficulty);
    add(`${c} height`, m.height);
    add(`${c} block reward`, m.blockRewardCoins);
  }
  for (const o of snapshot.cloud) {
    rows.push({
      name: `${o.provider} ${o.sku} ${o.priceType} (${o.cloudGpu} x${o.gpuCount}, ${o.region})`,
      value: o.usdPerGpuHour,
      unit: 'USD/GPU-hour',
      asOf: o.asOf,
      ageDays: ageDays(o.asOf, date),
      kind: o.kind,
      source: o.source,
      ...(o.method ? { method: o.method } : {}),
    });
  }
  for (const q of snapshot.marketplace) {
    rows.push({
      name: `${q.marketplace} ${q.tier} ${q.modelId}`,
      value: q.usdPerGpuHour,
      unit: 'USD/GPU-hour',
      asOf: q.asOf,
      ageDays: ageDays(q.asOf, date),
      kind: q.kind,
      source: q.source,
      ...(q.method ? { method: q.method } : {}),
    });
  }
  return rows;
}

function ageDays(asOf: string, date: string): number {
  const a = asOf.length === 7 ? `${asOf}-01` : asOf.slice(0, 10);
  return Math.max(0, Math.round(daysBetween(a, date)));
}

export interface EngineContext {
  reference: ReferenceData;
  snapshot: MarketSnapshot;
  config: Config;
  /** The day decided for (default: the snapshot's date); inputs are aged against it. */
  date?: string;
  /**
   * Whether the snapshot's difficulty already counts the fleet's current miners (default true: the fleet
   * mines on the real network today). A replay sets false: the historical network never held this fleet,
   * so the other miners N are the whole implied hashrate.
   */
  networkIncludesFleet?: boolean;
  /**
   * False for a day-by-day replay of allocation policies: no sell option and no re-hosting capex (a card
   * sold on one replayed day would be back the next). Default true: the horizon decision (issue 12).
   */
  horizonPaths?: boolean;
}

/** All models a decision may use: the catalogue plus the fleet's own devices. */
export function modelsWith(
  reference: ReferenceData,
  custom: readonly DeviceModel[] = [],
): Map<string, DeviceModel> {
  const all = new Map(reference.models);
  for (const m of custom) all.set(m.id, m);
  return all;
}

export function computeAiRates(ctx: EngineContext, models: Map<string, DeviceModel>): Map<string, AiRate> {
  return estimateAiRates(models.values(), ctx.snapshot, ctx.reference.cloudGpus, ctx.config.ai);
}

export interface SiteLike {
  id: string;
  tariffUsdPerKwh: number;
  pue: number;
}

/**
 * What the income model needs for one card of `model` at `site`: the one place decide, the income and
 * break-even tables and the horizon valuation build it. `snapshot` defaults to the context's (a horizon
 * passes each day's advanced snapshot instead).
 */
export function incomeInputsFor(
  ctx: Pick<EngineContext, 'snapshot' | 'config'>,
  site: SiteLike,
  model: DeviceModel,
  rates: ReadonlyMap<string, AiRate>,
  cmpPatched: boolean,
  snapshot: MarketSnapshot = ctx.snapshot,
): IncomeInputs {
  return {
    model,
    siteId: site.id,
    site,
    snapshot,
    aiRate: rates.get(model.id),
    cmpPatched,
    cfg: ctx.config,
  };
}

/**
 * Income of every catalogue model (or of `models` only) at one site (the `income` command and API). AI
 * rates are calibrated over the whole catalogue plus `models`, so one card's rate does not depend on
 * which other cards were asked for.
 */
export function computeIncomeTable(
  ctx: EngineContext,
  site: SiteLike,
  models = modelsWith(ctx.reference),
  cmpPatched = false,
): ModelIncome[] {
  const rates = computeAiRates(ctx, modelsWith(ctx.reference, [...models.values()]));
  return [...models.values()].map((model) =>
    estimateModelIncome(incomeInputsFor(ctx, site, model, rates, cmpPatched)),
  );
}

/**
 * A cell's options for the LP: each eligible paid use (AI with its re-hosting capex, each with its meter kW
 * for a take-or-pay minimum) and selling, when the model has a resale price.
 */
function cellOptions(
  income: ModelIncome,
  fleet: Fleet,
  horizon: FleetHorizon,
  i: number,
  uptime: number,
  paths: boolean,
  tariff: number,
): SolveOption[] {
  const h = horizon.entries[i]!;
  const uses = PAID_USES.filter((u) => u !== 'sell' && income.uses[u].eligible).map((u): SolveOption => {
    const x = income.uses[u];
    return {
      use: u,
      netUsdPerDay: x.netUsdPerDay,
      wallKw: x.wallPowerW / 1000,
      switchUsdPerDay: switchCostUsdPerDevice(x.netUsdPerDay, fleet.switching) / fleet.switching.horizonDays,
      meterKw: meterKw(x.powerCostUsdPerDay, tariff),
      ...(isCoin(u)
        ? { pooled: { hashrateMhs: effectiveMhs(x, uptime), costUsdPerDay: x.powerCostUsdPerDay } }
        : {}),
      ...(paths && u === 'AI' && notAllAiReady(fleet.entries[i]!)
        ? { rehost: rehostTerms(h.rehostCapexUsd, horizon.days) }
        : {}),
    };
  });
  if (!paths || h.sellUsdPerDay === null) return uses;
  return [...uses, { use: 'sell', netUsdPerDay: h.sellUsdPerDay, wallKw: 0, switchUsdPerDay: 0 }];
}

/**
 * Whether some of an entry's devices sit outside AI-ready servers: those must be re-hosted to rent for AI,
 * and count as re-hosted even when the re-hosting capex is set to 0 (a what-if), not as AI-ready.
 */
function notAllAiReady(e: FleetEntry): boolean {
  return aiReadyCount(e) < e.count;
}

/**
 * Cards of an entry already in AI-ready servers: the fleet file's aiReady, else those renting today. The one
 * rule: the allocation's re-hosting options and the moves' reasons (engine/move-values.ts) both read it.
 */
export const aiReadyCount = (e: FleetEntry): number => e.aiReady ?? e.current.AI ?? 0;

/** The allocation for a fleet on the snapshot's day: per-cell incomes, then the solved split. */
export function decide(ctx: EngineContext, fleet: Fleet, highs: Highs): Decision {
  const models = modelsWith(ctx.reference, fleet.customModels);
  const rates = computeAiRates(ctx, models);
  const siteIndex = new Map(fleet.sites.map((s, i) => [s.id, i]));
  // Sites on the same terms (tariff, PUE) give a model the same income: computed once per such pair.
  const termsIds = new Map<string, number>();
  const termsOf = fleet.sites.map((s) => {
    const k = `${s.tariffUsdPerKwh}|${s.pue}`;
    if (!termsIds.has(k)) termsIds.set(k, termsIds.size);
    return termsIds.get(k)!;
  });
  const shared = new Map<string, ModelIncome>();
  const incomes = fleet.entries.map((e) => {
    const model = models.get(e.model);
    if (!model) throw new InputError('fleet', `unknown GPU model "${e.model}"`);
    const si = siteIndex.get(e.site)!;
    const site = fleet.sites[si]!;
    const key = `${termsOf[si]}|${e.cmpPatched ? 1 : 0}|${model.id}`;
    let income = shared.get(key);
    if (!income) {
      income = estimateModelIncome(incomeInputsFor(ctx, site, model, rates, e.cmpPatched));
      shared.set(key, income);
    } else if (income.siteId !== site.id) income = { ...income, siteId: site.id };
    return { e, model, income, si };
  });
  const uptime = ctx.config.mining.uptime;
  const currents = incomes.map(({ e, income }) => ({ counts: countsOf(e.count, e.current), income }));
  const inNetwork = ctx.networkIncludesFleet === false ? [] : currents;
  const networks = fleetNetworks(ctx.snapshot, ctx.config, inNetwork);
  const horizon = fleetHorizon(fleet, models, ctx.config, ctx.date ?? ctx.snapshot.date);
  const cells: SolveCell[] = incomes.map(({ e, model, income, si }, i) => ({
    key: `${e.site}/${e.model}${e.cmpPatched ? '(patched)' : ''}`,
    siteIndex: si,
    aiClass: aiClassOf(model.vramGiB),
    count: e.count,
    current: e.current,
    aiReady: aiReadyCount(e),
    options: cellOptions(
      income,
      fleet,
      horizon,
      i,
      uptime,
      ctx.horizonPaths !== false,
      fleet.sites[si]!.tariffUsdPerKwh,
    ),
  }));
  const problem: SolveProblem = {
    cells,
    sites: fleet.sites.map((s, i) => {
      const minimumKw = horizon.sites[i]!.takeOrPayKw;
      return {
        id: s.id,
        powerCapKw: s.powerCapKw,
        ...(minimumKw !== null
          ? { takeOrPay: { minimumKw, tariffUsdPerKwDay: s.tariffUsdPerKwh * HOURS_PER_DAY } }
          : {}),
      };
    }),
    aiDemandCaps: fleet.aiDemand,
    networks: networks.map((n) => n.terms),
    ...(fleet.rehostBudgetUsd !== undefined
      ? { rehostBudget: { usd: fleet.rehostBudgetUsd, horizonDays: horizon.days } }
      : {}),
  };
  const solution = solveAllocation(highs, problem);
  const currentNet = valueAllocation(currents, problem.networks!, uptime);
  const decided: CellDecision[] = incomes.map(({ e, model, income }, i) => {
    const r = solution.cells[i]!;
    const current = currents[i]!.counts;
    return {
      site: e.site,
      model: e.model,
      modelName: model.name,
      cmpPatched: e.cmpPatched,
      count: e.count,
      aiClass: cells[i]!.aiClass,
      current,
      recommended: r.recommended,
      moved: r.moved,
      income,
      netUsdPerDay: r.netUsdPerDay,
      currentNetUsdPerDay: currentNet[i]!,
      horizon: cellHorizon(r, horizon, i, fleet.switching.horizonDays),
    };
  });
  const plan = horizonPlan(decided, horizon, solution);
  const demand = uncappedAiDemand(fleet, decided);
  const byUse = zeroByUse();
  for (const c of decided) for (const u of USES) byUse[u] += c.recommended[u];
  const devices = decided.reduce((a, c) => a + c.count, 0);
  const gross = decided.reduce((a, c) => a + c.netUsdPerDay, 0);
  const switching = solution.cells.reduce((a, c) => a + c.switchingUsdPerDay, 0);
  const capex = solution.cells.reduce((a, c) => a + c.capexUsdPerDay, 0);
  const credit = solution.sites.reduce((a, s) => a + (s.takeOrPay?.creditUsdPerDay ?? 0), 0);
  // All of the sites' fixed costs: a sold card's avoided share is already in its sale value (sellUsdPerDay),
  // so subtracting the plan's fixed costs (net of that share) here would count the saving twice.
  const fixed = decided.reduce((a, c, i) => a + horizon.entries[i]!.fixedUsdPerDay * c.count, 0);
  const net = gross - switching - capex + credit - fixed;
  return {
    date: ctx.date ?? ctx.snapshot.date,
    snapshotId: ctx.snapshot.id,
    fleet: fleet.name,
    cells: decided,
    solution: { ...solution, aiDemand: [...solution.aiDemand, ...demand.rows] },
    totals: {
      devices,
      byUse,
      netUsdPerDay: net,
      netUsdPerDevicePerDay: devices ? net / devices : 0,
      switchingUsdPerDay: switching,
      capexUsdPerDay: capex,
      fixedUsdPerDay: fixed,
      takeOrPayCreditUsdPerDay: credit,
      currentNetUsdPerDay: decided.reduce((a, c) => a + c.currentNetUsdPerDay, 0),
      moved: solution.cells.reduce((a, c) => a + c.moved, 0),
    },
    networks: solution.networks.map((r, i) => networkShare(r, networks[i]!)),
    plan,
    inputs: listInputs(ctx.snapshot, ctx.date ?? ctx.snapshot.date),
    warnings: [...resaleWarnings(decided), ...demand.warnings],
  };
}
