import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeHorizonValues, takeOrPayKw } from './horizon.ts';
import { openContext } from './context.ts';
import { incomeTable } from './tables.ts';
import { parseFleet } from '../config/fleet.ts';
import type { Fleet } from '../domain/types.ts';
import { decide } from './decide.ts';
import { loadSolver } from '../solve/highs.ts';

// a fresh data dir: the checkout's data/store (snapshots, reference) does not leak in
const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-horizon-')), env: {} });
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const SITE = { id: 's1', name: 'S1', powerCapKw: 1000, tariffUsdPerKwh: 0.05, pue: 1.1 };

function fleet(site: Record<string, unknown> = {}): Fleet {
  return parseFleet(
    {
      name: 'f',
      sites: [{ ...SITE, ...site }],
      gpus: [
        { site: 's1', model: 'rtx-3070', count: 100, current: { ERG: 100 } },
        { site: 's1', model: 'rtx-3090', count: 10, current: { AI: 4 }, aiReady: 10 },
        { site: 's1', model: 'cmp-170hx', count: 50, current: { ERG: 50 } },
      ],
    },
    ctx.reference.models,
  );
}
const row = (h: ReturnType<typeof computeHorizonValues>, id: string) => h.rows.find((r) => r.modelId === id)!;

test("one day's path income is the income model's net; without a fleet no site costs apply", () => {
  const h = computeHorizonValues(ctx, SITE, { days: 1 });
  const inc = incomeTable(ctx, SITE).find((r) => r.modelId === 'rtx-3070')!;
  const r = row(h, 'rtx-3070');
  close(r.valuation.paths.ERG.incomeUsd, inc.uses.ERG.netUsdPerDay);
  close(r.valuation.paths.AI.incomeUsd, inc.uses.AI.netUsdPerDay);
  assert.deepEqual([r.cards, r.terms.fixedUsdPerDay, r.terms.sunkKw], [0, 0, 0]);
  assert.equal(r.terms.rehostCapexUsd, ctx.config.rehost.consumerUsdPerGpu);
  assert.equal(h.days, 1);
  assert.equal(computeHorizonValues(ctx, SITE).days, ctx.config.horizon.days);
});

test('fixed costs are shared over the fleet site cards; AI-ready cards carry no capex', () => {
  const h = computeHorizonValues(ctx, SITE, { days: 10, fleet: fleet({ fixedUsdPerDay: 1600 }) });
  for (const id of ['rtx-3070', 'rtx-3090', 'rtx-4090']) close(row(h, id).terms.fixedUsdPerDay, 1600 / 160);
  close(row(h, 'rtx-3070').valuation.paths.idle.fixedUsd, 100);
  assert.equal(row(h, 'rtx-3090').aiReadyCards, 10);
  assert.equal(row(h, 'rtx-3090').terms.rehostCapexUsd, 0);
  assert.equal(row(h, 'rtx-3070').terms.rehostCapexUsd, 400);
});

test("take-or-pay: the minimum less the other cards' draw is sunk energy for this model's cards", () => {
  const inc = new Map(incomeTable(ctx, SITE).map((r) => [r.modelId, r]));
  const kw = (id: string, use: 'ERG' | 'AI', n: number) =>
    (n * inc.get(id)!.uses[use].powerCostUsdPerDay) / (24 * SITE.tariffUsdPerKwh);
  const d3070 = kw('rtx-3070', 'ERG', 100);
  const drawKw = d3070 + kw('rtx-3090', 'AI', 4) + kw('cmp-170hx', 'ERG', 50);
  const h = computeHorizonValues(ctx, SITE, { days: 1, fleet: fleet({ takeOrPay: { kw: drawKw + 10 } }) });
  close(h.takeOrPay!.currentDrawKw, drawKw, 1e-9);
  const r = row(h, 'rtx-3070');
  close(r.terms.sunkKw, (d3070 + 10) / 100, 1e-9);
  // every card's mining energy is inside the minimum: ERG earns revenue less fees, its energy is sunk
  const erg = inc.get('rtx-3070')!.uses.ERG;
  close(r.valuation.paths.ERG.incomeUsd, erg.revenueUsdPerDay - erg.feesUsdPerDay, 1e-9);
  close(r.valuation.paths.ERG.sunkEnergyUsd, erg.powerCostUsdPerDay, 1e-9);
  // a USD/day minimum is the same contract at the site tariff
  close(takeOrPayKw({ usdPerDay: 120 }, 0.05), 100);
  const below = computeHorizonValues(ctx, SITE, { days: 1, fleet: fleet({ takeOrPay: { kw: 1 } }) });
  assert.equal(row(below, 'rtx-3070').terms.sunkKw, 0); // the site already draws far more than 1 kW
});

test('models without a resale price cannot be sold and say why', () => {
  const h = computeHorizonValues(ctx, SITE, { days: 5 });
  const cmp = row(h, 'cmp-170hx');
  assert.equal(cmp.valuation.paths.sell.possible, false);
  assert.match(cmp.valuation.paths.sell.reason!, /no used-market price in our sources/);
  assert.equal(cmp.resaleNow.netUsdPerCard, null);
  const r3090 = row(h, 'rtx-3090');
  assert.ok(r3090.resaleNow.netUsdPerCard! > 0);
  close(r3090.valuation.paths.sell.valueUsd, r3090.resaleNow.netUsdPerCard!);
});

test('with a decision, coin paths are one card at the fleet margin and agree with the allocation', async () => {
  // Hand-solvable: 20,000 CMP 170HX (RVN only; no resale price, so idle is their alternative) mine RVN
  // until the last one nets zero: the marginal rate r satisfies 55 MH/s x uptime x r = its power cost.
  // An RTX 3070 (30 MH/s, more watts per MH/s) then nets 30/55 x the CMP's power less its own: < 0, so
  // at the margin it is worth more sold; as a lone card it mines RVN at a profit.
  const site = { ...SITE, powerCapKw: 100_000 };
  const f = parseFleet(
    {
      name: 'margin',
      sites: [site],
      gpus: [
        { site: 's1', model: 'cmp-170hx', count: 20_000, current: {} },
        { site: 's1', model: 'rtx-3070', count: 1000, current: { ERG: 1000 } },
      ],
    },
    ctx.reference.models,
  );
  const d = decide(ctx, f, await loadSolver());
  const cmp = d.cells.find((c) => c.model === 'cmp-170hx')!;
  assert.ok(cmp.recommended.RVN > 0 && cmp.recommended.idle > 0, 'some CMPs mine, the rest idle');
  assert.equal(d.cells.find((c) => c.model === 'rtx-3070')!.recommended.sell, 1000);
  const opts = { fleet: f, modelIds: ['cmp-170hx', 'rtx-3070'] };
  const lone = computeHorizonValues(ctx, site, opts);
  const margin = computeHorizonValues(ctx, site, { ...opts, networks: d.networks });
  assert.equal(lone.mining.rule, 'lone');
  assert.equal(margin.mining.rule, 'fleet-margin');
  assert.equal(row(lone, 'rtx-3070').valuation.best, 'RVN');
  assert.equal(row(margin, 'rtx-3070').valuation.best, 'sell');
  // one day, by hand: the CMP's marginal RVN net is ~0 (the LP's 1 % segments), the 3070's as derived
  const day = computeHorizonValues(ctx, site, { ...opts, networks: d.networks, days: 1 });
  const inc = new Map(incomeTable(ctx, site).map((r) => [r.modelId, r.uses.RVN]));
  const cmpRvn = inc.get('cmp-170hx')!;
  const r3070 = inc.get('rtx-3070')!;
  const cmpDay = row(day, 'cmp-170hx').valuation.paths.RVN.incomeUsd;
  assert.ok(Math.abs(cmpDay) < 0.01 * cmpRvn.revenueUsdPerDay, `CMP marginal net ${cmpDay}`);
  const ratio = Number(r3070.detail.hashrateMhs) / Number(cmpRvn.detail.hashrateMhs); // 30 / 55
  const expected = ratio * (cmpRvn.powerCostUsdPerDay + cmpDay) - r3070.powerCostUsdPerDay;
  close(row(day, 'rtx-3070').valuation.paths.RVN.incomeUsd, expected, 1e-9);
  assert.ok(expected < 0);
  // AI, idle and sell do not depend on the networks
  for (const p of ['AI', 'idle', 'sell'] as const)
    close(
      row(margin, 'rtx-3070').valuation.paths[p].valueUsd,
      row(lone, 'rtx-3070').valuation.paths[p].valueUsd,
    );
});
