import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext } from './context.ts';
import { decide, type EngineContext } from './decide.ts';
import { checkFragility, difficultyBreakEvens } from './fragility.ts';
import { parseFleet } from '../config/fleet.ts';
import { loadSolver } from '../solve/highs.ts';
import { fleetHorizon } from './paths.ts';
import type { MarketSnapshot } from '../domain/types.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-fragility-')) });

// Solvable by hand: one site, ten RVN-only cards (no Autolykos2, no AI figures), no power or demand cap,
// no switching cost, all ten on RVN today. Mining nets zero where revenue after fees = power:
//   D* = H x 1e6 x 86,400 x R x price x (1 - fees) / (2^32 x W / 1000 x 24 h x tariff x PUE)
// (uptime multiplies revenue and power alike, so it cancels).
const H = 40; // MH/s
const W = 200;
const R = 2500;
const PRICE = 0.02;
const D0 = 100_000;
const SITE = { tariffUsdPerKwh: 0.05, pue: 1.1 };
const FEES = ctx.config.mining.poolFee + ctx.config.mining.minerDevFee;
const D_STAR = (H * 1e6 * 86_400 * R * PRICE * (1 - FEES)) / (2 ** 32 * (W / 1000) * 24 * 0.05 * 1.1);
const P_STAR = (PRICE * D0) / D_STAR;

const fleet = parseFleet(
  {
    name: 'hand-solvable',
    sites: [{ id: 'shed', name: 'Shed', powerCapKw: 1000, ...SITE }],
    gpus: [{ site: 'shed', model: 'rvn-card', count: 10, current: { RVN: 10 } }],
    switching: { downtimeHours: 0, fixedUsdPerGpu: 0, horizonDays: 30 },
    customModels: [
      {
        id: 'rvn-card',
        name: 'RVN-only test card',
        vendor: 'other',
        deviceClass: 'consumer',
        vramGiB: 24,
        boardPowerW: 250,
        videoOutputs: 0,
        kawpow: { hashrateMhs: H, powerW: W, hashrateSource: 'test', powerSource: 'test' },
        autolykos2: null,
        ai: null,
        missing: { autolykos2: 'test card: RVN only', ai: 'test card: no AI figures' },
      },
    ],
  },
  ctx.reference.models,
);

function market(edit: (s: MarketSnapshot) => void = () => {}): EngineContext {
  const s = structuredClone(ctx.snapshot);
  s.coins.RVN.priceUsd.value = PRICE;
  s.coins.RVN.difficulty.value = D0;
  s.coins.RVN.blockRewardCoins.value = R;
  edit(s);
  return { ...ctx, snapshot: s };
}

test('hand case: D* and p* are where the advice flips; difficulty reads the inverted price', async () => {
  assert.ok(D_STAR > 1.3 * D0 && D_STAR < 1.7 * D0, `D* = ${D_STAR}: inside the searched range`);
  const highs = await loadSolver();
  const c = market();
  const base = decide(c, fleet, highs);
  assert.equal(base.totals.byUse.RVN, 10);
  const f = checkFragility(c, fleet, highs, base);
  const by = (name: string) => f.inputs.find((i) => i.input === name)!;
  const diff = by('RVN difficulty');
  const price = by('RVN price');
  assert.ok(Math.abs(diff.above!.at / D_STAR - 1) < 0.02, `${diff.above!.at} vs D* ${D_STAR}`);
  assert.ok(Math.abs(price.below!.at / P_STAR - 1) < 0.02, `${price.below!.at} vs p* ${P_STAR}`);
  assert.deepEqual([diff.above!.movedDevices, diff.above!.byUse.idle], [10, 10]);
  // cheaper difficulty or dearer RVN only make mining better: all ten already mine, so no flip
  assert.equal(diff.below, null);
  assert.equal(price.above, null);
  // the card cannot mine ERG nor rent: those inputs are checked (old or assumed) but never flip
  for (const name of ['ERG price', 'ERG difficulty', 'AI utilisation'])
    assert.deepEqual([by(name).below, by(name).above], [null, null], name);
  assert.equal(f.thresholdDevices, 1);
  assert.equal(f.warnings.length, 2);
  assert.match(
    f.warnings.find((w) => w.startsWith('RVN difficulty'))!,
    new RegExp(
      '^RVN difficulty 100,000 .*: measured, as of .* days old: too-old\\)\\. The advice changes above ' +
        '[\\d,]+ \\(x1\\.\\d\\d\\): 10 devices change use \\(RVN -10, idle \\+10\\)\\.$',
    ),
  );
});

test('a fresh measured input is not checked; an old one is, even when the other is fresh', async () => {
  const highs = await loadSolver();
  const c = market((s) => {
    s.coins.RVN.priceUsd.asOf = s.date;
    s.coins.RVN.priceUsd.kind = 'measured';
  });
  const f = checkFragility(c, fleet, highs, decide(c, fleet, highs));
  assert.equal(
    f.inputs.find((i) => i.input === 'RVN price'),
    undefined,
  );
  const diff = f.inputs.find((i) => i.input === 'RVN difficulty')!;
  assert.ok(Math.abs(diff.above!.at / D_STAR - 1) < 0.02);
});

test('difficulty break-evens: the closed-form D* per cell, n/a where the card cannot mine', async () => {
  const highs = await loadSolver();
  const c = market();
  const [rvn, erg] = difficultyBreakEvens(c.snapshot, decide(c, fleet, highs));
  assert.deepEqual([rvn!.coin, erg!.coin], ['RVN', 'ERG']);
  assert.ok(Math.abs(rvn!.cells[0]!.atZeroNet! / D_STAR - 1) < 1e-9);
  assert.equal(erg!.cells[0]!.atZeroNet, null);
  assert.equal(rvn!.current, D0);
});

/** Ten cards of `model` mining RVN today at 0.05 USD/kWh, no switching cost; AI demand per class as given. */
const horizonFleet = (model: string, aiDemand: Record<string, number>) =>
  parseFleet(
    {
      name: 'horizon inputs',
      sites: [{ id: 'shed', name: 'Shed', powerCapKw: 1000, ...SITE }],
      gpus: [{ site: 'shed', model, count: 10, current: { RVN: 10 } }],
      switching: { downtimeHours: 0, fixedUsdPerGpu: 0, horizonDays: 30 },
      aiDemand,
    },
    ctx.reference.models,
  );

test('hand case: the resale price factor where mining cards would rather be sold', async () => {
  // RTX 3070s, no AI demand: each mines RVN for m/day or sells for f x (resale now - at the horizon end)
  // / days (the net resale's fee and logistics do not move the difference; no fixed costs). Flip: f* = m / d.
  const highs = await loadSolver();
  const fleet = horizonFleet('rtx-3070', { vram8: 0 });
  const base = decide(ctx, fleet, highs);
  assert.equal(base.cells[0]!.recommended.RVN, 10);
  const m = base.cells[0]!.income.uses.RVN.netUsdPerDay;
  const d = fleetHorizon(fleet, ctx.reference.models, ctx.config, ctx.snapshot.date).entries[0]!
    .sellUsdPerDay!;
  const fStar = m / d;
  assert.ok(fStar > 1.2 && fStar < 10, `f* = ${fStar}`);
  const f = checkFragility(ctx, fleet, highs, base);
  const resale = f.inputs.find((i) => i.input === 'Resale prices')!;
  assert.equal(resale.kind, 'assumed');
  assert.equal(resale.below, null, 'nobody sells today: a lower price cannot change that');
  // bisection lands on the flipping side within about 4 % (the network share moves m by < 0.1 %)
  const ratio = resale.above!.ratio;
  assert.ok(ratio >= fStar * 0.999 && ratio <= fStar * 1.05, `${ratio} vs f* ${fStar}`);
  assert.equal(resale.above!.byUse.sell, 10);
  assert.ok(
    f.warnings.some((w) => /^Resale prices \(x1 = the projected used-market price\): assumed/.test(w)),
  );
});

test('hand case: the re-hosting capex where cards would move into AI servers', async () => {
  // RTX 3090s mining RVN for m/day; AI nets a/day after a capex C spread over the horizon's H days. They
  // move when a - f C / H > m: below f* = (a - m) H / C (at today's capex they stay on RVN).
  const highs = await loadSolver();
  const fleet = horizonFleet('rtx-3090', { vram24: 1000 });
  const base = decide(ctx, fleet, highs);
  const c = base.cells[0]!;
  assert.equal(c.recommended.RVN, 10);
  const fStar =
    ((c.income.uses.AI.netUsdPerDay - c.income.uses.RVN.netUsdPerDay) * base.plan.days) /
    c.horizon.rehostCapexUsdPerGpu;
  assert.ok(fStar > 0.1 && fStar < 1, `f* = ${fStar}`);
  const f = checkFragility(ctx, fleet, highs, base);
  const capex = f.inputs.find((i) => i.input === 'Re-hosting capex per GPU')!;
  assert.equal(capex.above, null, 'nobody re-hosts today: dearer capex cannot change that');
  const ratio = capex.below!.ratio;
  assert.ok(ratio <= fStar * 1.001 && ratio >= fStar * 0.95, `${ratio} vs f* ${fStar}`);
  assert.equal(capex.below!.byUse.AI, 10);
});
