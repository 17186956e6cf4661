import type { Fleet, MarketSnapshot, Use } from '../domain/types.ts';
import type { Highs } from '../solve/highs.ts';
import type { Decision } from '../domain/decision.ts';
import type { AdviceFragility, DifficultyBreakEven, FlipPoint, InputFlip } from '../domain/analysis.ts';
import { COINS, USES } from '../domain/types.ts';
import { formatInteger, formatNumber } from '../lib/format.ts';
import { difficultyAtZeroNet } from '../analysis/breakeven.ts';
import { checkReason, freshnessTier } from '../analysis/freshness.ts';
import { decide, type EngineContext } from './decide.ts';
import { applyWhatIf, type WhatIf } from './whatif.ts';
import { daysBetween } from '../lib/time.ts';
import { cacheKey, readCached, writeCached } from './result-cache.ts';
import { resaleFit } from './paths.ts';
import { projectionSpan } from './plan.ts';
import { modelLabel } from '../domain/labels.ts';

/** Share of the fleet's devices that must change use for the advice to count as changed. */
export const FLIP_SHARE = 0.05;
/** Prices, difficulties and the AI price factor are searched from today's value / 10 to x 10. */
const LOG_SPAN = 10;
/** Grid steps (fractions of the way to the search bound, in log space for log inputs) before bisection. */
const GRID = [0.18, 0.48, 1];
const BISECTIONS = 5;

/** Per coin and fleet cell: the difficulty at which mining nets zero (closed form: difficultyAtZeroNet). */
export function difficultyBreakEvens(snapshot: MarketSnapshot, d: Decision): DifficultyBreakEven[] {
  return COINS.map((coin) => {
    const q = snapshot.coins[coin].difficulty;
    return {
      coin,
      unit: q.unit,
      current: q.value,
      asOf: q.asOf,
      kind: q.kind,
      cells: d.cells.map((c) => {
        const u = c.income.uses[coin];
        return {
          site: c.site,
          model: modelLabel(c),
          count: c.count,
          netUsdPerDay: u.eligible ? u.netUsdPerDay : null,
          atZeroNet: difficultyAtZeroNet(u, q.value),
        };
      }),
      method:
        "revenue and fees scale with 1 / difficulty, power does not: D at zero net = today's D x " +
        '(revenue - fees) / power cost, per device at its site (price, reward, tariff held at today)',
    };
  });
}

/** The unit of an input that is a factor on today's figures (shown as x0.50, not as a value). */
const FACTOR_UNIT = "x today's quotes";
/** Factor inputs have a unit "x <what x1 is>". */
const isFactor = (unit: string) => unit.startsWith('x ');

/** One input as the search sees it: moved by `factor` (1 = today) through a what-if. */
interface Probe {
  /** Log inputs are multiplied by the factor; linear ones set to it (the factor is then the value). */
  log: boolean;
  start: number;
  range: [number, number];
  at: (factor: number) => WhatIf;
  /** Directions that only worsen a use no device has today: the optimum cannot change there. */
  inert: Direction[];
}
type Direction = 'below' | 'above';

/** An input shown to the user, read off a probe: `invert` when it moves income the other way (difficulty). */
interface View {
  input: string;
  unit: string;
  value: number;
  kind: string;
  asOf: string | null;
  ageDays: number | null;
  why: string;
  invert: boolean;
}

/**
 * The inputs that are approximate, assumed or not fresh, grouped by probe. A coin's income depends on its
 * price and difficulty only through price / difficulty, so one probe (the price) answers both: the price
 * at factor f acts exactly as the difficulty at 1 / f.
 */
function probes(ctx: EngineContext, d: Decision): { probe: Probe; views: View[] }[] {
  const tiered = d.inputs.map((r) => ({ ...r, tier: freshnessTier(r.ageDays, ctx.config.freshness) }));
  const unused = (u: Use) => d.totals.byUse[u] === 0;
  const out: { probe: Probe; views: View[] }[] = [];
  for (const coin of COINS) {
    const views = (['price', 'difficulty'] as const).flatMap((what): View[] => {
      const r = tiered.find((x) => x.name === `${coin} ${what}`)!;
      if (!checkReason(r)) return [];
      const why =
        `${r.kind}, as of ${r.asOf.slice(0, 10)} ` +
        `(${n0(r.ageDays)} days old${r.tier === 'fresh' ? '' : `: ${r.tier}`})`;
      return [{ ...pick(r), why, invert: what === 'difficulty' }];
    });
    if (views.length === 0) continue;
    const price = ctx.snapshot.coins[coin].priceUsd.value;
    out.push({
      probe: {
        log: true,
        start: 1,
        range: [1 / LOG_SPAN, LOG_SPAN],
        at: (f) => ({ coinPriceUsd: { [coin]: price * f } }),
        inert: unused(coin) ? ['below'] : [],
      },
      views,
    });
  }
  const quotes = tiered.filter((r) => r.unit === 'USD/GPU-hour');
  const soft = quotes.filter((r) => checkReason(r) !== null);
  if (soft.length > 0) {
    const newest = quotes.reduce((a, b) => (b.asOf > a.asOf ? b : a));
    out.push({
      probe: {
        log: true,
        start: 1,
        range: [1 / LOG_SPAN, LOG_SPAN],
        at: (f) => ({ aiPriceFactor: f }),
        inert: unused('AI') ? ['below'] : [],
      },
      views: [
        {
          input: 'AI rental prices',
          unit: FACTOR_UNIT,
          value: 1,
          kind: 'mixed',
          asOf: newest.asOf,
          ageDays: newest.ageDays,
          why:
            `${soft.length} of ${quotes.length} cloud and marketplace quotes approximate, assumed or not ` +
            `fresh; the newest as of ${newest.asOf.slice(0, 10)} (${n0(newest.ageDays)} days old)`,
          invert: false,
        },
      ],
    });
  }
  out.push(...horizonProbes(ctx, d));
  const util = ctx.config.ai.utilisation;
  out.push({
    probe: {
      log: false,
      start: util,
      range: [0, 1],
      at: (v) => ({ aiUtilisation: v }),
      inert: unused('AI') ? ['below'] : [],
    },
    views: [
      {
        input: 'AI utilisation',
        unit: 'fraction of hours rented',
        value: util,
        kind: 'assumed',
        asOf: null,
        ageDays: null,
        why: 'assumed (config ai.utilisation)',
        invert: false,
      },
    ],
  });
  return out;
}

/** Re-hosting capex keys (config rehost.*), USD per GPU; the schema caps each at this. */
const REHOST_KEYS = ['consumer', 'workstation', 'datacenter', 'cmp'] as const;
const REHOST_MAX_USD = 100_000;

/**
 * The horizon decision's assumed inputs: the resale price factor (on prices projected past their data)
 * and the re-hosting capex per GPU (every class scaled together). Skipped when they cannot matter: no
 * horizon paths, no card with a price, or no capex anywhere.
 */
function horizonProbes(ctx: EngineContext, d: Decision): { probe: Probe; views: View[] }[] {
  if (ctx.horizonPaths === false) return [];
  const out: { probe: Probe; views: View[] }[] = [];
  const date = ctx.date ?? ctx.snapshot.date;
  const proj = d.cells.flatMap((c) => (c.horizon.resaleProjection ? [c.horizon.resaleProjection] : []));
  const factor = ctx.config.resale.priceFactor;
  if (proj.length && factor > 0) {
    const { lastObserved: last, months } = projectionSpan(proj);
    const ageDays = Math.round(daysBetween(last, date));
    out.push({
      probe: {
        log: true,
        start: 1,
        range: [1 / LOG_SPAN, Math.min(LOG_SPAN, 10 / factor)],
        at: (f) => ({ config: { 'resale.priceFactor': factor * f } }),
        inert: d.totals.byUse.sell === 0 ? ['below'] : [],
      },
      views: [
        {
          input: 'Resale prices',
          unit: 'x the projected used-market price',
          value: factor,
          kind: 'assumed',
          asOf: last,
          ageDays,
          why:
            `assumed: the last observed used-market prices (from ${last.slice(0, 7)}, ${n0(ageDays)} days ` +
            `old) projected ${months} months by one fitted ` +
            `depreciation rate, x resale.priceFactor ${factor}`,
          invert: false,
        },
      ],
    });
  }
  const capex = REHOST_KEYS.map((k) => ctx.config.rehost[`${k}UsdPerGpu`]);
  if (capex.some((v) => v > 0) && d.cells.some((c) => c.horizon.rehostCapexUsdPerGpu > 0)) {
    const top = Math.max(...capex);
    out.push({
      probe: {
        log: true,
        start: 1,
        range: [1 / LOG_SPAN, Math.min(LOG_SPAN, REHOST_MAX_USD / top)],
        at: (f) => ({
          config: Object.fromEntries(REHOST_KEYS.map((k, i) => [`rehost.${k}UsdPerGpu`, capex[i]! * f])),
        }),
        inert: d.plan.rehosted === 0 ? ['above'] : [],
      },
      views: [
        {
          input: 'Re-hosting capex per GPU',
          unit: 'x the configured re-hosting capex',
          value: 1,
          kind: 'assumed',
          asOf: null,
          ageDays: null,
          why:
            'assumed (config rehost.*: ' +
            REHOST_KEYS.map((k, i) => `${k} $${n0(capex[i]!)}`).join(', ') +
            ' per GPU moved into an AI server)',
          invert: false,
        },
      ],
    });
  }
  return out;
}

function pick(r: Decision['inputs'][number]): Omit<View, 'why' | 'invert'> {
  return { input: r.name, unit: r.unit, value: r.value, kind: r.kind, asOf: r.asOf, ageDays: r.ageDays };
}

function movedDevices(base: Decision, other: Decision): number {
  return base.cells.reduce(
    (a, c, i) =>
      a + USES.reduce((s, u) => s + Math.max(0, other.cells[i]!.recommended[u] - c.recommended[u]), 0),
    0,
  );
}

/**
 * Which uncertain inputs could change the advice. Each input that is approximate, assumed or not fresh
 * (coin prices and difficulties, the AI rental quotes as one factor, AI utilisation) is moved alone away
 * from today's value, re-deciding the fleet with the real decision code, until at least FLIP_SHARE of the
 * devices would change use: a coarse grid towards the search bound, then bisection (to about 2 %).
 * Directions that only worsen a use no device has today are skipped: the optimum cannot change there.
 * With `ctx.dataDir` the answer is cached under <dataDir>/cache/fragility, keyed by every input.
 */
export function checkFragility(
  ctx: EngineContext & { dataDir?: string },
  fleet: Fleet,
  highs: Highs,
  base: Decision,
): AdviceFragility {
  if (ctx.dataDir === undefined) return searchFragility(ctx, fleet, highs, base);
  // A pure function of these inputs (and the code): kept under the data folder, so the daily job's search
  // serves the day's later advise calls, and a repeated what-if its repeats.
  const key = fragilityKey(ctx, fleet, base);
  const hit = readCached<AdviceFragility>(ctx.dataDir, 'fragility', key);
  if (hit) return hit;
  const found = searchFragility(ctx, fleet, highs, base);
  writeCached(ctx.dataDir, 'fragility', key, found);
  return found;
}

/**
 * The warnings search's answer when an earlier checkFragility with the same inputs left it under
 * <dataDir>/cache/fragility, else undefined; never searches (the summary view's cheap look).
 */
export function cachedFragility(
  ctx: EngineContext & { dataDir?: string },
  fleet: Fleet,
  base: Decision,
): AdviceFragility | undefined {
  if (ctx.dataDir === undefined) return undefined;
  return readCached<AdviceFragility>(ctx.dataDir, 'fragility', fragilityKey(ctx, fleet, base));
}

function fragilityKey(ctx: EngineContext, fleet: Fleet, base: Decision): string {
  return cacheKey(FRAGILITY_CACHE_VERSION, {
    snapshot: ctx.snapshot,
    config: ctx.config,
    reference: ctx.reference,
    date: ctx.date ?? null,
    networkIncludesFleet: ctx.networkIncludesFleet ?? null,
    horizonPaths: ctx.horizonPaths ?? null,
    // decide() reads the resale table (data/reference/resale.json and its eBay series) itself, not from ctx
    resale: ctx.horizonPaths === false ? null : resaleFit().table,
    fleet,
    base: base.cells.map((c) => USES.map((u) => c.recommended[u])),
  });
}

/** Bump when the shape or meaning of a cached AdviceFragility changes. */
const FRAGILITY_CACHE_VERSION = 1;

function searchFragility(ctx: EngineContext, fleet: Fleet, highs: Highs, base: Decision): AdviceFragility {
  const asOf = `${ctx.date ?? ctx.snapshot.date}T00:00:00Z`;
  const threshold = Math.max(1, Math.ceil(FLIP_SHARE * base.totals.devices));
  const inputs = probes(ctx, base).flatMap(({ probe, views }) => {
    const decideAt = (v: number) => {
      const w = applyWhatIf(ctx.snapshot, ctx.config, fleet, probe.at(v), asOf, 'fragility');
      return decide({ ...ctx, snapshot: w.snapshot, config: w.config }, w.fleet, highs);
    };
    const found = {
      below: probe.inert.includes('below') ? null : searchFlip(probe, 'below', decideAt, base, threshold),
      above: probe.inert.includes('above') ? null : searchFlip(probe, 'above', decideAt, base, threshold),
    };
    return views.map((v) => toInputFlip(v, probe, found));
  });
  return {
    thresholdDevices: threshold,
    inputs,
    warnings: inputs.flatMap((f) => (f.below || f.above ? [warningLine(f, base)] : [])),
    method:
      `each approximate, assumed or not-fresh input moved alone (prices, difficulties, AI quotes, the ` +
      `resale price factor and re-hosting capex from / ${LOG_SPAN} to x ${LOG_SPAN}, utilisation ` +
      `0-100 %), the fleet re-decided each time; ` +
      `the advice counts as changed when at least ${Math.round(FLIP_SHARE * 100)} % of devices ` +
      `(${n0(threshold)}) change use`,
  };
}

/** A probe's flips in the units of one input (a difficulty reads the price probe inverted). */
function toInputFlip(v: View, probe: Probe, found: Record<Direction, FlipPoint | null>): InputFlip {
  const scale = (p: FlipPoint | null): FlipPoint | null => {
    if (!p) return null;
    const ratio = probe.log ? (v.invert ? 1 / p.ratio : p.ratio) : p.at / v.value;
    return { ...p, at: probe.log ? v.value * ratio : p.at, ratio };
  };
  const { invert, ...rest } = v;
  const lo = probe.log ? v.value * probe.range[0] : probe.range[0];
  const hi = probe.log ? v.value * probe.range[1] : probe.range[1];
  return invert
    ? { ...rest, below: scale(found.above), above: scale(found.below), range: [lo, hi] }
    : { ...rest, below: scale(found.below), above: scale(found.above), range: [lo, hi] };
}

function searchFlip(
  probe: Probe,
  dir: Direction,
  decideAt: (v: number) => Decision,
  base: Decision,
  threshold: number,
): FlipPoint | null {
  const end = dir === 'below' ? probe.range[0] : probe.range[1];
  const from = probe.start;
  if (end === from) return null;
  const point = (t: number) => (probe.log ? from * (end / from) ** t : from + (end - from) * t);
  const flips = (t: number) => {
    const d = decideAt(point(t));
    return movedDevices(base, d) >= threshold ? d : null;
  };
  let inside = 0;
  for (const t of GRID) {
    let hit = flips(t);
    if (!hit) {
      inside = t;
      continue;
    }
    let outside = t;
    for (let i = 0; i < BISECTIONS; i++) {
      const mid = (inside + outside) / 2;
      const d = flips(mid);
      if (d) [outside, hit] = [mid, d];
      else inside = mid;
    }
    const at = point(outside);
    return { at, ratio: at / from, movedDevices: movedDevices(base, hit), byUse: hit.totals.byUse };
  }
  return null;
}

// numbers for people by the one rule of lib/format.ts (1.47 × 10¹⁵, 0.0055, 2,256)
const fmt = formatNumber;
const n0 = formatInteger;

function change(base: Decision, p: FlipPoint): string {
  const moves = USES.map((u) => [u, p.byUse[u] - base.totals.byUse[u]] as const).filter(([, n]) => n !== 0);
  return moves.length
    ? moves.map(([u, n]) => `${u} ${n > 0 ? '+' : ''}${n0(n)}`).join(', ')
    : 'the same totals per use on other cards';
}

/** One headline line: the input, its value, kind and age, and where the advice changes. */
export function warningLine(f: InputFlip, base: Decision): string {
  const factor = isFactor(f.unit);
  const parts = (['below', 'above'] as const).flatMap((dir) => {
    const p = f[dir];
    const where = factor ? `x${p?.ratio.toFixed(2)}` : `${fmt(p?.at ?? 0)} (x${p?.ratio.toFixed(2)})`;
    return p ? [`${dir} ${where}: ${n0(p.movedDevices)} devices change use (${change(base, p)})`] : [];
  });
  const value = factor ? `(x${fmt(f.value)} = ${f.unit.slice(2)})` : `${fmt(f.value)} ${f.unit}`;
  return `${f.input} ${value}: ${f.why}. The advice changes ${parts.join('; ')}.`;
}
