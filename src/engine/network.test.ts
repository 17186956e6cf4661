import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContext } from './context.ts';
import { decide, type EngineContext } from './decide.ts';
import { adviseFleet } from './advise.ts';
import { computeForecast } from './forecast.ts';
import { loadSolver } from '../solve/highs.ts';
import type { Fleet, MarketSnapshot } from '../domain/types.ts';

const base = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-net-')) });
const UPTIME = base.config.mining.uptime;
const KEPT = 1 - base.config.mining.poolFee - base.config.mining.minerDevFee;
const H3070 = base.reference.models.get('rtx-3070')!.kawpow!.hashrateMhs; // 30 MH/s (catalogue)
const SITE = { id: 's', name: 'test site', powerCapKw: 1e6, tariffUsdPerKwh: 0.01, pue: 1 };

/** RTX 3070s on one cheap site, none mining today; AI demand 0 for their class, so only RVN can pay. */
function fleetOf(count: number): Fleet {
  return {
    name: 'test',
    sites: [SITE],
    entries: [{ site: 's', model: 'rtx-3070', count, current: {}, cmpPatched: false }],
    aiDemand: { vram8: 0 },
    switching: { downtimeHours: 0, fixedUsdPerGpu: 0, horizonDays: 30 },
    customModels: [],
  };
}

/** The embedded snapshot with RVN at the difficulty whose implied hashrate is `networkMhs`; ERG worthless. */
function ctxWithNetwork(networkMhs: number): EngineContext {
  const s: MarketSnapshot = structuredClone(base.snapshot);
  s.coins.RVN.difficulty.value = (networkMhs * 1e6 * 60) / 2 ** 32; // D = hashes per second x 60 s / 2^32
  s.coins.ERG.priceUsd.value = 1e-12;
  // no resale market (price factor 0): selling never pays, so these cases are about mining revenue alone
  const config = { ...base.config, resale: { ...base.config.resale, priceFactor: 0 } };
  return { ...base, config, snapshot: s };
}

test('decide: a fleet hashing as much as the others earns half per card of a lone card', async () => {
  // 1,000 cards x 30 MH/s x uptime 0.98 = 29,400 MH/s effective, and a difficulty implying the same.
  // Each card's lone revenue after fees (income) is kept B h / N; at F = N it earns kept B h / (2N): half.
  const n = 1000;
  const f = n * H3070 * UPTIME;
  const ctx = ctxWithNetwork(f);
  const d = decide(ctx, fleetOf(n), await loadSolver());
  const rvn = d.cells[0]!.income.uses.RVN;
  const loneAfterFees = rvn.revenueUsdPerDay - rvn.feesUsdPerDay;
  assert.equal(d.cells[0]!.recommended.RVN, n, 'every card still pays: the last adds a quarter of lone');
  const net = d.networks.find((x) => x.coin === 'RVN')!;
  assert.ok(Math.abs(net.fleetMhs - f) < 1e-6);
  assert.ok(Math.abs(net.externalMhs - f) < 1e-6, 'no current miners: N = the implied hashrate');
  assert.ok(Math.abs(net.shareOfNetwork - 0.5) < 1e-12);
  const perCard = net.revenueUsdPerDay / n;
  assert.ok(Math.abs(perCard / loneAfterFees - 0.5) < 1e-9, `per card ${perCard} vs lone ${loneAfterFees}`);
  // The cell's net is its revenue share less power; the decision's totals follow.
  const expected = n * (loneAfterFees / 2 - rvn.powerCostUsdPerDay);
  assert.ok(
    Math.abs(d.cells[0]!.netUsdPerDay - expected) < 1e-6,
    `${d.cells[0]!.netUsdPerDay} vs ${expected}`,
  );
  assert.ok(Math.abs(d.totals.netUsdPerDay - expected) < 1e-6);
  // The last card: R(F) - R(F - h) = kept B N / (2N - h) ... ~ a quarter of lone.
  const h = H3070 * UPTIME;
  const kB = (loneAfterFees * f) / h; // kept B from the lone figure: lone = kept B h / N
  const lastRevenue = kB * (f / (2 * f) - (f - h) / (2 * f - h));
  assert.ok(Math.abs(net.lastCard!.revenueUsdPerDay - lastRevenue) < 1e-9);
  assert.ok(Math.abs(net.lastCard!.revenueUsdPerDay / loneAfterFees - 0.25) < 1e-3);
  assert.ok(Math.abs(net.issuedUsdPerDay * KEPT - kB) < 1e-6, 'B from reward x blocks x price agrees');
});

test('decide: a fleet that is a tiny share of the network gets the linear answer (within F/N)', async () => {
  // 10 cards on a network 10,000x their hashrate: the rule's revenue is linear x N / (N + F), a relative
  // shortfall of F / (N + F) < 1e-4; the allocation is the same as the linear one (all cards mine).
  const n = 10;
  const f = n * H3070 * UPTIME;
  const ctx = ctxWithNetwork(f * 10_000);
  const d = decide(ctx, fleetOf(n), await loadSolver());
  const rvn = d.cells[0]!.income.uses.RVN;
  assert.ok(rvn.netUsdPerDay > 0, 'mining pays, so the linear answer is: all mine');
  assert.equal(d.cells[0]!.recommended.RVN, n);
  const linear = n * rvn.netUsdPerDay;
  const rel = (linear - d.totals.netUsdPerDay) / (n * (rvn.revenueUsdPerDay - rvn.feesUsdPerDay));
  // Stated tolerance: the shortfall is at most F / N = 1e-4 of the linear revenue; exactly F / (N + F).
  assert.ok(rel >= 0 && rel <= 1e-4, `revenue shortfall ${rel} of linear`);
  assert.ok(Math.abs(rel - 1 / 10_001) < 1e-9, `shortfall ${rel} vs 1 / 10,001`);
});

test('what-if adding cards: the added cards earn less (a sixth of a lone card each)', async () => {
  // Base: 1,000 cards at F = N, R = kept B / 2. Add 1,000 more: F = 2N, R = kept B x 2/3. The added cards
  // bring kept B / 6 in all, kept B / (6 x 1,000) each: a sixth of a lone card's kept B / 1,000.
  const n = 1000;
  const f = n * H3070 * UPTIME;
  const ctx = ctxWithNetwork(f);
  const highs = await loadSolver();
  const at = '2026-11-25T00:00:00Z';
  const before = adviseFleet(ctx, fleetOf(n), highs, { generatedAt: at }).decision;
  const after = adviseFleet(ctx, fleetOf(n), highs, {
    generatedAt: at,
    whatIf: { addGpus: [{ site: 's', model: 'rtx-3070', count: n }] },
  });
  assert.deepEqual(after.whatIf, ['+1000 rtx-3070 at s (idle today)']);
  assert.equal(after.decision.cells[0]!.recommended.RVN, 2 * n);
  const rBefore = before.networks.find((x) => x.coin === 'RVN')!.revenueUsdPerDay;
  const rAfter = after.decision.networks.find((x) => x.coin === 'RVN')!.revenueUsdPerDay;
  const rvn = before.cells[0]!.income.uses.RVN;
  const lone = rvn.revenueUsdPerDay - rvn.feesUsdPerDay;
  assert.ok(Math.abs(rAfter / rBefore - 4 / 3) < 1e-9, `R grows 2/3 / 1/2, ${rAfter / rBefore}`);
  const perAdded = (rAfter - rBefore) / n;
  assert.ok(Math.abs(perAdded / lone - 1 / 6) < 1e-9, `added card earns ${perAdded / lone} of a lone card`);
  assert.throws(
    () =>
      adviseFleet(ctx, fleetOf(n), highs, {
        generatedAt: at,
        whatIf: { addGpus: [{ site: 's', model: 'no-such-card', count: 1 }] },
      }),
    /overrides\.addGpus\[0\]\.model: unknown GPU model "no-such-card"/,
  );
});

test("forecast with a fleet: a card's mining income is its share at the fleet's hashrate", async () => {
  // F = N: each card earns half the lone revenue after fees; RVN's reward is flat over 90 days here, so
  // the 90-day sum falls by 90 x lone / 2 against the lone-card forecast; AI is untouched.
  const n = 1000;
  const ctx = ctxWithNetwork(n * H3070 * UPTIME);
  const d = decide(ctx, fleetOf(n), await loadSolver());
  const models = new Map([['rtx-3070', ctx.reference.models.get('rtx-3070')!]]);
  const lone = computeForecast(ctx, SITE, [90], models);
  const inFleet = computeForecast(ctx, SITE, [90], models, d.networks);
  const rvn = d.cells[0]!.income.uses.RVN;
  const drop = (90 * (rvn.revenueUsdPerDay - rvn.feesUsdPerDay)) / 2;
  const a = lone.outlook[0]!.totalNetUsd,
    b = inFleet.outlook[0]!.totalNetUsd;
  assert.ok(Math.abs(a.RVN! - b.RVN! - drop) < 1e-6, `drop ${a.RVN! - b.RVN!} vs ${drop}`);
  assert.equal(a.AI, b.AI);
  assert.match(inFleet.assumptions.at(-1)!, /held as decided today \(RVN N 0\.029 TH\/s, F 0\.029 TH\/s/);
});
