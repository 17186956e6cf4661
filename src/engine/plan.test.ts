import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext } from './context.ts';
import { decide, type EngineContext } from './decide.ts';
import { parseFleet } from '../config/fleet.ts';
import { loadSolver } from '../solve/highs.ts';
import { composeReport } from './report-content.ts';
import { buildDocument } from '../report/document.ts';
import { RESALE_PROJECTION_WARN_MONTHS } from './plan.ts';
import { daysBetween } from '../lib/time.ts';
import { DAYS_PER_MONTH } from '../analysis/resale.ts';

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-plan-')) });
const withResale = (priceFactor: number): EngineContext => ({
  ...ctx,
  config: { ...ctx.config, resale: { ...ctx.config.resale, priceFactor } },
});
/** 10 RTX 3070 mining RVN at a tariff where mining loses money; extra site fields as given. */
const fleetOf = (site: Record<string, unknown> = {}) =>
  parseFleet(
    {
      name: 'plan test',
      sites: [{ id: 'shed', name: 'Shed', powerCapKw: 1000, tariffUsdPerKwh: 0.3, pue: 1.1, ...site }],
      gpus: [{ site: 'shed', model: 'rtx-3070', count: 10, current: { RVN: 10 } }],
      aiDemand: { vram8: 0 },
    },
    ctx.reference.models,
  );

test('plan: a card that loses money mining is sold when it has a price; the resale what-if flips it', async () => {
  const highs = await loadSolver();
  const d = decide(withResale(1), fleetOf(), highs);
  const c = d.cells[0]!;
  assert.ok(c.income.uses.RVN.netUsdPerDay < 0, 'RVN loses money at 0.30 USD/kWh');
  assert.equal(c.recommended.sell, 10);
  assert.ok(c.horizon.resaleNowUsdPerCard! > 0);
  assert.ok(Math.abs(d.plan.cashFromSalesUsd - 10 * c.horizon.resaleNowUsdPerCard!) < 1e-6);
  assert.equal(d.plan.sold, 10);
  // No resale market (factor 0): the net resale is minus the logistics, so the cards idle instead.
  const none = decide(withResale(0), fleetOf(), highs);
  assert.deepEqual([none.cells[0]!.recommended.sell, none.cells[0]!.recommended.idle], [0, 10]);
  assert.equal(none.plan.cashFromSalesUsd, 0);
});

test('plan: a take-or-pay minimum keeps cards mining that lose money at the full tariff', async () => {
  const highs = await loadSolver();
  const x = withResale(0); // no sale, so the choice is mine or idle
  const base = decide(x, fleetOf(), highs).cells[0]!;
  const rvn = base.income.uses.RVN;
  const kwPerCard = rvn.powerCostUsdPerDay / (24 * 0.3);
  assert.ok(rvn.netUsdPerDay < 0 && rvn.netUsdPerDay + rvn.powerCostUsdPerDay > 0, 'loses only on power');
  assert.equal(base.recommended.RVN, 0);
  // A minimum of 4 cards' draw: 4 mine on sunk energy, the rest would pay the full tariff and idle.
  const d = decide(x, fleetOf({ takeOrPay: { kw: 4 * kwPerCard + 1e-9 } }), highs);
  assert.equal(d.cells[0]!.recommended.RVN, 4);
  const top = d.solution.sites[0]!.takeOrPay!;
  assert.ok(Math.abs(top.coveredKw - 4 * kwPerCard) < 1e-6);
  assert.ok(Math.abs(d.totals.takeOrPayCreditUsdPerDay - 4 * rvn.powerCostUsdPerDay) < 1e-6);
});

test('plan: site fixed costs come out of the net and do not change the allocation', async () => {
  const highs = await loadSolver();
  const a = decide(withResale(1), fleetOf(), highs);
  const b = decide(withResale(1), fleetOf({ fixedUsdPerDay: 50 }), highs);
  assert.deepEqual(b.cells[0]!.recommended, a.cells[0]!.recommended);
  assert.ok(Math.abs(a.totals.netUsdPerDay - b.totals.netUsdPerDay - 50) < 1e-6);
  assert.ok(Math.abs(b.plan.fixedUsd - 50 * b.plan.days) < 1e-6);
});

test('plan: the fixed costs a sale avoids are counted once, in the sale value', async () => {
  const highs = await loadSolver();
  const avoiding = (share: number): EngineContext => ({
    ...withResale(1),
    config: { ...withResale(1).config, costs: { ...ctx.config.costs, fixedAvoidableOnSale: share } },
  });
  const base = decide(avoiding(1), fleetOf(), highs);
  const d = decide(avoiding(1), fleetOf({ fixedUsdPerDay: 50 }), highs);
  assert.equal(d.plan.sold, 10, 'all ten cards are sold');
  // selling every card avoids every fixed cost: the net is the one without fixed costs
  close(d.totals.netUsdPerDay, base.totals.netUsdPerDay, 1e-6);
  close(d.totals.fixedUsdPerDay, 50, 1e-9);
  assert.equal(d.plan.fixedUsd, 0, 'no fixed cost left over the horizon');
  // none avoided: the full 50/day comes off
  const kept = decide(avoiding(0), fleetOf({ fixedUsdPerDay: 50 }), highs);
  close(kept.totals.netUsdPerDay, decide(avoiding(0), fleetOf(), highs).totals.netUsdPerDay - 50, 1e-6);
});

test('report: the keep / move / sell table renders the plan the engine computed', async () => {
  const highs = await loadSolver();
  const fleet = fleetOf();
  const d = decide(withResale(1), fleet, highs);
  const r = composeReport(withResale(1), d, fleet, [], '2026-11-25T12:00:00Z');
  assert.equal(r.plan!.sold, 10);
  assert.equal(r.plan!.rows[0]!.sold, 10);
  const section = buildDocument(r, []).sections.find((s) => s.id === 'plan')!;
  const table = section.blocks.find((b) => b.kind === 'table')!;
  assert.ok(table.kind === 'table');
  const row = table.rows[0]!;
  assert.deepEqual(row.slice(0, 8), ['rtx-3070', 'shed', '10', '0', '0', '0', '0', '10']);
  assert.equal(row[8], `$${Math.round(d.plan.cashFromSalesUsd).toLocaleString('en-US')}`);
});

test('resale: a sold cell says how far its price is projected; far projections get an ASSUMPTION', async () => {
  const highs = await loadSolver();
  const fleet = fleetOf();
  const d = decide(withResale(1), fleet, highs);
  const p = d.cells[0]!.horizon.resaleProjection!;
  // the shipped eBay series ends in 2023-11: by the snapshot's date that is (date - 2023-11-15) months
  assert.equal(p.lastObserved, '2023-11-15');
  assert.equal(p.kind, 'assumed');
  close(p.monthsProjected, daysBetween('2023-11-15', d.date) / DAYS_PER_MONTH, 1e-9);
  assert.ok(p.monthsProjected > RESALE_PROJECTION_WARN_MONTHS);
  assert.match(p.method, /x exp\(-?\d\.\d{4} x \d+\.\d months\)/);
  const line = d.warnings.find((w) => w.startsWith('ASSUMPTION:'));
  assert.match(
    line ?? '',
    new RegExp(`10 of the 10 cards to sell .* ${p.monthsProjected.toFixed(0)} months past`),
  );
  // within 12 months of the data (a decision dated 2024-06-01) the plan may sell without the line
  const early = decide({ ...withResale(1), date: '2024-06-01' }, fleet, highs);
  assert.ok(early.cells[0]!.horizon.sold > 0);
  assert.ok(early.cells[0]!.horizon.resaleProjection!.monthsProjected < RESALE_PROJECTION_WARN_MONTHS);
  assert.equal(early.warnings.filter((w) => w.startsWith('ASSUMPTION: 10')).length, 0);
  // no sale, no line (factor 0: the cards idle)
  assert.ok(!decide(withResale(0), fleet, highs).warnings.some((w) => /cards to sell/.test(w)));
  // the report shows the months beside the price, the note says it is an estimate, the check-first has the line
  const r = composeReport(withResale(1), d, fleet, [], '2026-11-25T12:00:00Z');
  const doc = buildDocument(r, []);
  const section = doc.sections.find((s) => s.id === 'plan')!;
  const table = section.blocks.find((b) => b.kind === 'table')!;
  assert.ok(table.kind === 'table');
  const cell = table.rows[0]![table.headers.indexOf('resale now/card')]!;
  assert.match(cell, new RegExp(`\\(\\+${p.monthsProjected.toFixed(0)} mo\\)$`));
  assert.ok(
    section.blocks.some((b) => b.kind === 'p' && /an estimate \(assumed\), not a quote/.test(b.text)),
  );
  assert.deepEqual(
    doc.sections.slice(0, 2).map((x) => x.id),
    ['moves', 'check-first'],
  );
  assert.ok(doc.sections[1]!.blocks.some((b) => b.kind === 'p' && b.text === line));
});

test('plan: cards moved out of mining rigs into AI count as re-hosted, also when the capex is set to 0', async () => {
  const highs = await loadSolver();
  // 10 RTX 3090 mining at a tariff where AI pays far more; 4 already sit in AI-ready servers, renting none.
  const fleet = parseFleet(
    {
      name: 'rehost test',
      sites: [{ id: 'shed', name: 'Shed', powerCapKw: 1000, tariffUsdPerKwh: 0.05, pue: 1.1 }],
      gpus: [{ site: 'shed', model: 'rtx-3090', count: 10, current: { RVN: 10 }, aiReady: 4 }],
      aiDemand: { vram24: 10 },
    },
    ctx.reference.models,
  );
  const withCapex = (usd: number): EngineContext => ({
    ...withResale(0),
    config: {
      ...ctx.config,
      resale: { ...ctx.config.resale, priceFactor: 0 },
      rehost: { ...ctx.config.rehost, consumerUsdPerGpu: usd },
    },
  });
  for (const usd of [0, 100]) {
    const d = decide(withCapex(usd), fleet, highs);
    assert.equal(d.cells[0]!.recommended.AI, 10, `capex ${usd}: all rent for AI`);
    assert.equal(d.plan.rehosted, 6, `capex ${usd}: the 6 not AI-ready are re-hosted`);
    assert.ok(Math.abs(d.plan.capexUsd - 6 * usd) < 1e-6, `capex ${usd}: ${d.plan.capexUsd}`);
  }
});
