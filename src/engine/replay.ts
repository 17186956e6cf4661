import type {
  CloudOffer,
  Coin,
  CoinMarket,
  Fleet,
  MarketSnapshot,
  MarketplaceQuote,
  ModelIncome,
  Use,
  UseIncome,
} from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import type { ReferenceData } from '../domain/reference.ts';
import type { Highs } from '../solve/highs.ts';
import { COINS } from '../domain/types.ts';
import { decide, modelsWith } from './decide.ts';
import { PAID_USES, byUse, countsOf, paidPart, type PaidUse } from '../domain/uses.ts';
import { allocationNetUsdPerDay, switchCostUsdPerDevice } from '../model/income.ts';
import { estimateMiningIncome, ineligible } from '../model/mining.ts';
import { estimateAiIncome, estimateAiRates } from '../model/ai.ts';
import { InputError } from '../errors.ts';
import { aiClassOf as aiClassOfModel } from '../model/ai.ts';
import { addDays } from '../lib/time.ts';
import type { OnProgress } from '../lib/progress.ts';
import { POLICIES, type PolicyName } from './names.ts';

export { POLICIES, type PolicyName };

/**
 * Replay a fleet over past days with the real decision code. Each day t: realise every policy's
 * allocation at day t's incomes (switching costs when it changed), then decide t+1 from data <= t only.
 * A policy runs only on days that have every input it needs (policyNeeds); on other days it is refused
 * (not booked, the reason kept). It starts in its own day-0 position, on its first day, without a
 * switching cost.
 */

/** The uses whose inputs a policy needs: its own use; every coin (mining-optimum); every use. */
export function policyNeeds(p: PolicyName): readonly PaidUse[] {
  const fixed = PAID_USES.find((u) => p === `always-${u}`);
  if (fixed) return [fixed];
  return p === 'mining-optimum' ? COINS : PAID_USES;
}

type Counts = Record<Use, number>;

/** One replayed day's market: the coins with usable inputs, rental prices, and what is missing and why. */
export interface ReplayMarket {
  coins: Partial<Record<Coin, CoinMarket>>;
  cloud: CloudOffer[];
  marketplace: MarketplaceQuote[];
  /** Paid uses without the inputs they need this day, and why (policies needing them are refused). */
  missing: Partial<Record<PaidUse, string>>;
  notes: string[];
}

export interface ReplayDay {
  date: string;
  market: ReplayMarket;
}

/** A complete snapshot as a replay market (nothing missing). */
export function marketOf(s: MarketSnapshot): ReplayMarket {
  return { coins: s.coins, cloud: s.cloud, marketplace: s.marketplace, missing: {}, notes: s.notes };
}

/** The day's market as a snapshot the decision code takes, when every coin has its inputs. */
export function snapshotOf(date: string, m: ReplayMarket): MarketSnapshot | null {
  if (!COINS.every((c) => m.coins[c])) return null;
  return {
    id: `replay-${date}`,
    date,
    coins: m.coins as Record<Coin, CoinMarket>,
    cloud: m.cloud,
    marketplace: m.marketplace,
    notes: m.notes,
  };
}

export interface ReplayOptions {
  days: ReplayDay[];
  fleet: Fleet;
  reference: ReferenceData;
  config: Config;
  highs: Highs;
  policies: readonly PolicyName[];
  /**
   * Hysteresis: the gain must hold this many consecutive days and beat the switching cost x safety over the
   * horizon.
   */
  hysteresis?: { confirmDays: number; safety: number };
  /** Days replayed so far of all days (label: the day). */
  onProgress?: OnProgress;
}

/** A run of consecutive days a policy was refused for one reason. */
export interface RefusedSpan {
  from: string;
  to: string;
  days: number;
  reason: string;
}

export interface PolicyResult {
  policy: PolicyName;
  /** Uses whose inputs the policy needs. */
  needs: readonly PaidUse[];
  /** First and last day the policy ran (null: never). */
  activeFrom: string | null;
  activeTo: string | null;
  activeDays: number;
  refused: RefusedSpan[];
  totalNetUsd: number;
  netUsdPerGpuDay: number;
  switches: number;
  switchingCostUsd: number;
  worstMonth: { month: string; netUsd: number } | null;
  months: { month: string; netUsd: number }[];
  /**
   * Per day: net after the switching cost booked that day (switchingUsd), running total, the devices moved
   * by the decision made that day and the devices per use it decided for the next day.
   */
  daily: {
    date: string;
    netUsd: number;
    cumulativeUsd: number;
    moved: number;
    switchingUsd: number;
    next: Record<Use, number>;
  }[];
  /** The allocation decided at the end of the last day (for the next day), per cell. */
  nextAllocation: Counts[];
}

export interface ReplayResult {
  from: string;
  to: string;
  /** Days on which at least one policy ran. */
  daysReplayed: number;
  /** Days on which every policy was refused. */
  daysSkipped: string[];
  devices: number;
  policies: PolicyResult[];
}

function moved(from: Counts, to: Counts): number {
  return PAID_USES.reduce((a, u) => a + Math.max(0, to[u] - from[u]), 0);
}

/** Switching cost today of moving into `to` from `from`: downtime at the new use's net plus the fixed cost. */
function switchCost(from: Counts, to: Counts, inc: ModelIncome, s: Fleet['switching']): number {
  return PAID_USES.reduce(
    (a, u) =>
      a +
      Math.max(0, to[u] - from[u]) *
        switchCostUsdPerDevice(inc.uses[u].eligible ? inc.uses[u].netUsdPerDay : 0, s),
    0,
  );
}

/**
 * Every eligible device in `use`, the rest idle; AI takes no more GPUs per VRAM class than renters want
 * (scaled down evenly), and sites over their power cap scale down (floor).
 */
function fixedPolicy(use: PaidUse, fleet: Fleet, incomes: ModelIncome[], aiClasses: string[]): Counts[] {
  const out = fleet.entries.map((e, i) => {
    const ok = incomes[i]!.uses[use].eligible;
    return countsOf(e.count, { [use]: ok ? e.count : 0 });
  });
  if (use === 'AI') {
    for (const [cls, cap] of Object.entries(fleet.aiDemand)) {
      const idx = out.flatMap((_, i) => (aiClasses[i] === cls ? [i] : []));
      const want = idx.reduce((a, i) => a + out[i]!.AI, 0);
      if (want > cap) for (const i of idx) out[i]!.AI = Math.floor((out[i]!.AI * cap) / want);
    }
  }
  return capToSites(out, fleet, incomes);
}

/** Wall power of a site's cells under an allocation, kW. */
function siteKw(alloc: Counts[], fleet: Fleet, incomes: ModelIncome[], siteId: string): number {
  return fleet.entries.reduce(
    (a, e, i) =>
      e.site === siteId
        ? a + PAID_USES.reduce((b, u) => b + (alloc[i]![u] * incomes[i]!.uses[u].wallPowerW) / 1000, 0)
        : a,
    0,
  );
}

function capToSites(alloc: Counts[], fleet: Fleet, incomes: ModelIncome[]): Counts[] {
  const out = alloc.map((c) => ({ ...c }));
  for (const site of fleet.sites) {
    const kw = siteKw(out, fleet, incomes, site.id);
    if (kw <= site.powerCapKw) continue;
    const f = site.powerCapKw / kw;
    fleet.entries.forEach((e, i) => {
      if (e.site === site.id) for (const u of PAID_USES) out[i]![u] = Math.floor(out[i]![u] * f);
    });
  }
  for (const [i, c] of out.entries()) out[i] = countsOf(fleet.entries[i]!.count, c);
  return out;
}

function sitesOverCap(alloc: Counts[], fleet: Fleet, incomes: ModelIncome[]): Set<string> {
  return new Set(
    fleet.sites
      .filter((s) => siteKw(alloc, fleet, incomes, s.id) > s.powerCapKw * (1 + 1e-9))
      .map((s) => s.id),
  );
}

const IDLE: UseIncome = { ...ineligible('idle', ''), eligible: true };
delete IDLE.reason;

/** Per-cell incomes on a day some coin lacks inputs: the same income models, the missing uses ineligible. */
function partialIncomes(m: ReplayMarket, o: ReplayOptions): ModelIncome[] {
  const models = modelsWith(o.reference, o.fleet.customModels);
  const rates = estimateAiRates(models.values(), m, o.reference.cloudGpus, o.config.ai);
  return o.fleet.entries.map((e) => {
    const model = models.get(e.model);
    if (!model) throw new InputError('fleet', `unknown GPU model "${e.model}"`);
    const site = o.fleet.sites.find((s) => s.id === e.site)!;
    const uses = byUse((u): UseIncome => {
      if (u === 'idle') return IDLE;
      if (u === 'sell') return ineligible(u, 'selling is valued over a horizon, not in a replayed day');
      const why = m.missing[u];
      if (why) return ineligible(u, why);
      if (u === 'AI') return estimateAiIncome(model, rates.get(model.id), e.cmpPatched, site, o.config);
      return estimateMiningIncome(model, m.coins[u]!, site, o.config);
    });
    const ranked = Object.values(uses)
      .filter((x) => x.eligible)
      .sort((a, b) => b.netUsdPerDay - a.netUsdPerDay);
    const runnerUp = ranked[1] ?? ranked[0]!;
    return {
      modelId: model.id,
      modelName: model.name,
      siteId: site.id,
      uses,
      best: ranked[0]!.use,
      runnerUp: runnerUp.use,
      marginUsdPerDay: ranked[0]!.netUsdPerDay - runnerUp.netUsdPerDay,
    };
  });
}

/** The solved allocation for a day from `current`, with the day's cell incomes and AI classes. */
function solve(day: ReplayDay, snapshot: MarketSnapshot, o: ReplayOptions, current: Counts[]) {
  const fleetNow: Fleet = {
    ...o.fleet,
    entries: o.fleet.entries.map((e, i) => ({ ...e, current: paidPart(current[i]!) })),
  };
  // the real network of that day never held this fleet: N is the whole implied hashrate
  const ctx = {
    reference: o.reference,
    snapshot,
    config: o.config,
    date: day.date,
    networkIncludesFleet: false,
    horizonPaths: false,
  };
  return decide(ctx, fleetNow, o.highs);
}

export interface DayDecisions {
  incomes: ModelIncome[];
  aiClasses: string[];
  /** The optimum over every use (days with every input), from the daily optimum's position. */
  optimum: Counts[] | null;
  /** The optimum over the mining uses and idle (days with every coin), from that policy's position. */
  miningOptimum: Counts[] | null;
}

/**
 * A day's per-cell incomes (a use without its inputs is ineligible for the day's reason) and the optima
 * asked for (`positions`: the current allocation each optimum moves from; absent: not computed).
 */
export function dayDecisions(
  day: ReplayDay,
  o: ReplayOptions,
  positions: { optimum?: Counts[]; miningOptimum?: Counts[] },
): DayDecisions {
  const snapshot = snapshotOf(day.date, day.market);
  if (!snapshot) {
    const models = modelsWith(o.reference, o.fleet.customModels);
    const aiClasses = o.fleet.entries.map((e) => aiClassOfModel(models.get(e.model)?.vramGiB ?? 0));
    return { incomes: partialIncomes(day.market, o), aiClasses, optimum: null, miningOptimum: null };
  }
  const start = o.fleet.entries.map((e) => ({ ...countsOf(e.count, e.current), idle: 0 }));
  const d = solve(day, snapshot, o, positions.optimum ?? start);
  const incomes = d.cells.map((c) => ({
    ...c.income,
    uses: byUse((u) => {
      const why = u === 'idle' ? undefined : day.market.missing[u];
      return why ? ineligible(u, why) : c.income.uses[u];
    }),
  }));
  const complete = PAID_USES.every((u) => !day.market.missing[u]);
  const mining = positions.miningOptimum
    ? solve(day, { ...snapshot, cloud: [], marketplace: [] }, o, positions.miningOptimum)
    : null;
  return {
    incomes,
    aiClasses: d.cells.map((c) => c.aiClass),
    optimum: complete && positions.optimum ? d.cells.map((c) => ({ ...c.recommended })) : null,
    miningOptimum: mining ? mining.cells.map((c) => ({ ...c.recommended })) : null,
  };
}

interface PolicyState {
  alloc: Counts[] | null;
  total: number;
  switches: number;
  switchUsd: number;
  daily: PolicyResult['daily'];
  streak: number[];
  refused: RefusedSpan[];
}

function refuse(s: PolicyState, date: string, reason: string): void {
  const last = s.refused.at(-1);
  if (last && last.reason === reason && last.to === addDays(date, -1)) {
    last.to = date;
    last.days++;
  } else s.refused.push({ from: date, to: date, days: 1, reason });
}

/** Why policy `p` cannot run on this day (the first missing use it needs), or null. */
function refusal(p: PolicyName, m: ReplayMarket): string | null {
  const u = policyNeeds(p).find((x) => m.missing[x]);
  return u ? `${u}: ${m.missing[u]}` : null;
}

export function replay(o: ReplayOptions): ReplayResult {
  let step = 0;
  const hy = o.hysteresis ?? { confirmDays: 3, safety: 2 };
  const devices = o.fleet.entries.reduce((a, e) => a + e.count, 0);
  const state = new Map<PolicyName, PolicyState>();
  for (const p of o.policies)
    state.set(p, {
      alloc: null,
      total: 0,
      switches: 0,
      switchUsd: 0,
      daily: [],
      streak: o.fleet.entries.map(() => 0),
      refused: [],
    });
  const skipped: string[] = [];
  let replayed = 0;
  for (const day of o.days) {
    o.onProgress?.(step++, o.days.length, day.date);
    const active = [...state].filter(([p, s]) => {
      const why = refusal(p, day.market);
      if (why) refuse(s, day.date, why);
      return !why;
    });
    if (active.length === 0) {
      skipped.push(day.date);
      continue;
    }
    const start = o.fleet.entries.map((e) => ({ ...countsOf(e.count, e.current), idle: 0 }));
    const runs = (p: PolicyName) => active.some(([q]) => q === p);
    const positionOf = (p: PolicyName) => state.get(p)?.alloc ?? start;
    const decisions = dayDecisions(day, o, {
      ...(runs('daily-optimum') || runs('hysteresis') ? { optimum: positionOf('daily-optimum') } : {}),
      ...(runs('mining-optimum') ? { miningOptimum: positionOf('mining-optimum') } : {}),
    });
    replayed++;
    for (const [p, s] of active) {
      // the position for today was decided yesterday (or is today's own decision on day 0, free of switching cost)
      const { incomes } = decisions;
      const today = s.alloc ?? target(p, s, decisions, o.fleet, hy, null);
      const next = target(p, s, decisions, o.fleet, hy, today);
      // tomorrow's switching cost is booked today, when the decision is made, at the incomes it saw
      const cost = next.reduce((a, c, i) => a + switchCost(today[i]!, c, incomes[i]!, o.fleet.switching), 0);
      const m = next.reduce((a, c, i) => a + moved(today[i]!, c), 0);
      const net = today.reduce((a, c, i) => a + allocationNetUsdPerDay(c, incomes[i]!), 0) - cost;
      s.total += net;
      s.switches += m;
      s.switchUsd += cost;
      const byUseNext = byUse((u) => next.reduce((a, c) => a + c[u], 0));
      s.daily.push({
        date: day.date,
        netUsd: net,
        cumulativeUsd: s.total,
        moved: m,
        switchingUsd: cost,
        next: byUseNext,
      });
      s.alloc = next;
    }
  }
  o.onProgress?.(o.days.length, o.days.length, 'done');
  const policies: PolicyResult[] = [...state].map(([policy, s]) => {
    const months = new Map<string, { netUsd: number; days: number }>();
    for (const x of s.daily) {
      const k = months.get(x.date.slice(0, 7)) ?? { netUsd: 0, days: 0 };
      months.set(x.date.slice(0, 7), { netUsd: k.netUsd + x.netUsd, days: k.days + 1 });
    }
    const m = [...months].map(([month, v]) => ({ month, netUsd: v.netUsd }));
    const full = m.filter((x) => months.get(x.month)!.days >= 28);
    const worst = (full.length ? full : m).reduce<{ month: string; netUsd: number } | null>(
      (a, x) => (!a || x.netUsd < a.netUsd ? x : a),
      null,
    );
    const n = s.daily.length;
    return {
      policy,
      needs: policyNeeds(policy),
      activeFrom: s.daily[0]?.date ?? null,
      activeTo: s.daily.at(-1)?.date ?? null,
      activeDays: n,
      refused: s.refused,
      totalNetUsd: s.total,
      netUsdPerGpuDay: n && devices ? s.total / (n * devices) : 0,
      switches: s.switches,
      switchingCostUsd: s.switchUsd,
      worstMonth: worst,
      months: m,
      daily: s.daily,
      nextAllocation: s.alloc ?? [],
    };
  });
  return {
    from: o.days[0]?.date ?? '',
    to: o.days.at(-1)?.date ?? '',
    daysReplayed: replayed,
    daysSkipped: skipped,
    devices,
    policies,
  };
}

/** The allocation a policy holds next, decided from today's data (and its position `today`). */
function target(
  p: PolicyName,
  s: { streak: number[] },
  day: DayDecisions,
  fleet: Fleet,
  hy: { confirmDays: number; safety: number },
  today: Counts[] | null,
): Counts[] {
  const { incomes, aiClasses } = day;
  const fixed = PAID_USES.find((u) => p === `always-${u}`);
  if (fixed) return fixedPolicy(fixed, fleet, incomes, aiClasses);
  const optimum = p === 'mining-optimum' ? day.miningOptimum : day.optimum;
  if (!optimum) throw new Error(`${p} ran on a day without every input it needs (a replay bug)`);
  if (p !== 'hysteresis' || today === null) return optimum.map((c) => ({ ...c }));
  // hysteresis: per cell, move to the optimum only when its gain held for confirmDays and pays the switch
  // back `safety` times over the horizon
  const next = today.map((c, i) => {
    const gain = allocationNetUsdPerDay(optimum[i]!, incomes[i]!) - allocationNetUsdPerDay(c, incomes[i]!);
    const cost = switchCost(c, optimum[i]!, incomes[i]!, fleet.switching);
    s.streak[i] = gain > 0 && gain * fleet.switching.horizonDays > hy.safety * cost ? s.streak[i]! + 1 : 0;
    return s.streak[i]! >= hy.confirmDays ? { ...optimum[i]! } : { ...c };
  });
  // a mix of kept and moved cells can break a site's power cap: such sites take the solved optimum
  const over = sitesOverCap(next, fleet, incomes);
  return next.map((c, i) => (over.has(fleet.entries[i]!.site) ? { ...optimum[i]! } : c));
}
