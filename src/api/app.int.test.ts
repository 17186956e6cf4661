import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, TEST_NOW, type Harness } from './test-harness.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { openContext, openFleet } from '../engine/context.ts';
import { writeReport } from '../engine/report.ts';
import { loadSolver } from '../solve/highs.ts';

let h: Harness;
let reportsDir: string;

before(async () => {
  reportsDir = mkdtempSync(join(tmpdir(), 'rigpivot-api-rep-'));
  const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-api-ctx-')) });
  await writeReport(
    ctx,
    openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/small-farm.json')),
    await loadSolver(),
    reportsDir,
    TEST_NOW,
  );
  h = await startHarness({ reportsDir });
});
after(async () => {
  await h.close();
  rmSync(reportsDir, { recursive: true, force: true });
});

const json = async (r: Response) => (await r.json()) as Record<string, any>;

test('health reports the snapshot, its age and every source with a freshness tier', async () => {
  const r = await h.get('/api/v1/health');
  assert.equal(r.status, 200);
  const b = await json(r);
  assert.equal(b.status, 'ok');
  assert.equal(b.snapshot.date, '2026-11-25');
  // the snapshot's own date is not its age: its newest dated observation is AWS's 2026-09-24 price file
  assert.deepEqual([b.snapshot.dataAsOf, b.snapshot.ageDays, b.snapshot.tier], ['2026-09-24', 62, 'stale']);
  const names = b.sources.map((s: { source: string }) => s.source);
  for (const n of ['embedded', 'whattomine', 'coingecko', 'azure', 'aws']) assert.ok(names.includes(n), n);
  for (const s of b.sources) assert.ok(['fresh', 'stale', 'too-old', 'never'].includes(s.tier));
});

test('market: every input has value, unit, as-of, source, kind and tier', async () => {
  const b = await json(await h.get('/api/v1/market'));
  assert.ok(b.inputs.length > 20);
  for (const i of b.inputs) {
    assert.equal(typeof i.value, 'number');
    for (const k of ['unit', 'asOf', 'source', 'kind', 'tier'])
      assert.ok(typeof i[k] === 'string' && i[k].length > 0, `${i.name}.${k}`);
  }
  assert.equal(b.meta.snapshotId, '2026-11-25');
  const rvn = b.inputs.find((i: { name: string }) => i.name === 'RVN price');
  assert.equal(rvn.unit, 'USD/RVN');
});

test('gpus and per-model income; unknown model 404, unknown site 400 naming it', async () => {
  const g = await json(await h.get('/api/v1/gpus'));
  assert.ok(g.models.length >= 24);
  const r = await h.get('/api/v1/gpus/rtx-3070/income?site=wa-hydro');
  assert.equal(r.status, 200);
  const b = await json(r);
  assert.equal(b.site.id, 'wa-hydro');
  assert.equal(b.unit, 'USD per device per day');
  for (const u of ['RVN', 'ERG', 'AI']) assert.equal(typeof b.income.uses[u].netUsdPerDay, 'number');
  const nf = await h.get('/api/v1/gpus/no-such-card/income');
  assert.equal(nf.status, 404);
  assert.match((await json(nf)).error.message, /no-such-card/);
  const bad = await h.get('/api/v1/gpus/rtx-3070/income?site=mars');
  assert.equal(bad.status, 400);
  assert.match((await json(bad)).error.message, /site: unknown site "mars"/);
  const q = await h.get('/api/v1/gpus/rtx-3070/income?cmpPatched=perhaps');
  assert.equal(q.status, 400);
  assert.equal((await json(q)).error.details.issues[0].path, 'query.cmpPatched');
});

test('GET allocation: names its snapshot, ETag revalidation, cache hit, charts on request', async () => {
  const r1 = await h.get('/api/v1/allocation');
  assert.equal(r1.status, 200);
  const b = await json(r1);
  assert.equal(b.meta.snapshotId, '2026-11-25');
  assert.equal(b.meta.decisionDate, '2026-11-25');
  assert.ok(Array.isArray(b.meta.staleInputs));
  assert.equal(b.allocation.headline.devices, 38_560);
  // one cell per fleet entry: hive-like.json lists 29 (site, model, cmpPatched) entries
  assert.equal(b.allocation.cells.length, 29);
  for (const c of b.allocation.cells)
    assert.equal(
      c.recommended.RVN + c.recommended.ERG + c.recommended.AI + c.recommended.sell + c.recommended.idle,
      c.count,
    );
  // the keep / move / sell plan, one row per cell, counts adding up to the cell
  assert.equal(b.allocation.plan.rows.length, 29);
  for (const x of b.allocation.plan.rows)
    assert.equal(x.mining + x.aiReady + x.rehosted + x.idle + x.sold, x.count);
  assert.ok(b.allocation.plan.days > 0 && typeof b.allocation.plan.cashFromSalesUsd === 'number');
  // the fleet's share of each coin's network and its marginal card, per coin
  assert.deepEqual(
    b.allocation.networks.map((n: Record<string, unknown>) => n.coin),
    ['RVN', 'ERG'],
  );
  for (const n of b.allocation.networks)
    for (const k of [
      'shareOfNetwork',
      'externalMhs',
      'fleetMhs',
      'marginalUsdPerMhsDay',
      'lastCard',
      'method',
    ])
      assert.ok(k in n, `${n.coin}: ${k}`);
  assert.equal(b.advice, undefined, 'the summary view leaves the detail out');
  assert.equal(b.charts, undefined);
  // first the moves (what to do, the gain after switching cost, why), then the uncertain inputs whose
  // break-even would change this advice (the RVN price is 243 days old)
  assert.deepEqual(Object.keys(b).slice(0, 2), ['moves', 'warnings']);
  assert.equal(b.moves.gain.label, 'Gain from the moves, after switching cost');
  assert.ok(b.moves.moves.length > 0 && b.moves.cells.length > 0);
  for (let k = 1; k < b.moves.moves.length; k++)
    assert.ok(b.moves.moves[k - 1].usdPerDay >= b.moves.moves[k].usdPerDay, 'largest effect first');
  for (const c of b.allocation.cells)
    if (Object.entries(c.recommended).some(([u, n]) => u !== c.best && (n as number) > 0))
      assert.ok(
        b.moves.cells.some((x: { site: string; model: string }) => x.site === c.site && x.model === c.model),
        `${c.model} @ ${c.site}: no reason`,
      );
  // the summary does not run the warnings search (dozens of re-solves): not computed is null, and says so
  assert.equal(b.warnings, null);
  assert.equal(b.warningsCheck.status, 'not-run');
  assert.match(b.warningsCheck.note, /^NOT CHECKED: .*view=full/);
  assert.equal(b.meta.inputsByKind.approximate, 17);
  assert.equal(b.allocation.difficultyBreakEvens.length, 2);
  const etag = r1.headers.get('etag')!;
  assert.match(etag, /^"[\w-]+"$/);
  assert.match(r1.headers.get('cache-control')!, /no-cache/);
  const r2 = await h.get('/api/v1/allocation');
  assert.equal(r2.headers.get('x-cache'), 'HIT');
  assert.equal(r2.headers.get('etag'), etag);
  const r3 = await h.get('/api/v1/allocation', { 'If-None-Match': etag });
  assert.equal(r3.status, 304);
  const gz = await fetch(`${h.url}/api/v1/allocation?view=full`, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(gz.headers.get('content-encoding'), 'gzip');
  assert.match(gz.headers.get('etag')!, /-gz"$/);
  const full = (await gz.json()) as Record<string, any>;
  assert.equal(full.advice.headline.netUsdPerDay, b.allocation.headline.netUsdPerDay);
  assert.ok(full.advice.inputs.length > 20 && full.advice.breakEvens.length === 29);
  assert.ok(
    full.warnings.some((w: string) => /^RVN price .*too-old.*The advice changes/.test(w)),
    full.warnings,
  );
  // once the full view searched, the summary of the same request carries its warnings
  const after = await json(await h.get('/api/v1/allocation'));
  assert.deepEqual([after.warningsCheck.status, after.warnings], ['searched', full.warnings]);
  const c = await json(await h.get('/api/v1/allocation?charts=1'));
  assert.ok(c.charts.length >= 6);
  for (const s of c.charts)
    assert.ok(s.config.options.plugins.title.text && s.config.data.datasets.length > 0, s.id);
  assert.equal((await h.get('/api/v1/allocation?charts=maybe')).status, 400);
  assert.equal((await h.get('/api/v1/allocation?extra=1')).status, 400);
});

test('POST allocation: a fleet without aiDemand for a class gets a warning, not silent unlimited demand', async () => {
  const fleet = {
    name: 'no vram24 demand',
    sites: [{ id: 'shed', name: 'Shed', powerCapKw: 1000, tariffUsdPerKwh: 0.05, pue: 1.1 }],
    gpus: [{ site: 'shed', model: 'rtx-3090', count: 10, aiReady: 10 }], // in AI servers: no capex
  };
  const b = await json(await h.post('/api/v1/allocation', { fleet }));
  // the unstated demand is an ASSUMPTION line of the decision's own, shown even when the warnings
  // search (the summary leaves it to view=full) did not run
  const stated = (w: string[]) => w.filter((x) => x.startsWith('ASSUMPTION:'));
  assert.equal(b.warnings, null);
  assert.equal(stated(b.warningsCheck.decisionWarnings).length, 1);
  assert.match(stated(b.warningsCheck.decisionWarnings)[0]!, /no AI demand for vram24 \(aiDemand\.vram24\)/);
  const full = await json(await h.post('/api/v1/allocation?view=full', { fleet }));
  assert.deepEqual(stated(full.warnings), stated(b.warningsCheck.decisionWarnings));
  assert.deepEqual(
    b.allocation.aiDemand.find((a: { aiClass: string }) => a.aiClass === 'vram24'),
    { aiClass: 'vram24', capGpus: null, usedGpus: 10, shadowUsdPerGpuDay: 0 },
  );
  const capped = await json(
    await h.post('/api/v1/allocation', { fleet: { ...fleet, aiDemand: { vram24: 4 } } }),
  );
  assert.deepEqual(stated(capped.warningsCheck.decisionWarnings), []);
});

test('POST allocation what-if: overrides change the answer and are labelled as assumed', async () => {
  const base = await json(await h.get('/api/v1/allocation?view=full'));
  const r = await h.post('/api/v1/allocation?view=full', {
    overrides: { coinPriceUsd: { RVN: 0.05 }, electricityUsdPerKwh: 0.03, aiUtilisation: 0.3 },
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const b = await json(r);
  assert.notEqual(b.advice.headline.netUsdPerDay, base.advice.headline.netUsdPerDay);
  assert.ok(
    b.advice.headline.byUse.RVN > base.advice.headline.byUse.RVN,
    'a 9x RVN price moves cards to RVN',
  );
  assert.ok(b.meta.whatIf.some((s: string) => s.includes('RVN price 0.05')));
  const p = b.advice.inputs.find((i: { name: string }) => i.name === 'RVN price');
  assert.equal(p.value, 0.05);
  assert.equal(p.kind, 'assumed');
  assert.match(p.method, /what-if override \(was 0.0055009/);
  // the same what-if in another key order is the same cached answer
  const again = await h.post('/api/v1/allocation?view=full', {
    overrides: { aiUtilisation: 0.3, electricityUsdPerKwh: 0.03, coinPriceUsd: { RVN: 0.05 } },
  });
  assert.equal(again.headers.get('x-cache'), 'HIT');
});

test('POST allocation what-if: resale factor, re-hosting capex and horizon change the plan', async () => {
  const plan = async (overrides: Record<string, unknown>) => {
    const r = await h.post('/api/v1/allocation', { overrides });
    assert.equal(r.status, 200, JSON.stringify(overrides));
    const b = await json(r);
    return { plan: b.allocation.plan, byUse: b.allocation.headline.byUse, whatIf: b.meta.whatIf as string[] };
  };
  const base = await plan({});
  assert.ok(base.plan.sold > 0, 'the example fleet sells some cards today');
  // worthless cards: a sale only costs the selling fee and logistics, so nothing is sold
  const worthless = await plan({ resalePriceFactor: 0 });
  assert.equal(worthless.plan.sold, 0);
  assert.equal(worthless.byUse.sell, 0);
  assert.ok(worthless.whatIf.includes('resale.priceFactor = 0'));
  // twice the used-market price: selling beats keeping for more cards
  const dear = await plan({ resalePriceFactor: 2 });
  assert.ok(dear.plan.sold > base.plan.sold, `${dear.plan.sold} sold at 2x vs ${base.plan.sold}`);
  // free re-hosting: more cards go to AI
  const free = await plan({ rehostUsdPerGpu: 0 });
  assert.ok(free.byUse.AI > base.byUse.AI, `${free.byUse.AI} on AI with free re-hosting`);
  assert.ok(free.whatIf.includes('rehost.consumerUsdPerGpu = 0'));
  const short = await plan({ horizonDays: 30 });
  assert.equal(short.plan.days, 30);
  for (const [overrides, re] of [
    [{ resalePriceFactor: -1 }, /body\.overrides\.resalePriceFactor: Too small/],
    [{ rehostUsdPerGpu: 'cheap' }, /body\.overrides\.rehostUsdPerGpu/],
    [{ horizonDays: 0.5 }, /body\.overrides\.horizonDays/],
  ] as const) {
    const r = await h.post('/api/v1/allocation', { overrides });
    assert.equal(r.status, 400, JSON.stringify(overrides));
    assert.match((await json(r)).error.message, re);
  }
});

test('POST allocation with a fleet in the body; bad bodies are 400s naming the field', async () => {
  const fleet = JSON.parse(readFileSync(join(SHIPPED_DATA_DIR, 'fleets/small-farm.json'), 'utf8'));
  const ok = await json(await h.post('/api/v1/allocation', { fleet }));
  assert.equal(ok.allocation.fleet, fleet.name);
  const cases: [unknown, number, RegExp][] = [
    [{ overrides: { electricityUsdPerKwh: 'cheap' } }, 400, /body\.overrides\.electricityUsdPerKwh/],
    [{ overrides: { electricityUsdPerKwh: -1 } }, 400, /electricityUsdPerKwh/],
    [{ overrides: { powerCapKw: { mars: 100 } } }, 400, /overrides\.powerCapKw\.mars: unknown site/],
    [
      { overrides: { addGpus: [{ site: 'mars', model: 'rtx-3070', count: 1 }] } },
      400,
      /overrides\.addGpus\[0\]\.site: unknown site/,
    ],
    [
      { overrides: { addGpus: [{ site: 'wa-hydro', model: 'rtx-9999', count: 1 }] } },
      400,
      /overrides\.addGpus\[0\]\.model: unknown GPU model/,
    ],
    [{ overrides: { config: { 'mining.poolFee': 0.9 } } }, 400, /mining\.poolFee/],
    [{ overrides: { config: { 'no.such': 1 } } }, 400, /overrides\.config\.no\.such: unknown assumption/],
    [
      { fleet: { ...fleet, gpus: [{ site: 'nowhere', model: 'rtx-3070', count: 1 }] } },
      400,
      /gpus\[0\]\.site: unknown site/,
    ],
    [{ extra: true }, 400, /body: Unrecognized key/i],
    ['{"overrides": ', 400, /not valid JSON/],
    ['[1,2,3]', 400, /invalid body/],
  ];
  for (const [body, status, re] of cases) {
    const r = await h.post('/api/v1/allocation', body);
    assert.equal(r.status, status, JSON.stringify(body));
    const e = await json(r);
    assert.match(e.error.message, re, JSON.stringify(body));
    assert.doesNotMatch(JSON.stringify(e), /at .*\.ts:\d+/, 'no stack trace');
  }
  const ct = await fetch(`${h.url}/api/v1/allocation`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: '{}',
  });
  assert.equal(ct.status, 415);
  const big = await h.post('/api/v1/allocation', { overrides: {}, pad: 'x'.repeat(1_100_000) });
  assert.equal(big.status, 413);
  const bigError = (await json(big)).error;
  assert.equal(bigError.code, 'PAYLOAD_TOO_LARGE');
  assert.match(bigError.message, /at most 1000000 bytes, RIGPIVOT_BODY_LIMIT\): send a smaller fleet/);
});

test('a new snapshot file invalidates cached advice', async () => {
  const r1 = await h.get('/api/v1/allocation');
  const snap = JSON.parse(readFileSync(join(SHIPPED_DATA_DIR, 'snapshots/2026-11-25.json'), 'utf8'));
  snap.coins.RVN.priceUsd.value *= 3;
  mkdirSync(join(h.dataDir, 'snapshots'), { recursive: true });
  writeFileSync(join(h.dataDir, 'snapshots/2026-11-25.json'), JSON.stringify(snap));
  const r2 = await h.get('/api/v1/allocation');
  assert.equal(r2.headers.get('x-cache'), 'MISS');
  assert.notEqual(r2.headers.get('etag'), r1.headers.get('etag'));
  const b = await json(await h.get('/api/v1/allocation?view=full'));
  assert.equal(
    b.advice.inputs.find((i: { name: string }) => i.name === 'RVN price').value,
    snap.coins.RVN.priceUsd.value,
  );
  rmSync(join(h.dataDir, 'snapshots'), { recursive: true });
  assert.equal((await h.get('/api/v1/allocation')).headers.get('x-cache'), 'MISS');
});

test('reports: list, report.json, html and png; traversal in any encoding never escapes', async () => {
  const list = await json(await h.get('/api/v1/reports'));
  assert.equal(list.reports[0].date, '2026-11-25');
  assert.ok(list.reports[0].files.includes('charts/allocation.png'));
  const rj = await json(await h.get('/api/v1/reports/2026-11-25'));
  assert.equal(rj.version, 1);
  assert.ok(list.reports[0].files.includes('charts/tornado.png'), 'the report carries the tornado');
  assert.equal(rj.sensitivity.bars.length, 8);
  const html = await h.get('/api/v1/reports/2026-11-25/report.html');
  assert.match(html.headers.get('content-type')!, /text\/html/);
  const png = await h.get('/api/v1/reports/2026-11-25/charts/allocation.png');
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.equal((await h.get('/api/v1/reports/2026-11-24')).status, 404);
  for (const p of [
    '/api/v1/reports/..%2F..%2Fpackage.json',
    '/api/v1/reports/2026-11-25/..%2F..%2F..%2Fpackage.json',
    '/api/v1/reports/2026-11-25/%2e%2e/%2e%2e/package.json',
    '/api/v1/reports/2026-11-25/charts/..%252f..%252fpackage.json',
    '/api/v1/reports/..%5c..%5cpackage.json',
    '/api/v1/reports/2026-11-25/report.json%00.png',
    '/api/v1/reports/%2e%2e',
    '/api/v1/reports/2026-11-25/../../package.json',
  ]) {
    const r = await h.get(p);
    assert.ok(r.status >= 400 && r.status < 500, `${p} -> ${r.status}`);
    const text = await r.text();
    assert.doesNotMatch(text, /"name": "rigpivot"|devDependencies/, p);
  }
});

test('history: series list, points with source, 404/400 for bad series and ranges', async () => {
  const s = await json(await h.get('/api/v1/history'));
  assert.ok(
    s.series.some((x: { series: string; key: string }) => x.series === 'coin.priceUsd' && x.key === 'RVN'),
  );
  const r = await json(
    await h.get('/api/v1/history?series=coin.priceUsd&key=RVN&from=2025-01-01&to=2025-01-31'),
  );
  assert.equal(r.unit, 'USD/coin');
  assert.equal(r.points.length, 31);
  assert.ok(
    r.points.every(
      (p: { date: string; source: string }) =>
        p.date >= '2025-01-01' && p.date <= '2025-01-31' && p.source.length > 0,
    ),
  );
  assert.equal((await h.get('/api/v1/history?series=nope')).status, 404);
  assert.equal((await h.get('/api/v1/history?series=coin.priceUsd')).status, 400);
  assert.equal(
    (await h.get('/api/v1/history?series=coin.priceUsd&key=RVN&from=2025-02-01&to=2025-01-01')).status,
    400,
  );
  assert.equal((await h.get('/api/v1/history?series=coin.priceUsd&key=RVN&from=yesterday')).status, 400);
});

test('risk: seeded bands per model, reproducible and cached; bad parameters 400', async () => {
  const r = await h.get('/api/v1/risk?paths=500&seed=5&site=wa-hydro');
  assert.equal(r.status, 200);
  const b = await json(r);
  assert.equal(b.paths, 500);
  assert.equal(b.horizonDays, 30, 'parameters not given take the defaults');
  assert.equal(b.blockDays, 10);
  assert.equal(b.site.id, 'wa-hydro');
  const m = b.models.find((x: { modelId: string }) => x.modelId === 'rtx-3070');
  assert.ok(
    m.uses.ERG.p10 < m.uses.ERG.p50 && m.uses.ERG.p50 < m.uses.ERG.p90,
    'a real spread, not a degenerate band',
  );
  assert.ok(
    m.uses.ERG.p50 < 0 && m.uses.ERG.p50 > -30,
    `30 days of ERG on an RTX 3070 at today's prices: ${m.uses.ERG.p50}`,
  );
  assert.equal(b.chart.id, 'risk');
  assert.match(b.chart.title, /over 30 days/);
  const again = await h.get('/api/v1/risk?seed=5&paths=500&site=wa-hydro');
  assert.equal(again.headers.get('x-cache'), 'HIT');
  for (const q of ['paths=5', 'paths=abc', 'horizon=9999', 'seed=-1', 'site=mars'])
    assert.equal((await h.get(`/api/v1/risk?${q}`)).status, 400, q);
});

test('sensitivity: tornado bars largest swing first with a chart spec; cached; bad step 400', async () => {
  const r = await h.get('/api/v1/sensitivity?step=0.25');
  assert.equal(r.status, 200);
  const b = await json(r);
  assert.equal(b.step, 0.25);
  assert.equal(b.fleet, 'HIVE-like fleet (example)');
  const swings = b.bars.map((x: { swingUsdPerDay: number }) => x.swingUsdPerDay);
  assert.deepEqual(
    swings,
    [...swings].sort((x: number, y: number) => y - x),
  );
  assert.ok(swings[0] > 0);
  assert.equal(b.chart.id, 'tornado');
  assert.equal(b.chart.config.data.labels.length, b.bars.length);
  assert.equal((await h.get('/api/v1/sensitivity?step=0.25')).headers.get('x-cache'), 'HIT');
  for (const q of ['step=2', 'step=0', 'step=abc', 'step=-0.2', 'foo=1'])
    assert.equal((await h.get(`/api/v1/sensitivity?${q}`)).status, 400, q);
});

test('security headers: the precomputed set is exactly what helmet sets live', async () => {
  const express = (await import('express')).default;
  const helmet = (await import('helmet')).default;
  const { HELMET_OPTIONS } = await import('./app.ts');
  const { listen } = await import('./server.ts');
  const live = express();
  live.disable('x-powered-by');
  live.use(helmet(HELMET_OPTIONS));
  live.get('/x', (_req, res) => {
    res.json({});
  });
  const srv = await listen(live, '127.0.0.1', 0);
  try {
    const want = (await fetch(`${srv.url}/x`)).headers;
    const got = (await h.get('/api/v1/gpus')).headers;
    const names = [...want.keys()].filter(
      (k) => !['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'etag'].includes(k),
    );
    assert.ok(names.length >= 10, names.join(', '));
    for (const k of names) assert.equal(got.get(k), want.get(k), k);
  } finally {
    await srv.close();
  }
  const head = await fetch(`${h.url}/api/v1/allocation`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.ok(Number(head.headers.get('content-length')) > 1000);
  assert.equal((await head.text()).length, 0);
});

test('openapi is generated from the request schemas; docs page and dashboard are served', async () => {
  const d = await json(await h.get('/api/openapi.json'));
  assert.equal(d.openapi, '3.1.0');
  const post = d.paths['/api/v1/allocation'].post;
  assert.ok(post.requestBody);
  assert.ok(d.components.schemas.WhatIf.properties.electricityUsdPerKwh);
  assert.equal((await h.get('/api/docs/')).status, 200);
  const page = await h.get('/');
  assert.match(await page.text(), /<canvas id="price-history"/);
  assert.match(page.headers.get('content-security-policy')!, /script-src 'self'/);
  assert.equal((await h.get('/vendor/chart.umd.min.js')).status, 200);
});

test('wrong methods get 405 with Allow; unknown routes JSON 404; CORS off by default', async () => {
  const r = await fetch(`${h.url}/api/v1/allocation`, { method: 'PUT' });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'GET, POST');
  const nf = await h.get('/api/v2/anything');
  assert.equal(nf.status, 404);
  assert.equal((await json(nf)).error.code, 'NOT_FOUND');
  const c = await h.get('/api/v1/health', { Origin: 'https://evil.example' });
  assert.equal(c.headers.get('access-control-allow-origin'), null);
});

test('an internal failure is a JSON 500 without a stack trace (logged server-side)', async () => {
  const bad = await startHarness({ reportsDir: join(SHIPPED_DATA_DIR, 'SOURCES.md') }); // a file, not a folder
  try {
    const r = await bad.get('/api/v1/reports');
    assert.equal(r.status, 500);
    const b = await json(r);
    assert.deepEqual(Object.keys(b.error).sort(), ['code', 'message']);
    assert.doesNotMatch(b.error.message, /ENOTDIR|\.ts/);
    assert.equal(bad.logs.length, 1);
  } finally {
    await bad.close();
  }
});

test('API key guards POSTs; rate limit: N posts pass, the N+1-th is the first 429; CORS origin', async () => {
  const N = 3;
  const k = await startHarness({
    apiKey: 'k'.repeat(24),
    postRateLimitPerMin: N,
    corsOrigins: ['https://ops.example.com'],
    fleet: 'fleets/small-farm.json',
  });
  try {
    // Refused keys are answered before the limiter, so they do not use up the window.
    assert.equal((await k.post('/api/v1/allocation', {})).status, 401);
    assert.equal((await k.post('/api/v1/allocation', {}, { 'X-API-Key': 'wrong' })).status, 401);
    const keyed = (i: number) =>
      k.post(
        '/api/v1/allocation',
        {},
        i % 2 ? { Authorization: `Bearer ${'k'.repeat(24)}` } : { 'X-API-Key': 'k'.repeat(24) },
      );
    const statuses: number[] = [];
    for (let i = 0; i < N; i++) {
      statuses.push((await keyed(i)).status);
      if (i === 0) assert.equal((await k.get('/api/v1/allocation')).status, 200, 'GET stays open');
    }
    const over = await keyed(N);
    statuses.push(over.status);
    assert.deepEqual(statuses, [...Array(N).fill(200), 429], 'requests 1..N pass, N+1 is limited');
    assert.equal((await json(over)).error.code, 'RATE_LIMITED');
    const pre = await fetch(`${k.url}/api/v1/allocation`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://ops.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'https://ops.example.com');
    assert.equal(
      (await k.get('/api/v1/health', { Origin: 'https://other.example.com' })).headers.get(
        'access-control-allow-origin',
      ),
      null,
    );
  } finally {
    await k.close();
  }
});

test('POST collect (offline) writes a snapshot and the next advice uses it', async () => {
  const { collectMarketData } = await import('../engine/index.ts'); // the wiring `rigpivot serve` uses
  const { loadReference } = await import('../store/reference.ts');
  const { DEFAULT_CONFIG } = await import('../config/schema.ts');
  const { DEFAULT_SOURCES } = await import('../config/sources.ts');
  const withCollect = await startHarness({
    fleet: 'fleets/small-farm.json',
    collect: (req) =>
      collectMarketData(
        { dataDir: withCollect.dataDir, reference: loadReference(), config: DEFAULT_CONFIG },
        DEFAULT_SOURCES,
        req,
        () => TEST_NOW,
      ),
  });
  try {
    const before = await withCollect.get('/api/v1/allocation');
    const r = await withCollect.post('/api/v1/collect', {});
    assert.equal(r.status, 200);
    const b = await json(r);
    assert.equal(b.results[0].source, 'embedded');
    assert.match(b.snapshotFile, /snapshots\/2026-11-25\.json$/);
    const after = await withCollect.get('/api/v1/allocation');
    assert.equal(after.headers.get('x-cache'), 'MISS');
    assert.notEqual(
      after.headers.get('etag'),
      before.headers.get('etag'),
      'the collected snapshot drops superseded offers, so advice changes',
    );
    assert.equal((await withCollect.post('/api/v1/collect', { live: 'yes' })).status, 400);
    assert.equal((await withCollect.post('/api/v1/collect', { date: '2099-01-01' })).status, 400);
    const hist = await json(await withCollect.get('/api/v1/history'));
    assert.match(hist.origin, /rigpivot\.db$/, 'history now comes from the store');
  } finally {
    await withCollect.close();
  }
});
