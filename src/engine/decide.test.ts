import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext } from './context.ts';
import { computeIncomeTable, decide, modelsWith, type EngineContext } from './decide.ts';
import { USES } from '../domain/types.ts';
import { deriveMoves } from './moves.ts';
import { parseFleet } from '../config/fleet.ts';
import { loadSolver } from '../solve/highs.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-decide-')) });

test('decide: sites on the same terms share incomes, each cell still names its own site', async () => {
  const site = (id: string, tariffUsdPerKwh: number) => ({
    id,
    name: id,
    powerCapKw: 1000,
    tariffUsdPerKwh,
    pue: 1.1,
  });
  const fleet = parseFleet(
    {
      name: 'shared terms',
      sites: [site('a', 0.05), site('b', 0.05), site('c', 0.12)],
      gpus: ['a', 'b', 'c'].flatMap((s) => [
        { site: s, model: 'rtx-3070', count: 10, current: { RVN: 5 } },
        { site: s, model: 'rtx-3090', count: 4, current: { ERG: 4 } },
      ]),
      aiDemand: { vram8: 0 },
    },
    ctx.reference.models,
  );
  const d = decide(ctx, fleet, await loadSolver());
  const models = modelsWith(ctx.reference);
  for (const c of d.cells) {
    assert.equal(c.income.siteId, c.site);
    const s = fleet.sites.find((x) => x.id === c.site)!;
    const own = computeIncomeTable(ctx, s, new Map([[c.model, models.get(c.model)!]]))[0]!;
    assert.deepEqual(c.income, own, `${c.site}/${c.model}: the income a lone computation gives`);
  }
  const [a, b, cc] = ['a', 'b', 'c'].map((s) => d.cells.find((c) => c.site === s && c.model === 'rtx-3070')!);
  assert.equal(a!.income.uses, b!.income.uses, 'same terms: one computation');
  assert.notEqual(a!.income.uses.RVN.netUsdPerDay, cc!.income.uses.RVN.netUsdPerDay);
});

/** A fleet of one site per (id, tariff, power cap), its cards listed in the order given. */
const sitesFleet = (
  sites: { id: string; tariffUsdPerKwh: number; powerCapKw: number }[],
  gpus: { site: string; model: string; count: number; current: Record<string, number>; aiReady?: number }[],
  aiDemand: Record<string, number> = { vram24: 0 },
) =>
  parseFleet(
    { name: 'decide test', sites: sites.map((s) => ({ name: s.id, pue: 1.1, ...s })), gpus, aiDemand },
    ctx.reference.models,
  );
const noSale = (rehostUsdPerGpu?: number): EngineContext => ({
  ...ctx,
  config: {
    ...ctx.config,
    resale: { ...ctx.config.resale, priceFactor: 0 },
    ...(rehostUsdPerGpu === undefined
      ? {}
      : { rehost: { ...ctx.config.rehost, consumerUsdPerGpu: rehostUsdPerGpu } }),
  },
});

test('decide: each card is decided at its own site, whatever order the sites and cards are listed in', async () => {
  // listed against the sites' order: the tight cap and the dearer tariff belong to "late", not "early"
  const fleet = sitesFleet(
    [
      { id: 'early', tariffUsdPerKwh: 0.04, powerCapKw: 1000 },
      { id: 'late', tariffUsdPerKwh: 0.05, powerCapKw: 1.2 },
    ],
    [
      { site: 'late', model: 'rtx-3090', count: 10, current: { RVN: 10 } },
      { site: 'early', model: 'rtx-3090', count: 10, current: { RVN: 10 } },
    ],
  );
  const d = decide(noSale(), fleet, await loadSolver());
  const models = modelsWith(ctx.reference);
  for (const c of d.cells) {
    const s = fleet.sites.find((x) => x.id === c.site)!;
    const own = computeIncomeTable(ctx, s, new Map([[c.model, models.get(c.model)!]]))[0]!;
    assert.deepEqual(c.income, own, `${c.site}: priced at its own tariff`);
  }
  const wallKw = (site: string) => {
    const c = d.cells.find((x) => x.site === site)!;
    return USES.reduce(
      (a, u) => a + (u === 'idle' || u === 'sell' ? 0 : c.recommended[u] * c.income.uses[u].wallPowerW),
      0,
    );
  };
  // the cap binds at "late" only: its cards are held under 1.2 kW, those at "early" all keep mining
  assert.ok(wallKw('late') / 1000 <= 1.2 + 1e-9, `late draws ${wallKw('late')} W`);
  const late = d.cells.find((c) => c.site === 'late')!;
  assert.ok(late.recommended.idle >= 6, `late idles ${late.recommended.idle}`);
  assert.equal(d.cells.find((c) => c.site === 'early')!.recommended.idle, 0);
  const [early, lateSite] = d.solution.sites;
  assert.equal(early!.id, 'early');
  assert.ok(lateSite!.shadowUsdPerKwDay > 0 && early!.shadowUsdPerKwDay === 0);
});

test('decide: aiReady as stated, else those renting today, else none; the rest are re-hosted', async () => {
  const highs = await loadSolver();
  // 10 RTX 3090 where AI pays far more than mining, each move into an AI server costing $100
  const decided = (current: Record<string, number>, aiReady?: number) =>
    decide(
      noSale(100),
      sitesFleet(
        [{ id: 'shed', tariffUsdPerKwh: 0.05, powerCapKw: 1000 }],
        [
          {
            site: 'shed',
            model: 'rtx-3090',
            count: 10,
            current,
            ...(aiReady === undefined ? {} : { aiReady }),
          },
        ],
        { vram24: 10 },
      ),
      highs,
    );
  const renting = decided({ AI: 4, RVN: 6 });
  assert.equal(renting.cells[0]!.recommended.AI, 10);
  assert.equal(renting.plan.rehosted, 6, 'the 4 renting today are AI-ready: 6 re-hosted');
  assert.equal(renting.plan.aiReady, 4);
  assert.ok(Math.abs(renting.plan.capexUsd - 600) < 1e-6, `${renting.plan.capexUsd}`);
  const none = decided({ RVN: 10 });
  assert.equal(none.cells[0]!.recommended.AI, 10);
  assert.equal(none.plan.rehosted, 10, 'none renting, none AI-ready: all 10 re-hosted');
  assert.ok(Math.abs(none.plan.capexUsd - 1000) < 1e-6, `${none.plan.capexUsd}`);
  // a stated aiReady is the count, above those renting today
  const stated = decided({ AI: 2, RVN: 8 }, 6);
  assert.equal(stated.cells[0]!.recommended.AI, 10);
  assert.equal(stated.plan.rehosted, 4, 'aiReady 6 stated: 4 re-hosted');
});

test('decide: the cards renting today are AI-ready in the moves too: a full demand is no re-hosting cost', async () => {
  // 4 of 10 RTX 3090 rent for AI today, demand for 2: two leave AI, and the 6 miners are kept off AI by
  // the demand cap, not by a re-hosting cost (the 4 AI-ready cards would take the demand first)
  const fleet = sitesFleet(
    [{ id: 'shed', tariffUsdPerKwh: 0.05, powerCapKw: 1000 }],
    [{ site: 'shed', model: 'rtx-3090', count: 10, current: { AI: 4, RVN: 6 } }],
    { vram24: 2 },
  );
  // a re-hosting cost larger than AI's lead over RVN: it would be the first reason named if it applied
  const c = noSale(1000);
  const d = decide(c, fleet, await loadSolver());
  assert.equal(d.cells[0]!.recommended.AI, 2);
  assert.equal(d.plan.rehosted, 0);
  const kinds = deriveMoves(c, fleet, d).cells.flatMap((x) => x.reasons.flatMap((r) => r.kinds));
  assert.ok(kinds.includes('demand-cap'), JSON.stringify(kinds));
  assert.ok(!kinds.includes('rehost-capex'), JSON.stringify(kinds));
});
