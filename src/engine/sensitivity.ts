import type { Fleet } from '../domain/types.ts';
import type { Highs } from '../solve/highs.ts';
import { decide, type EngineContext } from './decide.ts';
import type { Decision } from '../domain/decision.ts';
import type { Sensitivity, SensitivityBar } from '../domain/analysis.ts';
import { applyWhatIf, type WhatIf } from './whatif.ts';
import { InputError } from '../errors.ts';
import type { OnProgress } from '../lib/progress.ts';
import { COINS } from '../domain/types.ts';

interface Lever {
  input: string;
  label: string;
  unit: string;
  base: number;
  at: (v: number) => WhatIf;
  clamp?: [number, number];
}

/** The inputs an operator does not control and that move income: prices, difficulty, tariffs, AI rent, AI demand. */
function levers(ctx: EngineContext, fleet: Fleet): Lever[] {
  const c = ctx.snapshot.coins;
  const out: Lever[] = [
    ...COINS.map((coin): Lever => ({
      input: `${coin} price`,
      label: `${coin} price`,
      unit: `USD/${coin}`,
      base: c[coin].priceUsd.value,
      at: (v) => ({ coinPriceUsd: { [coin]: v } }),
    })),
    ...COINS.map((coin): Lever => ({
      input: `${coin} difficulty`,
      label: `${coin} difficulty`,
      unit: 'difficulty',
      base: c[coin].difficulty.value,
      at: (v) => ({ difficulty: { [coin]: v } }),
    })),
    // Every site's tariff scaled by the same factor, so sites keep their differences.
    {
      input: 'electricity tariff',
      label: 'electricity tariff (all sites)',
      unit: 'x site tariff',
      base: 1,
      at: (f) => ({
        siteTariffUsdPerKwh: Object.fromEntries(
          fleet.sites.map((s) => [s.id, Math.min(5, s.tariffUsdPerKwh * f)]),
        ),
      }),
    },
    {
      input: 'AI rental price',
      label: 'AI rental price (cloud + marketplace)',
      unit: 'x price',
      base: 1,
      at: (f) => ({ aiPriceFactor: f }),
    },
    {
      input: 'AI utilisation',
      label: 'AI utilisation',
      unit: 'fraction of hours rented',
      base: ctx.config.ai.utilisation,
      at: (v) => ({ aiUtilisation: v }),
      clamp: [0, 1],
    },
  ];
  const caps = Object.entries(fleet.aiDemand);
  if (caps.length > 0) {
    out.push({
      input: 'AI demand',
      label: 'AI demand (GPUs renters take)',
      unit: 'x demand cap',
      base: 1,
      at: (f) => ({ aiDemandGpus: Object.fromEntries(caps.map(([cls, n]) => [cls, Math.round(n * f)])) }),
    });
  }
  return out;
}

/**
 * Which input moves fleet income most: each input alone at (1 - step) and (1 + step) of today's value,
 * the fleet re-optimised with the real decision code each time (a tornado). Pure apart from the solver.
 */
export function computeSensitivity(
  ctx: EngineContext,
  fleet: Fleet,
  highs: Highs,
  o: {
    step?: number;
    base?: Pick<Decision['totals'], 'netUsdPerDay' | 'byUse'>;
    /** Solves done of all (the base, then two per input; label: the input). */
    onProgress?: OnProgress;
  } = {},
): Sensitivity {
  const step = o.step ?? 0.2;
  const asOf = `${ctx.date ?? ctx.snapshot.date}T00:00:00Z`;
  if (!(step > 0 && step < 1))
    throw new InputError('step', `expected a fraction between 0 and 1 (exclusive), got ${step}`);
  const all = levers(ctx, fleet);
  const total = 2 * all.length + (o.base ? 0 : 1);
  let done = 0;
  const tick = <T>(label: string, solve: () => T): T => {
    o.onProgress?.(done, total, label);
    const r = solve();
    o.onProgress?.(++done, total, label);
    return r;
  };
  const run = (w: WhatIf, label: string) =>
    tick(label, () => {
      const x = applyWhatIf(ctx.snapshot, ctx.config, fleet, w, asOf, 'sensitivity');
      return decide({ ...ctx, snapshot: x.snapshot, config: x.config }, x.fleet, highs).totals;
    });
  const base = o.base ?? tick('base', () => decide(ctx, fleet, highs).totals);
  const bars = all
    .map((l): SensitivityBar => {
      const [lo, hi] = l.clamp ?? [0, Infinity];
      const lowValue = Math.max(lo, l.base * (1 - step));
      const highValue = Math.min(hi, l.base * (1 + step));
      const low = run(l.at(lowValue), `${l.input} -${pct(step)}`);
      const high = run(l.at(highValue), `${l.input} +${pct(step)}`);
      return {
        input: l.input,
        label: l.label,
        unit: l.unit,
        baseValue: l.base,
        lowValue,
        highValue,
        lowNetUsdPerDay: low.netUsdPerDay,
        highNetUsdPerDay: high.netUsdPerDay,
        swingUsdPerDay: Math.abs(high.netUsdPerDay - low.netUsdPerDay),
        lowByUse: low.byUse,
        highByUse: high.byUse,
      };
    })
    .sort((a, b) => b.swingUsdPerDay - a.swingUsdPerDay || a.input.localeCompare(b.input));
  return {
    fleet: fleet.name,
    snapshotId: ctx.snapshot.id,
    date: ctx.date ?? ctx.snapshot.date,
    unit: 'USD/day (fleet net after switching cost)',
    step,
    baseNetUsdPerDay: base.netUsdPerDay,
    baseByUse: base.byUse,
    bars,
    method:
      `one input at a time at -${pct(step)} and +${pct(step)} of today's value (others held), ` +
      `fleet re-optimised by the same solver each time; tariffs and AI demand caps scale every ` +
      `site/class together; utilisation is capped at 100%`,
  };
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
