import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startHarness, type Harness } from './test-harness.ts';
import { scaledHiveFleet } from './test-fleets.ts';

const ROOT = join(import.meta.dirname, '../..');
const SMALL_RISK = '/api/v1/risk?paths=100&horizon=5';

interface PoolLoad {
  running: number;
  queued: number;
  completed: number;
  overBudget: number;
  rejectedBusy: number;
}

async function health(h: Harness): Promise<{ status: number; pool: PoolLoad }> {
  const r = await h.get('/api/v1/health');
  return { status: r.status, pool: ((await r.json()) as { pool: PoolLoad }).pool };
}

/** Probe /health until the pool says a task is running; every probe must answer 200. */
async function untilRunning(h: Harness): Promise<PoolLoad> {
  for (let i = 0; i < 600; i++) {
    const x = await health(h);
    assert.equal(x.status, 200);
    if (x.pool.running >= 1) return x.pool;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no task ever ran in the pool');
}

test('pool: /health answers while a what-if computes; full queue 503 + Retry-After; worker errors', async () => {
  const h = await startHarness({ workers: { threads: 1, maxQueue: 0, timeBudgetMs: 300_000 } });
  try {
    // two different what-ifs at once into one worker and no queue (the first task also boots the worker):
    // one computes, the other is refused at once
    const a = h.post('/api/v1/allocation', { overrides: { aiUtilisation: 0.41 } });
    const b = h.post('/api/v1/allocation', { overrides: { aiUtilisation: 0.42 } });
    const load = await untilRunning(h); // /health answered 200 while a what-if was in the pool
    assert.deepEqual([load.running, load.queued], [1, 0]);
    const [ra, rb] = await Promise.all([a, b]);
    const [done, busy] = ra.status === 200 ? [ra, rb] : [rb, ra];
    assert.deepEqual([done.status, done.headers.get('x-cache'), busy.status], [200, 'MISS', 503]);
    assert.match(busy.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(((await busy.json()) as { error: { code: string } }).error.code, 'BUSY');
    // the same request twice at once: one computation, the second waits for it instead of being refused
    const same = { overrides: { aiUtilisation: 0.43 } };
    const [s1, s2] = await Promise.all([
      h.post('/api/v1/allocation', same),
      h.post('/api/v1/allocation', same),
    ]);
    assert.deepEqual([s1.status, s2.status], [200, 200]);
    assert.equal(await s1.text(), await s2.text());

    // the worker's answer is the in-process one, byte for byte (same clock, same data)
    const risk = await h.get(SMALL_RISK);
    assert.equal(risk.status, 200);
    const local = h.service.risk({ paths: 100, horizonDays: 5 }).value();
    assert.deepEqual(await risk.json(), JSON.parse(JSON.stringify(local)));
    assert.equal((await h.get(SMALL_RISK)).headers.get('x-cache'), 'HIT');

    // an error in the worker is answered as the server answers it: 400 naming the field, nothing logged
    const bad = await h.post('/api/v1/allocation', { fleet: { name: 'x' } });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /sites: missing/);
    assert.deepEqual(h.logs, []);
    const after = await health(h);
    assert.deepEqual([after.pool.completed, after.pool.rejectedBusy], [4, 1]);
  } finally {
    await h.close();
  }
});

test('pool: a computation past its time budget is stopped: 503 TIME_BUDGET, the server stays up', async () => {
  const h = await startHarness({ workers: { threads: 1, maxQueue: 2, timeBudgetMs: 100 } });
  try {
    const r = await h.post('/api/v1/allocation', { fleet: scaledHiveFleet(10) });
    assert.equal(r.status, 503);
    assert.match(r.headers.get('retry-after') ?? '', /^\d+$/);
    const body = (await r.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'TIME_BUDGET');
    assert.match(body.error.message, /budget of 100 ms/);
    const after = await health(h);
    assert.deepEqual([after.status, after.pool.overBudget, after.pool.running], [200, 1, 0]);
    assert.equal((await h.get('/api/v1/gpus')).status, 200);
  } finally {
    await h.close();
  }
});

test('cost limits: what-if cells 413, risk budget 400, new computations per client 429, key on GETs', async () => {
  const key = 'k'.repeat(24);
  const h = await startHarness({
    apiKey: key,
    apiKeyForCostlyGets: true,
    costLimits: { computePerMin: 2 },
  });
  const withKey = { 'x-api-key': key };
  const code = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;
  try {
    const big = scaledHiveFleet(104); // 3,016 entries
    const r413 = await h.post('/api/v1/allocation', { fleet: big }, withKey);
    assert.deepEqual([r413.status, await code(r413)], [413, 'COST_LIMIT']);
    const r400 = await h.get('/api/v1/risk?paths=50000&horizon=365', withKey);
    assert.deepEqual([r400.status, await code(r400)], [400, 'COST_LIMIT']);
    assert.equal((await h.get('/api/v1/sensitivity?step=0.125', withKey)).status, 400);

    assert.equal((await h.get(`${SMALL_RISK}&seed=1`)).status, 401); // a GET that computes needs the key
    assert.equal((await h.get('/api/v1/market')).status, 200); // one that does not, not
    assert.equal((await h.get(`${SMALL_RISK}&seed=1`, withKey)).status, 200);
    assert.equal((await h.get(`${SMALL_RISK}&seed=2`, withKey)).status, 200);
    const hit = await h.get(`${SMALL_RISK}&seed=1`, withKey);
    assert.deepEqual([hit.status, hit.headers.get('x-cache')], [200, 'HIT']); // cached: costs nothing
    const r429 = await h.get(`${SMALL_RISK}&seed=3`, withKey);
    assert.deepEqual([r429.status, await code(r429)], [429, 'COMPUTE_LIMIT']);
    assert.match(r429.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal((await h.get('/api/v1/health')).status, 200);

    const doc = (await (await h.get('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
    };
    const risk = doc.paths['/api/v1/risk']!.get!;
    assert.deepEqual(risk.security, [{ apiKey: [] }, {}]);
    assert.ok(risk.responses['503'] && risk.responses['429'] && risk.responses['400']);
    assert.ok(doc.paths['/api/v1/allocation']!.post!.responses['413']);
  } finally {
    await h.close();
  }
});

test('pool from compiled build/: the worker loads as JavaScript, without tsx', { timeout: 240_000 }, () => {
  const out = mkdtempSync(join(ROOT, '.test-build-'));
  try {
    const tsc = spawnSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.prepare.json', '--outDir', out],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    assert.deepEqual(poolCheck(out, '.js', false), { status: 200, execArgv: [], completed: 1 });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('pool from src/ with tsx registered in-process (as bin/rigpivot.js does): the worker gets tsx', () => {
  assert.deepEqual(poolCheck(join(ROOT, 'src'), '.ts', true), { status: 200, execArgv: [], completed: 1 });
});

/**
 * Run, with plain node (no --import), a script that starts the API with a one-worker pool from `dir`
 * (modules ending `ext`; `register`: tsx registered in-process first) and asks /risk; what it saw.
 */
function poolCheck(dir: string, ext: string, register: boolean): unknown {
  const script = join(mkdtempSync(join(ROOT, '.test-pool-')), 'pool-check.mjs');
  try {
    writeFileSync(script, poolCheckScript(dir, ext, register));
    const run = spawnSync(process.execPath, [script], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
  } finally {
    rmSync(join(script, '..'), { recursive: true, force: true });
  }
}

function poolCheckScript(dir: string, ext: string, register: boolean): string {
  const m = (path: string) => JSON.stringify(pathToFileURL(join(dir, path + ext)).href);
  return `
${register ? "(await import('tsx/esm/api')).register();" : ''}
const { mkdtempSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const { AdviceService, loadSolver, exampleFleetFile } = await import(${m('engine/index')});
const { DEFAULT_CONFIG } = await import(${m('config/schema')});
const { DEFAULT_SOURCES } = await import(${m('config/sources')});
const { loadReference } = await import(${m('store/reference')});
const { createApp } = await import(${m('api/app')});
const { listen } = await import(${m('api/server')});
const { ComputePool } = await import(${m('api/pool')});
const service = new AdviceService({
  dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-pool-check-')),
  reference: loadReference(),
  reportsDir: mkdtempSync(join(tmpdir(), 'rigpivot-pool-check-r-')),
  config: DEFAULT_CONFIG,
  sources: DEFAULT_SOURCES,
  highs: await loadSolver(),
  fleetFile: exampleFleetFile('hive-like'),
  now: () => new Date('2026-11-25T12:00:00Z'),
});
const pool = new ComputePool(service, { threads: 1 });
const running = await listen(createApp(service, { version: 'check', pool, log: () => {} }), '127.0.0.1', 0);
const r = await fetch(running.url + '${SMALL_RISK}');
await r.arrayBuffer();
const h = await (await fetch(running.url + '/api/v1/health')).json();
await running.close();
await pool.close();
service.close();
console.log(JSON.stringify({ status: r.status, execArgv: process.execArgv, completed: h.pool.completed }));
`;
}
