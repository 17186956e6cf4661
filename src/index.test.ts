import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openWorkbench, tableHtml, InputError, type Workbench } from './index.ts';
import { SHIPPED_DATA_DIR } from './store/files.ts';

const NOTEBOOKS = resolve(SHIPPED_DATA_DIR, '../notebooks');
const opts = { dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-api-')) };

/** The default workbench's advice for hive-like, computed once (the embedded advise costs seconds). */
let hiveAdvice: ReturnType<Workbench['advise']>;
before(async () => {
  const wb = await openWorkbench(opts);
  hiveAdvice = wb.advise('hive-like');
  wb.close();
});

test('public API: the workbench answers from shipped data with provenance, like the CLI', async () => {
  const wb = await openWorkbench(opts);
  assert.equal(wb.date, '2026-11-25');
  const inputs = wb.inputs();
  assert.ok(
    inputs.length > 10 &&
      inputs.every((i) => i.unit && i.asOf && i.source && ['fresh', 'stale', 'too-old'].includes(i.tier)),
  );
  assert.deepEqual(wb.exampleFleets(), ['hive-like', 'small-farm']);
  const rates = wb.aiRates();
  const r1660 = rates.find((r) => r.model === 'gtx-1660-super')!;
  assert.equal(r1660.rentable, false);
  assert.match(r1660.gate!, /below the 8 GiB/);
  assert.ok(rates.every((r) => r.rateUsdPerGpuHour <= r.askingUsdPerGpuHour + 1e-12));
  const a = hiveAdvice;
  // regression pin: 16,824 before the fictional KawPow ASICs (all 500 on RVN) left the example fleet;
  // 15,065 at the assumed RVN difficulty 92,100, before list prices left the marketplace medians and the
  // A100 40 GB got its own quote (14,670 after both); 16,611 at the real 2026-08-18 header (D 10,950);
  // 15,233 once the fleet shares each network with the other miners (R(F) = B F / (N + F)); 8,123 with
  // the horizon paths (sell, re-hosting capex, take-or-pay) and site fixed costs out of the net
  assert.equal(Math.round(a.headline.netUsdPerDay), 8123);
  const cheap = wb.advise('hive-like', { electricityUsdPerKwh: 0.03 });
  assert.ok(cheap.headline.netUsdPerDay > a.headline.netUsdPerDay);
  assert.deepEqual(cheap.whatIf.slice(0, 1), ['wa-hydro tariff 0.03 USD/kWh']);
  assert.equal(wb.income().length, wb.models().length);
  wb.close();
});

test('public API: bad input is an InputError naming the field', async () => {
  const wb = await openWorkbench(opts);
  assert.throws(
    () => wb.advise('hive-like', { electricityUsdPerKwh: -1 }),
    (e: unknown) => e instanceof InputError && /whatIf\.electricityUsdPerKwh/.test(e.message),
  );
  assert.throws(() => wb.advise('hive-like', { bogus: 1 } as never), /whatIf/);
  assert.throws(
    () => wb.fleet('no-such-fleet'),
    /fleet: no example fleet "no-such-fleet"; examples: hive-like, small-farm/,
  );
  assert.throws(() => wb.site('hive-like', 'mars'), /siteId: unknown site "mars"/);
  await assert.rejects(openWorkbench({ ...opts, assumptions: { 'ai.utilisation': 2 } }), /assumptions/);
  const half = await openWorkbench({ ...opts, assumptions: { 'ai.utilisation': 0.3 } });
  // hive-like rents its AI-ready cards (the small farm would need re-hosting capex to rent at all)
  assert.ok(half.advise('hive-like').headline.netUsdPerDay < hiveAdvice.headline.netUsdPerDay);
  assert.match(tableHtml([{ a: '<script>' }]), /&lt;script&gt;/);
});

test('notebooks: committed with outputs cleared, importing only the public API, danfojs-node and tslab', () => {
  const files = readdirSync(NOTEBOOKS)
    .filter((f) => f.endsWith('.ipynb'))
    .sort();
  assert.deepEqual(files, [
    '01-market.ipynb',
    '02-gpu-economics.ipynb',
    '03-fleet-allocation.ipynb',
    '04-history.ipynb',
    '05-horizon-decision.ipynb',
  ]);
  for (const f of files) {
    const nb = JSON.parse(readFileSync(join(NOTEBOOKS, f), 'utf8')) as {
      cells: { cell_type: string; source: string[]; outputs?: unknown[]; execution_count?: number | null }[];
      metadata: { kernelspec: { name: string } };
    };
    assert.equal(nb.metadata.kernelspec.name, 'tslab', f);
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    assert.ok(code.length >= 5, `${f}: ${code.length} code cells`);
    for (const c of code)
      assert.ok(
        (c.outputs ?? []).length === 0 && (c.execution_count ?? null) === null,
        `${f}: a cell was saved with outputs`,
      );
    const src = code.map((c) => c.source.join('')).join('\n');
    const imports = [
      ...src.matchAll(/from '([^']+)'|import\(\s*'([^']+)'\s*\)|require\(\s*'([^']+)'\s*\)/g),
    ].map((m) => m[1] ?? m[2] ?? m[3]);
    assert.ok(imports.length >= 2, f);
    for (const i of imports)
      assert.ok(
        ['../build/index.js', 'danfojs-node', 'tslab'].includes(i!),
        `${f} imports ${i}: only the public API (../build/index.js), danfojs-node and tslab`,
      );
  }
});

test('public API: horizon values per path, and what-ifs on capex and resale move them', async () => {
  const wb = await openWorkbench(opts);
  const h = wb.horizon({ fleet: 'hive-like', siteId: 'wa-hydro', days: 30 });
  assert.equal(h.days, 30);
  assert.equal(h.mining.rule, 'fleet-margin');
  assert.equal(wb.horizon({ days: 30 }).mining.rule, 'lone');
  const r3070 = h.rows.find((r) => r.modelId === 'rtx-3070')!;
  assert.equal(r3070.cards, 3500);
  assert.equal(r3070.valuation.paths.AI.capexUsd, 400);
  const free = await openWorkbench({ ...opts, assumptions: { 'rehost.consumerUsdPerGpu': 0 } });
  const f3070 = free
    .horizon({ fleet: 'hive-like', siteId: 'wa-hydro', days: 30 })
    .rows.find((r) => r.modelId === 'rtx-3070')!;
  assert.ok(Math.abs(f3070.valuation.paths.AI.valueUsd - r3070.valuation.paths.AI.valueUsd - 400) < 1e-6);
  const dear = await openWorkbench({ ...opts, assumptions: { 'resale.priceFactor': 2 } });
  const d3070 = dear.horizon({ days: 30 }).rows.find((r) => r.modelId === 'rtx-3070')!;
  const base = wb.horizon({ days: 30 }).rows.find((r) => r.modelId === 'rtx-3070')!;
  assert.ok(Math.abs(d3070.resaleNow.grossUsdPerCard! - 2 * base.resaleNow.grossUsdPerCard!) < 1e-6);
  assert.throws(() => wb.horizon({ fleet: 'hive-like', siteId: 'mars' }), /siteId: unknown site "mars"/);
  wb.close();
  free.close();
  dear.close();
});
