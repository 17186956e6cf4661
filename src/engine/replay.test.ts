import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ShippedHistory } from './history.ts';
import { runBacktest } from './backtest.ts';
import { replay, POLICIES } from './replay.ts';
import { openContext, openFleet } from './context.ts';
import { loadSolver } from '../solve/highs.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import type { MarketSnapshot } from '../domain/types.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-replay-')) });
const fleet = openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/small-farm.json'));
const shipped = new ShippedHistory();

test('policies on a price shock: the optimum switches at once, hysteresis waits, always-X never switches', async () => {
  const highs = await loadSolver();
  // 12 days; from day 4 the ERG price is 40x (mining beats everything), difficulty held
  const day = (i: number): MarketSnapshot => {
    const s = structuredClone(ctx.snapshot);
    s.date = `2026-10-${String(i + 1).padStart(2, '0')}`;
    if (i >= 4) s.coins.ERG.priceUsd.value *= 40;
    return s;
  };
  const days = Array.from({ length: 12 }, (_, i) => ({ date: day(i).date, snapshot: day(i) }));
  const r = replay({
    days,
    fleet,
    reference: ctx.reference,
    config: ctx.config,
    highs,
    policies: POLICIES,
    hysteresis: { confirmDays: 3, safety: 1 },
  });
  const get = (p: string) => r.policies.find((x) => x.policy === p)!;
  const opt = get('daily-optimum'),
    hy = get('hysteresis');
  const firstMove = (p: typeof opt) => p.daily.findIndex((d) => d.moved > 0);
  assert.equal(firstMove(opt), 4, 'the optimum moves on the first day it sees the shock');
  assert.equal(firstMove(hy), 6, 'hysteresis moves after the gain held 3 days');
  assert.ok(opt.switchingCostUsd > 0);
  for (const p of ['always-RVN', 'always-ERG', 'always-AI']) assert.equal(get(p).switches, 0, p);
  assert.ok(opt.totalNetUsd > get('always-AI').totalNetUsd);
  assert.ok(get('always-ERG').daily[5]!.netUsd > get('always-ERG').daily[2]!.netUsd * 5);
  // each total is the sum of its days
  for (const p of r.policies)
    assert.ok(Math.abs(p.totalNetUsd - p.daily.reduce((a, d) => a + d.netUsd, 0)) < 1e-6);
});

test('backtest errors name the problem: reversed range, no data for the range', async () => {
  const highs = await loadSolver();
  const base = {
    history: shipped,
    base: ctx.snapshot,
    reference: ctx.reference,
    config: ctx.config,
    fleet,
    highs,
    policies: POLICIES,
  };
  assert.throws(
    () => runBacktest({ ...base, from: '2024-01-02', to: '2024-01-01' }),
    /--from: 2024-01-02 is after --to/,
  );
  assert.throws(
    () => runBacktest({ ...base, from: '2012-01-01', to: '2012-02-01' }),
    /no RVN price history on or before 2012-02-01/,
  );
});
