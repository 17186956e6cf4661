import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContext, openFleet } from './context.ts';
import { decide } from './decide.ts';
import { composeReport, counterfactual } from './report-content.ts';
import { loadSolver } from '../solve/highs.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { buildDocument } from '../report/document.ts';
import type { Decision } from '../domain/decision.ts';
import type { ReportData } from '../report/types.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-content-')) });
const fleet = openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/hive-like.json'));
let shared: Promise<{ d: Decision; r: ReportData }> | undefined;
/** hive-like's decision and its report content, made once; each call gets its own copy. */
async function decided(): Promise<{ d: Decision; r: ReportData }> {
  shared ??= loadSolver().then((highs) => {
    const d = decide(ctx, fleet, highs);
    return { d, r: composeReport(ctx, d, fleet, [], '2026-11-25T12:00:00Z') };
  });
  return structuredClone(await shared);
}

test('report content: break-evens per cell at its own site, the counterfactual against the fleet today', async () => {
  const { d, r } = await decided();
  assert.equal(r.breakEvens.length, d.cells.length);
  for (const [i, c] of d.cells.entries()) {
    const be = r.breakEvens[i]!;
    assert.deepEqual([be.site, be.model, be.best], [c.site, c.model, c.income.best]);
    const tariff = be.items.find((x) => x.param === 'electricityUsdPerKwh')!;
    assert.equal(tariff.current, fleet.sites.find((s) => s.id === c.site)!.tariffUsdPerKwh);
  }
  assert.ok(new Set(fleet.sites.map((s) => s.tariffUsdPerKwh)).size > 1, 'sites differ, so the check bites');
  const cf = r.counterfactual;
  assert.equal(cf.baseline, 'fleet current allocation');
  assert.equal(cf.baselineDate, null);
  assert.ok(Math.abs(cf.baselineNetUsdPerDay - d.totals.currentNetUsdPerDay) < 1e-6);
  assert.ok(Math.abs(cf.differenceUsdPerDay - (cf.recommendedNetUsdPerDay - cf.baselineNetUsdPerDay)) < 1e-9);
  assert.ok(r.comingChanges.length > 0 && r.comingChanges.every((e) => e.date >= ctx.snapshot.date));
});

const CF =
  "counterfactual: yesterday's recommendation valued at today's incomes; cells it lacks keep today's allocation";
test(CF, async () => {
  const { d, r: today } = await decided();
  const first = d.cells[0]!;
  const allRvn = { RVN: first.count, ERG: 0, AI: 0, sell: 0, idle: 0 };
  const yesterday = {
    ...today,
    date: '2026-11-24',
    models: [{ ...today.models[0]!, recommended: allRvn }], // only the first cell was reported
  };
  const cf = counterfactual(d, yesterday, ctx.config.mining.uptime);
  assert.equal(cf.baseline, 'previous report');
  assert.equal(cf.baselineDate, '2026-11-24');
  assert.deepEqual(cf.cells[0]!.baseline, allRvn);
  // Mining is valued by the network rule: the baseline's RVN cards share R(F) = kept B F / (N + F) by hashrate,
  // F = every baseline RVN card (this cell's, plus the other cells' current ones), N from the decision.
  const rvn = first.income.uses.RVN;
  assert.ok(rvn.eligible, 'the first cell can mine RVN, so the check bites');
  const net = d.networks.find((n) => n.coin === 'RVN')!;
  const up = ctx.config.mining.uptime;
  const mhs = (c: (typeof d.cells)[number]) => Number(c.income.uses.RVN.detail.hashrateMhs) * up;
  const f =
    first.count * mhs(first) +
    d.cells.slice(1).reduce((a, c) => a + (c.income.uses.RVN.eligible ? c.current.RVN * mhs(c) : 0), 0);
  const perMhs = (net.keptShare * net.issuedUsdPerDay) / (net.externalMhs + f);
  const expected = first.count * (mhs(first) * perMhs - rvn.powerCostUsdPerDay);
  assert.ok(
    Math.abs(cf.cells[0]!.baselineNetUsdPerDay - expected) < 1e-6,
    `${cf.cells[0]!.baselineNetUsdPerDay}`,
  );
  assert.ok(
    Math.abs(expected - first.count * rvn.netUsdPerDay) > 1,
    'the fleet is a visible share of RVN, so the rule differs from the lone-card figure',
  );
  for (const [i, c] of d.cells.entries()) {
    if (i === 0) continue;
    assert.deepEqual(cf.cells[i]!.baseline, c.current, `${c.site}/${c.model} falls back to current`);
    assert.equal(
      cf.cells[i]!.recommendedNetUsdPerDay,
      today.counterfactual.cells[i]!.recommendedNetUsdPerDay,
    );
  }
  const sum = cf.cells.reduce((a, c) => a + c.baselineNetUsdPerDay, 0);
  assert.equal(cf.baselineNetUsdPerDay, sum);
});

test('the AI-rate table shows the marketplace median and the secure-cloud list median apart, labelled', async () => {
  const { r } = await decided();
  const section = buildDocument(r, []).sections.find((s) => s.id === 'ai-rates')!;
  const t = section.blocks.find((b) => b.kind === 'table')!;
  assert.ok(t.kind === 'table');
  const col = (h: string) => t.headers.indexOf(h);
  assert.ok(col('marketplace median (n)') > 0 && col('secure-cloud list median (n)') > 0);
  // marketplace quotes of data/snapshots/2026-11-25.json, RTX 3090: community/marketplace 0.22, 0.21, 0.50,
  // 0.25, 0.105 -> 0.22;
  // RunPod secure 0.43 and RunPod list 0.46 -> 0.445 (kept out of the median)
  const row = t.rows.find((x) => x[0] === 'rtx-3090')!;
  assert.equal(row[col('marketplace median (n)')], '$0.22 (5)');
  assert.equal(row[col('secure-cloud list median (n)')], '$0.445 (2)');
  assert.equal(row[col('our rate')], '$0.22');
});
