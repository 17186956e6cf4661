import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ShippedHistory } from './history.ts';
import { runBacktest } from './backtest.ts';
import { replay, POLICIES, marketOf, dayDecisions, type ReplayDay } from './replay.ts';
import { decide } from './decide.ts';
import { countsOf } from '../domain/uses.ts';
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
  const days = Array.from({ length: 12 }, (_, i) => ({ date: day(i).date, market: marketOf(day(i)) }));
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
  assert.equal(firstMove(get('mining-optimum')), 4, 'the mining optimum moves too: ERG mining is what paid');
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
    /no RVN or ERG price history on or before 2012-02-01/,
  );
  assert.throws(
    () => runBacktest({ ...base, from: '2019-01-01', to: '2019-01-10' }),
    /--from: no coin has usable data in 2019-01-01\.\.2019-01-10 .*RVN: no real RVN difficulty .*KawPow era only/,
  );
});

test("a day without a use's inputs refuses the policies that need it, with the reason; the rest run", async () => {
  const highs = await loadSolver();
  const s = ctx.snapshot;
  const noErg = (date: string): ReplayDay => {
    const m = marketOf({ ...s, date });
    return { date, market: { ...m, coins: { RVN: s.coins.RVN }, missing: { ERG: 'no ERG data (test)' } } };
  };
  const days = [noErg('2026-10-01'), noErg('2026-10-02'), { date: '2026-10-03', market: marketOf(s) }];
  const r = replay({ days, fleet, reference: ctx.reference, config: ctx.config, highs, policies: POLICIES });
  const get = (p: string) => r.policies.find((x) => x.policy === p)!;
  for (const p of ['always-ERG', 'mining-optimum', 'daily-optimum', 'hysteresis']) {
    assert.deepEqual(
      get(p).refused,
      [{ from: '2026-10-01', to: '2026-10-02', days: 2, reason: 'ERG: no ERG data (test)' }],
      p,
    );
    assert.equal(get(p).activeFrom, '2026-10-03', `${p} starts on the first complete day`);
  }
  for (const p of ['always-RVN', 'always-AI']) {
    assert.deepEqual([get(p).activeDays, get(p).refused], [3, []], p);
  }
  // the incomes of a day missing ERG are decide()'s for the other uses, ERG ineligible with the reason
  const o = { days, fleet, reference: ctx.reference, config: ctx.config, highs, policies: POLICIES };
  const start = fleet.entries.map((e) => ({ ...countsOf(e.count, e.current), idle: 0 }));
  const partial = dayDecisions(days[0]!, o, {}).incomes;
  const full = decide({ reference: ctx.reference, snapshot: s, config: ctx.config }, fleet, highs);
  partial.forEach((inc, i) => {
    assert.deepEqual(inc.uses.RVN, full.cells[i]!.income.uses.RVN);
    assert.deepEqual(inc.uses.AI, full.cells[i]!.income.uses.AI);
    assert.deepEqual([inc.uses.ERG.eligible, inc.uses.ERG.reason], [false, 'no ERG data (test)']);
  });
  assert.equal(dayDecisions(days[0]!, o, { optimum: start, miningOptimum: start }).optimum, null);
  const complete = dayDecisions(days[2]!, o, { optimum: start, miningOptimum: start });
  assert.deepEqual(
    complete.incomes.map((x) => x.uses),
    full.cells.map((c) => c.income.uses),
  );
  assert.ok(complete.optimum && complete.miningOptimum);
  assert.ok(
    complete.miningOptimum.every((c) => c.AI === 0),
    'the mining optimum puts no card on AI',
  );
});
