import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext, openFleet, siteOrDefault } from './context.ts';
import { ShippedHistory } from './history.ts';
import { runBacktest } from './backtest.ts';
import { computeSensitivity } from './sensitivity.ts';
import { computeRisk } from './risk.ts';
import { collect } from './collect.ts';
import { options } from './test-collect.ts';
import { Store } from '../store/db.ts';
import { loadSolver } from '../solve/highs.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';

/** Long jobs report done/total through onProgress: never backwards, one total, ending at done = total. */
const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-progress-')) });
const fleet = openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/small-farm.json'));

function recorder() {
  const calls: { done: number; total: number; label: string }[] = [];
  return {
    calls,
    onProgress: (done: number, total: number, label: string) => calls.push({ done, total, label }),
  };
}

function assertMonotonicToTotal(calls: { done: number; total: number; label: string }[], total: number) {
  assert.ok(calls.length >= 2, 'reports more than once');
  assert.equal(calls[0]!.done, 0, 'starts at 0');
  for (const [i, c] of calls.entries()) {
    assert.equal(c.total, total, `call ${i} total`);
    assert.ok(c.done >= 0 && c.done <= total, `call ${i} in range`);
    if (i > 0) assert.ok(c.done >= calls[i - 1]!.done, `call ${i} not backwards`);
    assert.ok(c.label.length > 0);
  }
  assert.equal(calls.at(-1)!.done, total, 'ends at total');
}

test('backtest: one step per day of the window', async () => {
  const p = recorder();
  const r = runBacktest({
    history: new ShippedHistory(),
    reference: ctx.reference,
    config: ctx.config,
    fleet,
    highs: await loadSolver(),
    from: '2023-03-01',
    to: '2023-03-06',
    policies: ['daily-optimum', 'always-RVN'],
    onProgress: p.onProgress,
  });
  assertMonotonicToTotal(p.calls, 6);
  assert.equal(r.daysReplayed + r.daysSkipped.length, 6);
  assert.deepEqual(
    p.calls.slice(0, 6).map((c) => c.label),
    ['2023-03-01', '2023-03-02', '2023-03-03', '2023-03-04', '2023-03-05', '2023-03-06'],
  );
});

test('sensitivity: the base solve and two per input', async () => {
  const p = recorder();
  const s = computeSensitivity(ctx, fleet, await loadSolver(), { onProgress: p.onProgress });
  assertMonotonicToTotal(p.calls, 2 * s.bars.length + 1);
});

test('risk: the paths, then one step per model', () => {
  const p = recorder();
  const r = computeRisk(ctx, new ShippedHistory(), siteOrDefault(null, ctx.config, undefined), {
    paths: 200,
    onProgress: p.onProgress,
  });
  assertMonotonicToTotal(p.calls, r.models.length + 1);
});

test('collect: one step per source (offline: the embedded baseline)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-progress-collect-'));
  const store = new Store(dir);
  try {
    const p = recorder();
    await collect(options(dir, store, { onProgress: p.onProgress }));
    assertMonotonicToTotal(p.calls, 1);
    assert.equal(p.calls[0]!.label, 'embedded');
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
