import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from './test-harness.ts';

/**
 * The small hardening items of issue 16, each against the real app on 127.0.0.1: links out of reports/,
 * test files of the dashboard, Vary on cached CORS answers, deeply nested bodies, /health under rate
 * limits, absolute paths in 503s, impossible calendar dates.
 */
const json = async (r: Response) => (await r.json()) as Record<string, any>;

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `rigpivot-${prefix}-`));
}

test('reports/: a symbolic link leading outside is not followed (404, not listed); one inside is', async () => {
  const reports = tempDir('links-reports');
  const outside = tempDir('links-outside');
  writeFileSync(join(outside, 'report.json'), '{"secret":"outside reports/"}');
  mkdirSync(join(reports, '2026-11-20'));
  writeFileSync(join(reports, '2026-11-20', 'report.json'), '{"ok":"real folder"}');
  symlinkSync(outside, join(reports, '2026-11-21')); // a date folder that is a link out
  mkdirSync(join(reports, '2026-11-22'));
  symlinkSync(join(outside, 'report.json'), join(reports, '2026-11-22', 'report.json')); // a file link out
  mkdirSync(join(reports, '.v', '2026-11-23-a'), { recursive: true });
  writeFileSync(join(reports, '.v', '2026-11-23-a', 'report.json'), '{"ok":"versioned folder"}');
  symlinkSync(join(reports, '.v', '2026-11-23-a'), join(reports, '2026-11-23')); // a link that stays inside
  const h = await startHarness({ reportsDir: reports });
  try {
    for (const date of ['2026-11-21', '2026-11-22']) {
      const r = await h.get(`/api/v1/reports/${date}`);
      assert.equal(r.status, 404, date);
      const text = await r.text();
      assert.doesNotMatch(text, /secret/);
      assert.match(text, new RegExp(`"code":"NOT_FOUND".*no report\\.json for ${date}`));
    }
    assert.deepEqual(await json(await h.get('/api/v1/reports/2026-11-20')), { ok: 'real folder' });
    assert.deepEqual(await json(await h.get('/api/v1/reports/2026-11-23')), { ok: 'versioned folder' });
    const list = (await json(await h.get('/api/v1/reports'))).reports.map((x: { date: string }) => x.date);
    assert.deepEqual(list, ['2026-11-23', '2026-11-20']);
  } finally {
    await h.close();
    rmSync(reports, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test("the dashboard's test files are never served; its page, script and styles are", async () => {
  const h = await startHarness();
  try {
    for (const path of ['/dashboard.e2e.test.ts', '/DASHBOARD.E2E.TEST.TS', '/dashboard.e2e.test.ts/']) {
      const r = await h.get(path);
      assert.equal(r.status, 404, path);
      assert.doesNotMatch(await r.text(), /import|test\(/, path);
    }
    for (const path of ['/', '/index.html', '/dashboard.js', '/dashboard.css'])
      assert.equal((await h.get(path)).status, 200, path);
  } finally {
    await h.close();
  }
});

test('CORS: cached answers (MISS, HIT, 304) and answers without Origin all carry Vary: Origin', async () => {
  const origin = 'https://ops.example.com';
  const h = await startHarness({ corsOrigins: [origin] });
  const vary = (r: Response) =>
    (r.headers.get('vary') ?? '')
      .split(',')
      .map((x) => x.trim())
      .sort();
  try {
    const miss = await h.get('/api/v1/market', { Origin: origin, 'Accept-Encoding': 'gzip' });
    assert.equal(miss.headers.get('x-cache'), 'MISS');
    const hit = await h.get('/api/v1/market', { Origin: origin });
    assert.equal(hit.headers.get('x-cache'), 'HIT');
    const etag = hit.headers.get('etag')!;
    const notModified = await h.get('/api/v1/market', { Origin: origin, 'If-None-Match': etag });
    assert.equal(notModified.status, 304);
    for (const r of [miss, hit, notModified]) {
      assert.deepEqual(vary(r), ['Accept-Encoding', 'Origin']);
      assert.equal(r.headers.get('access-control-allow-origin'), origin);
    }
    const plain = await h.get('/api/v1/market');
    assert.deepEqual(vary(plain), ['Accept-Encoding', 'Origin'], 'the answer without Origin varies too');
    assert.equal(plain.headers.get('access-control-allow-origin'), null);
  } finally {
    await h.close();
  }
});

test('a fleet nested 10,000 deep is a 400 naming body.fleet, not a 500; the server stays healthy', async () => {
  const h = await startHarness();
  try {
    const deep = `{"fleet":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const r = await h.post('/api/v1/allocation', deep);
    assert.equal(r.status, 400);
    const b = await json(r);
    assert.equal(b.error.code, 'BODY_TOO_DEEP');
    assert.match(b.error.message, /^body\.fleet nests more than 32 levels of objects and arrays/);
    const arrays = `{"fleet":${'['.repeat(300_000)}${']'.repeat(300_000)}}`; // 600 kB, under the body limit
    const r2 = await h.post('/api/v1/allocation', arrays);
    assert.equal(r2.status, 400);
    assert.equal((await json(r2)).error.code, 'BODY_TOO_DEEP');
    assert.equal((await h.get('/api/v1/health')).status, 200);
    const fine = await h.post('/api/v1/allocation', { overrides: { aiUtilisation: 0.5 } });
    assert.equal(fine.status, 200, 'an ordinary what-if still works');
    assert.deepEqual(
      h.logs.filter((l) => / 500 /.test(l)),
      [],
    );
  } finally {
    await h.close();
  }
});

test('/health is exempt from the rate limit: a limited client still gets 200 there', async () => {
  const h = await startHarness({ rateLimitPerMin: 3 });
  try {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.get('/api/v1/gpus')).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    for (let i = 0; i < 5; i++) {
      const r = await h.get('/api/v1/health');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('ratelimit'), null, 'not counted either');
    }
    assert.equal((await h.get('/api/v1/market')).status, 429, 'the rest stays limited');
  } finally {
    await h.close();
  }
});

test('503 answers (a damaged snapshot) never show absolute paths; the server log has the file', async () => {
  const h = await startHarness();
  try {
    mkdirSync(join(h.dataDir, 'snapshots'), { recursive: true });
    writeFileSync(join(h.dataDir, 'snapshots', '2026-11-25.json'), '{"truncated": ');
    const r = await h.get('/api/v1/market');
    assert.equal(r.status, 503);
    const text = await r.text();
    assert.equal(text.includes(h.dataDir), false, text);
    assert.doesNotMatch(text, /"\/|\s\/(tmp|home|work|Users)\//, text);
    assert.match(JSON.parse(text).error.message, /^…\/snapshots\/2026-11-25\.json: not valid JSON/);
    assert.ok(h.logs.some((l) => l.includes(join(h.dataDir, 'snapshots', '2026-11-25.json'))));
    const health = await h.get('/api/v1/health');
    assert.equal(health.status, 200);
    const hb = await health.text();
    assert.equal(hb.includes(h.dataDir), false, hb);
    assert.equal(JSON.parse(hb).status, 'degraded');
  } finally {
    await h.close();
  }
});

test(
  'impossible calendar dates are 400s at every API entry point; POST ' +
    'collect 2026-11-31 leaves /health 200',
  async () => {
    const { collectMarketData } = await import('../engine/index.ts'); // the wiring `rigpivot serve` uses
    const { loadReference } = await import('../store/reference.ts');
    const { DEFAULT_CONFIG } = await import('../config/schema.ts');
    const { DEFAULT_SOURCES } = await import('../config/sources.ts');
    const now = new Date('2026-12-05T12:00:00Z'); // 2026-11-31 would be in the past: no "future" refusal
    const h: Harness = await startHarness({
      now,
      collect: (req) =>
        collectMarketData(
          { dataDir: h.dataDir, reference: loadReference(), config: DEFAULT_CONFIG },
          DEFAULT_SOURCES,
          req,
          () => now,
        ),
    });
    try {
      const r = await h.post('/api/v1/collect', { date: '2026-11-31' });
      assert.equal(r.status, 400);
      const b = await json(r);
      assert.equal(b.error.code, 'INVALID_REQUEST');
      assert.match(b.error.message, /body\.date: "2026-11-31" is not a calendar date: 2026-11 has 30 days/);
      const health = await h.get('/api/v1/health');
      assert.equal(health.status, 200);
      assert.equal((await json(health)).status, 'ok');
      for (const [path, where] of [
        ['/api/v1/history?series=coin.priceUsd&key=RVN&from=2026-02-30', 'query.from'],
        ['/api/v1/history?series=coin.priceUsd&key=RVN&to=2025-02-29', 'query.to'],
        ['/api/v1/reports/2026-11-31', 'params.date'],
        ['/api/v1/reports/2026-13-01/report.html', 'params.date'],
      ] as const) {
        const x = await h.get(path);
        assert.equal(x.status, 400, path);
        assert.match(
          (await json(x)).error.message,
          new RegExp(`${where.replace('.', '\\.')}: ".*" is not a calendar date`),
        );
      }
      assert.equal((await h.get('/api/v1/history?series=coin.priceUsd&key=RVN&from=2024-02-29')).status, 200);
      assert.deepEqual(
        h.logs.filter((l) => / 500 /.test(l)),
        [],
      );
    } finally {
      await h.close();
    }
  },
);
