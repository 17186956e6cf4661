import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext, openFleet } from './context.ts';
import { decide, type EngineContext } from './decide.ts';
import { parseFleet } from '../config/fleet.ts';
import { loadSolver } from '../solve/highs.ts';
import { deriveMoves } from './moves.ts';
import type { MovesSummary, ReasonKind } from '../domain/moves.ts';
import type { Decision } from '../domain/decision.ts';
import { USES } from '../domain/types.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-moves-')) });
const noSale: EngineContext = {
  ...ctx,
  config: { ...ctx.config, resale: { ...ctx.config.resale, priceFactor: 0 } },
};

type Gpu = { model: string; count: number; current: Record<string, number>; aiReady?: number };
const fleetOf = (gpus: Gpu[], site: Record<string, unknown> = {}, aiDemand: Record<string, number> = {}) =>
  parseFleet(
    {
      name: 'moves test',
      sites: [{ id: 'shed', name: 'Shed', powerCapKw: 1000, tariffUsdPerKwh: 0.05, pue: 1.1, ...site }],
      gpus: gpus.map((g) => ({ site: 'shed', ...g })),
      aiDemand,
    },
    ctx.reference.models,
  );

async function run(c: EngineContext, fleet: ReturnType<typeof fleetOf>) {
  const d = decide(c, fleet, await loadSolver());
  return { d, m: deriveMoves(c, fleet, d) };
}

const kindsOf = (m: MovesSummary, model: string): ReasonKind[] =>
  m.cells.filter((c) => c.model === model).flatMap((c) => c.reasons.flatMap((r) => r.kinds));

/** The moves, the kept cards' revaluation and the take-or-pay change add up to the one gain figure. */
function assertGainAddsUp(m: MovesSummary): void {
  const g = m.gain;
  const sum =
    m.moves.reduce((a, x) => a + x.usdPerDay, 0) + g.keptRevaluedUsdPerDay + g.takeOrPayChangeUsdPerDay;
  assert.ok(Math.abs(sum - g.afterSwitchingUsdPerDay) < 1e-6, `${sum} vs ${g.afterSwitchingUsdPerDay}`);
  const costs = g.switchingUsdPerDay + g.capexUsdPerDay;
  assert.ok(Math.abs(g.beforeSwitchingUsdPerDay - costs - g.afterSwitchingUsdPerDay) < 1e-9);
}

test('moves: cards leave a use that loses money at the tariff; the reason shows the sum', async () => {
  const { d, m } = await run(
    noSale,
    fleetOf([{ model: 'rtx-3070', count: 10, current: { ERG: 10 } }], { tariffUsdPerKwh: 0.3 }),
  );
  const erg = d.cells[0]!.income.uses.ERG;
  assert.ok(erg.netUsdPerDay < 0);
  assert.deepEqual(
    m.moves.map((x) => [x.count, x.from, x.to]),
    [[10, 'ERG', 'idle']],
  );
  // idle earns 0 and idling costs no switching: the move is worth exactly the loss it stops
  assert.ok(Math.abs(m.moves[0]!.usdPerDay + 10 * erg.netUsdPerDay) < 1e-9);
  const r = m.cells[0]!.reasons.find((x) => x.kind === 'negative-margin')!;
  assert.ok(
    r.text.startsWith(`ERG loses $${(-erg.netUsdPerDay).toFixed(3)} per card per day at 0.3 USD/kWh`),
  );
  assertGainAddsUp(m);
  assert.ok(Math.abs(m.gain.afterSwitchingUsdPerDay + 10 * erg.netUsdPerDay) < 1e-9);
});

test('moves: a 6 GiB card mining RVN past the KawPow DAG cut-off leaves it, with the VRAM reason', async () => {
  const { m } = await run(noSale, fleetOf([{ model: 'gtx-1660-super', count: 4, current: { RVN: 4 } }]));
  assert.deepEqual(
    m.moves.map((x) => [x.count, x.from, x.to]),
    [[4, 'RVN', 'idle']],
  );
  const r = m.cells[0]!.reasons.find((x) => x.kind === 'vram-cutoff' && x.text.startsWith('no RVN'))!;
  assert.match(r.text, /no RVN at block [\d,]+: 6 GiB card: KawPow DAG/);
});

test('moves: an unpatched CMP card that idles names the driver lock for AI', async () => {
  const { d, m } = await run(
    noSale,
    fleetOf([{ model: 'cmp-40hx', count: 3, current: {} }], { tariffUsdPerKwh: 0.3 }),
  );
  assert.equal(d.cells[0]!.recommended.idle, 3);
  assert.ok(kindsOf(m, 'cmp-40hx').includes('cmp-lock'));
  // patched, the lock is gone from the reasons
  const patched = fleetOf([{ model: 'cmp-40hx', count: 3, current: {} }], { tariffUsdPerKwh: 0.3 });
  patched.entries[0]!.cmpPatched = true;
  const p = await run(noSale, patched);
  assert.ok(!kindsOf(p.m, 'cmp-40hx').includes('cmp-lock'));
});

test('moves: a full AI demand cap names the better-paying cards that hold it', async () => {
  const fleet = fleetOf(
    [
      { model: 'rtx-4090', count: 5, current: { AI: 5 } },
      { model: 'rtx-3090', count: 5, current: { AI: 5 } },
    ],
    {},
    { vram24: 5 },
  );
  const { d, m } = await run(noSale, fleet);
  assert.equal(d.cells[0]!.recommended.AI, 5, 'the 4090s keep the five renters');
  assert.equal(d.cells[1]!.recommended.AI, 0);
  const r = m.cells.find((c) => c.model === 'rtx-3090')!.reasons.find((x) => x.kinds.includes('demand-cap'))!;
  assert.match(r.text, /the vram24 AI demand \(5 GPUs\) is full, taken by rtx-4090 @ shed 5 at \$/);
  assert.ok(!r.text.includes('rtx-3090 @'), 'only the cards renting are named');
  assert.equal(m.moves.find((x) => x.model === 'rtx-3090')!.from, 'AI');
  assertGainAddsUp(m);
});

test('moves: each full AI demand class names its own renters', async () => {
  const fleet = fleetOf(
    [
      { model: 'rtx-4090', count: 5, current: { AI: 5 } },
      { model: 'rtx-3090', count: 5, current: { AI: 5 } },
      { model: 'rtx-3070', count: 5, current: { AI: 5 } },
      { model: 'rtx-3060-ti', count: 5, current: { AI: 5 } },
    ],
    {},
    { vram24: 5, vram8: 5 },
  );
  const { m } = await run(noSale, fleet);
  const capText = (model: string) =>
    m.cells.find((c) => c.model === model)?.reasons.find((x) => x.kinds.includes('demand-cap'))?.text ?? '';
  assert.match(capText('rtx-3090'), /the vram24 AI demand \(5 GPUs\) is full, taken by rtx-4090 @ shed/);
  const vram8 = [capText('rtx-3070'), capText('rtx-3060-ti')].find((t) => t.includes('vram8'));
  assert.ok(vram8, 'a vram8 card names the vram8 cap');
  assert.match(vram8, /the vram8 AI demand \(5 GPUs\) is full, taken by rtx-(3070|3060-ti) @ shed 5/);
  assert.ok(!vram8.includes('rtx-4090'), vram8);
});

test('moves: a binding site power cap is named with its shadow price', async () => {
  const probe = await run(noSale, fleetOf([{ model: 'rtx-3090', count: 10, current: { AI: 10 } }]));
  const kw = probe.d.cells[0]!.income.uses.AI.wallPowerW / 1000;
  const capKw = 4.5 * kw; // room for four cards renting and a spare half card
  const { d, m } = await run(
    noSale,
    fleetOf([{ model: 'rtx-3090', count: 10, current: { AI: 10 } }], { powerCapKw: capKw }),
  );
  const s = d.solution.sites[0]!;
  assert.ok(s.shadowUsdPerKwDay > 0, 'the cap binds');
  assert.equal(d.cells[0]!.recommended.AI, 4);
  const r = m.cells[0]!.reasons.find((x) => x.kind === 'power-cap')!;
  assert.ok(r.text.includes(`site shed's`) && r.text.includes('power cap binds'), r.text);
  assert.ok(r.usdPerCardDay! > 0);
  assertGainAddsUp(m);
});

test('moves: sold cards say what the sale is worth against the income held', async () => {
  const { d, m } = await run(
    ctx,
    fleetOf([{ model: 'rtx-3070', count: 10, current: { RVN: 10 } }], { tariffUsdPerKwh: 0.3 }),
  );
  assert.equal(d.cells[0]!.recommended.sell, 10);
  assert.deepEqual(
    m.moves.map((x) => [x.count, x.from, x.to]),
    [[10, 'RVN', 'sell']],
  );
  const r = m.cells[0]!.reasons.find((x) => x.kind === 'sale')!;
  assert.match(r.text, /^sold: net resale \$\d+ now against \$\d+ after 180 days/);
  // RVN loses money at 0.30 USD/kWh: the sale beats it alone, and no second reason pretends otherwise
  assert.match(r.text, /more than RVN \(-\$[\d.]+\)( or [^,]+)? nets alone$/);
  assert.ok(m.cells[0]!.reasons.every((x) => !/not RVN|net the same/.test(x.text)));
  assertGainAddsUp(m);
});

test('moves: value a sale on the horizon of the config they are given', async () => {
  const fleet = fleetOf([{ model: 'rtx-3070', count: 10, current: { RVN: 10 } }], { tariffUsdPerKwh: 0.3 });
  const d = decide(ctx, fleet, await loadSolver());
  const own = deriveMoves(ctx, fleet, d);
  // under another config (no resale value) the moves value the sale on that config's horizon
  const other = deriveMoves(noSale, fleet, d);
  assert.ok(other.moves[0]!.usdPerDay < own.moves[0]!.usdPerDay, 'a sale is worth less with no resale');
});

test('moves: a switching cost larger than the gain keeps cards where they are, and says so', async () => {
  // AI-ready 3090s mining RVN: renting pays more alone, but moving one costs 200 USD over 30 days
  const fleet = fleetOf([{ model: 'rtx-3090', count: 4, current: { RVN: 4 }, aiReady: 4 }]);
  fleet.switching = { downtimeHours: 0, fixedUsdPerGpu: 200, horizonDays: 30 };
  const { d, m } = await run(noSale, fleet);
  const c = d.cells[0]!;
  assert.equal(c.income.best, 'AI');
  assert.ok(c.income.uses.AI.netUsdPerDay - c.income.uses.RVN.netUsdPerDay < 200 / 30);
  assert.equal(c.recommended.RVN, 4);
  assert.deepEqual(m.moves, []);
  const r = m.cells[0]!.reasons.find((x) => x.kind === 'switching-cost')!;
  assert.match(
    r.text,
    /^4 on RVN, not AI \(\$[\d.]+ alone\): switching costs \$200\.00 per card once \(\$6\.667\/day/,
  );
  // cheap switching: the same cards move
  fleet.switching = { downtimeHours: 0, fixedUsdPerGpu: 1, horizonDays: 30 };
  const cheap = await run(noSale, fleet);
  assert.deepEqual(
    cheap.m.moves.map((x) => [x.count, x.from, x.to]),
    [[4, 'RVN', 'AI']],
  );
  assertGainAddsUp(cheap.m);
});

/** Cells whose cards are not all on the lone-card best use, or idle while a use nets more than 0. */
const nonObvious = (d: Decision) =>
  d.cells.filter(
    (c) =>
      USES.some((u) => u !== c.income.best && c.recommended[u] > 0) ||
      (c.recommended.idle > 0 &&
        USES.some((u) => c.income.uses[u].eligible && c.income.uses[u].netUsdPerDay > 0)),
  );

test('moves: on the HIVE-like fleet every non-obvious cell has a reason and the gain adds up', async () => {
  const fleet = openFleet(ctx, undefined);
  const { d, m } = await run(ctx, fleet);
  const cells = nonObvious(d);
  assert.ok(cells.length >= 10, `${cells.length} non-obvious cells`);
  for (const c of cells) {
    const x = m.cells.find((y) => y.site === c.site && y.model === c.model && y.cmpPatched === c.cmpPatched);
    assert.ok(x && x.reasons.length > 0, `${c.model} @ ${c.site} has no reason`);
  }
  assertGainAddsUp(m);
  for (let k = 1; k < m.moves.length; k++) assert.ok(m.moves[k - 1]!.usdPerDay >= m.moves[k]!.usdPerDay);
  assert.equal(
    m.moves.reduce((a, x) => a + x.count, 0),
    d.cells.reduce(
      (a, c) => a + USES.reduce((b, u) => b + Math.max(0, c.current[u] - c.recommended[u]), 0),
      0,
    ),
  );
});

test('moves: on the small farm the RX 6800 XT sale beats RVN alone, and no reason says otherwise', async () => {
  const fleet = openFleet(ctx, join(import.meta.dirname, '../../data/fleets/small-farm.json'));
  const { d, m } = await run(ctx, fleet);
  const i = d.cells.findIndex((c) => c.model === 'rx-6800-xt');
  const c = d.cells[i]!;
  assert.equal(c.income.best, 'RVN');
  assert.equal(c.recommended.sell, c.count);
  const reasons = m.cells.find((x) => x.model === 'rx-6800-xt')!.reasons;
  assert.match(reasons.find((x) => x.kind === 'sale')!.text, /more than RVN \(\$[\d.]+\)/);
  assert.ok(
    reasons.every((x) => !/net the same|not RVN/.test(x.text)),
    JSON.stringify(reasons),
  );
});

test('moves: the take-or-pay change counts the energy the current cards already use under the minimum', async () => {
  // 2 of 10 cards mine today under a minimum of 4 cards' draw; mining loses money on power alone at 0.30
  // USD/kWh, so the recommendation mines 4 on the sunk energy: the change is the 2 cards' worth more.
  const plain = fleetOf([{ model: 'rtx-3070', count: 10, current: { RVN: 2 } }], { tariffUsdPerKwh: 0.3 });
  const rvn = (await run(noSale, plain)).d.cells[0]!.income.uses.RVN;
  const kwPerCard = rvn.powerCostUsdPerDay / (24 * 0.3);
  const site = { tariffUsdPerKwh: 0.3, takeOrPay: { kw: 4 * kwPerCard + 1e-9 } };
  const { d, m } = await run(noSale, fleetOf([{ model: 'rtx-3070', count: 10, current: { RVN: 2 } }], site));
  assert.equal(d.cells[0]!.recommended.RVN, 4);
  const change = m.gain.takeOrPayChangeUsdPerDay;
  assert.ok(
    Math.abs(change - 2 * rvn.powerCostUsdPerDay) < 1e-6,
    `${change} vs 2 x ${rvn.powerCostUsdPerDay}`,
  );
  assertGainAddsUp(m);
});
