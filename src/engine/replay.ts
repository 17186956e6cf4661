import type { Fleet, MarketSnapshot, ModelIncome, Use } from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import type { ReferenceData } from '../domain/reference.ts';
import type { Highs } from '../solve/highs.ts';
import { decide } from './decide.ts';
import { PAID_USES, countsOf, paidPart, type PaidUse } from '../domain/uses.ts';
import { allocationNetUsdPerDay, switchCostUsdPerDevice } from '../model/income.ts';

/**
 * Replay a fleet over past days with the real decision code. Each day t: realise every policy's
 * allocation at day t's incomes (switching costs when it changed), then decide t+1 from data <= t only.
 * Policies start in their own day-0 position without a switching cost.
 */
/** Fixed policies (every eligible device on one paid use, `always-RVN` ...), the daily optimum, hysteresis. */
export type PolicyName = `always-${PaidUse}` | 'daily-optimum' | 'hysteresis';
export const POLICIES: readonly PolicyName[] = [
  ...PAID_USES.map((u) => `always-${u}` as const),
  'daily-optimum',
  'hysteresis',
];

type Counts = Record<Use, number>;
export interface ReplayDay {
  date: string;
  snapshot: MarketSnapshot | null;
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
}

export interface PolicyResult {
  policy: PolicyName;
  totalNetUsd: number;
  netUsdPerGpuDay: number;
  switches: number;
  switchingCostUsd: number;
  worstMonth: { month: string; netUsd: number } | null;
  months: { month: string; netUsd: number }[];
  /**
   * Per day: net after the switching cost booked that day, running total, and devices moved by the decision
   * made that day.
   */
  daily: { date: string; netUsd: number; cumulativeUsd: number; moved: number }[];
  /** The allocation decided at the end of the last day (for the next day), per cell. */
  nextAllocation: Counts[];
}

export interface ReplayResult {
  from: string;
  to: string;
  daysReplayed: number;
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

export function replay(o: ReplayOptions): ReplayResult {
  const hy = o.hysteresis ?? { confirmDays: 3, safety: 2 };
  const devices = o.fleet.entries.reduce((a, e) => a + e.count, 0);
  const state = new Map<
    PolicyName,
    {
      alloc: Counts[] | null;
      total: number;
      switches: number;
      switchUsd: number;
      daily: PolicyResult['daily'];
      streak: number[];
    }
  >();
  for (const p of o.policies)
    state.set(p, {
      alloc: null,
      total: 0,
      switches: 0,
      switchUsd: 0,
      daily: [],
      streak: o.fleet.entries.map(() => 0),
    });
  const skipped: string[] = [];
  let replayed = 0;
  for (const day of o.days) {
    if (!day.snapshot) {
      skipped.push(day.date);
      continue;
    }
    const optimumState = state.get('daily-optimum');
    const current =
      optimumState?.alloc ?? o.fleet.entries.map((e) => ({ ...countsOf(e.count, e.current), idle: 0 }));
    const fleetNow: Fleet = {
      ...o.fleet,
      entries: o.fleet.entries.map((e, i) => ({
        ...e,
        current: paidPart(current[i]!),
      })),
    };
    const d = decide(
      { reference: o.reference, snapshot: day.snapshot, config: o.config, date: day.date },
      fleetNow,
      o.highs,
    );
    const incomes = d.cells.map((c) => c.income);
    const optimum = d.cells.map((c) => ({ ...c.recommended }));
    const aiClasses = d.cells.map((c) => c.aiClass);
    replayed++;
    for (const [p, s] of state) {
      // the position for today was decided yesterday (or is today's own decision on day 0, free of switching cost)
      const today = s.alloc ?? target(p, s, optimum, incomes, aiClasses, o.fleet, hy, null);
      const next = target(p, s, optimum, incomes, aiClasses, o.fleet, hy, today);
      // tomorrow's switching cost is booked today, when the decision is made, at the incomes it saw
      const cost = next.reduce((a, c, i) => a + switchCost(today[i]!, c, incomes[i]!, o.fleet.switching), 0);
      const m = next.reduce((a, c, i) => a + moved(today[i]!, c), 0);
      const net = today.reduce((a, c, i) => a + allocationNetUsdPerDay(c, incomes[i]!), 0) - cost;
      s.total += net;
      s.switches += m;
      s.switchUsd += cost;
      s.daily.push({ date: day.date, netUsd: net, cumulativeUsd: s.total, moved: m });
      s.alloc = next;
    }
  }
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
    return {
      policy,
      totalNetUsd: s.total,
      netUsdPerGpuDay: replayed && devices ? s.total / (replayed * devices) : 0,
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
  optimum: Counts[],
  incomes: ModelIncome[],
  aiClasses: string[],
  fleet: Fleet,
  hy: { confirmDays: number; safety: number },
  today: Counts[] | null,
): Counts[] {
  const fixed = PAID_USES.find((u) => p === `always-${u}`);
  if (fixed) return fixedPolicy(fixed, fleet, incomes, aiClasses);
  if (p === 'daily-optimum' || today === null) return optimum.map((c) => ({ ...c }));
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
