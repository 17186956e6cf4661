import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ShippedHistory, type HistoryReader } from './history.ts';
import { runBacktest, type BacktestResult } from './backtest.ts';
import { backtestDays, chainHistoryUpTo, rentalTablesUpTo } from './backtest-market.ts';
import { POLICIES, snapshotOf } from './replay.ts';
import { listInputs } from './decide.ts';
import { openContext, openFleet } from './context.ts';
import { loadSolver } from '../solve/highs.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { loadNetworkHistory, NetworkDifficultyHistory } from '../store/network-history.ts';
import type { DifficultyPoint } from '../store/network-history-parse.ts';
import type { Fleet } from '../domain/types.ts';

/**
 * The backtest's no-lookahead guarantee, end to end: a decision for day t (and everything booked up to t)
 * must not change when every input dated after t changes -- prices, network difficulty, AI price tables.
 */
const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-replay-')) });
const fleet = openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/small-farm.json'));
const shipped = new ShippedHistory();
const network = loadNetworkHistory();

/** The shipped history with every value dated after `t` multiplied by `f` (a different future). */
function futureHistory(t: string, f: number): HistoryReader {
  return {
    origin: `shipped, x${f} after ${t}`,
    series: () => shipped.series(),
    rows: (s, k, from, to) =>
      shipped.rows(s, k, from, to).map((r) => (r.date > t ? { ...r, value: r.value * f } : r)),
  };
}

/** The network history with every difficulty dated after `t` multiplied by `f`. */
function futureNetwork(t: string, f: number): NetworkDifficultyHistory {
  const move = (ps: DifficultyPoint[]) =>
    ps.map((p) => (p.date > t ? { ...p, difficulty: p.difficulty * f } : p));
  const s = network.series;
  return new NetworkDifficultyHistory({
    rvnDaily: move(s.rvnDaily),
    rvnSamples: move(s.rvnSamples),
    rvnHeaders: move(s.rvnHeaders),
    erg: move(s.erg),
  });
}

async function run(history: HistoryReader, net: NetworkDifficultyHistory, from: string, to: string) {
  return runBacktest({
    history,
    network: net,
    reference: ctx.reference,
    config: ctx.config,
    fleet,
    highs: await loadSolver(),
    from,
    to,
    policies: POLICIES,
  });
}

const upTo = (r: BacktestResult, t: string) =>
  r.policies.map((p) => ({ policy: p.policy, daily: p.daily.filter((d) => d.date <= t) }));

const NO_LOOKAHEAD =
  'no lookahead: another future (prices, difficulty, AI tables after t) leaves every day up to t alone';
test(NO_LOOKAHEAD, async () => {
  // 2022-08-20..2022-09-12 holds an AI table change (08-26), a real ERG point (09-05) and the ETH merge
  const [from, to] = ['2022-08-20', '2022-09-12'];
  const base = await run(shipped, network, from, to);
  assert.equal(base.daysReplayed, 24);
  assert.ok(
    base.policies.every((p) => p.activeDays === 24),
    'every policy runs: all inputs exist',
  );
  for (const t of ['2022-08-25', '2022-09-05']) {
    for (const f of [0.2, 5]) {
      const other = await run(futureHistory(t, f), futureNetwork(t, f), from, to);
      assert.deepEqual(upTo(other, t), upTo(base, t), `x${f} after ${t}`);
      assert.notDeepEqual(upTo(other, to), upTo(base, to), `x${f} after ${t} does change later days`);
    }
    const cut = await run(shipped, network, from, t);
    assert.deepEqual(upTo(cut, t), upTo(base, t), `the same with the data cut at ${t}`);
  }
});

test('no lookahead, explicitly: every input of day t is dated on or before t', () => {
  const [from, to] = ['2021-01-01', '2024-02-29'];
  const chain = chainHistoryUpTo(shipped, network, to);
  const days = backtestDays(chain, rentalTablesUpTo(shipped, ctx.reference, to), from, to);
  let complete = 0;
  for (const d of days) {
    const late = d.inputDates.filter((x) => x > d.date);
    assert.deepEqual(late, [], `${d.date}: inputs dated after the day`);
    const snapshot = snapshotOf(d.date, d.market);
    if (!snapshot) continue;
    complete++;
    for (const i of listInputs(snapshot, d.date))
      assert.ok(i.asOf.slice(0, 10) <= d.date, `${d.date}: ${i.name} as of ${i.asOf}`);
  }
  assert.ok(complete > 1000, `${complete} days with both coins`);
  const ai = days.find((d) => d.date === '2023-05-23')!.market;
  assert.ok(ai.cloud.length > 0 && ai.cloud.every((o) => o.asOf === '2023-05-22'), 'the table of 05-22');
});

/** Column `col` of the row for `date` in a shipped CSV (the date in its first or second column). */
function csvRow(file: string, date: string, col: number): number {
  const line = readFileSync(join(SHIPPED_DATA_DIR, file), 'utf8')
    .split('\n')
    .find((l) => l.split(',').slice(0, 2).includes(date));
  assert.ok(line, `${file}: no row for ${date}`);
  return Number(line.split(',')[col]);
}

test('always-RVN was profitable in 2021 for an RTX 3070 at 0.05 USD/kWh (real difficulty and price)', async () => {
  const one: Fleet = {
    name: 'one RTX 3070',
    sites: [{ id: 's', name: 's', powerCapKw: 10, tariffUsdPerKwh: 0.05, pue: 1 }],
    entries: [{ site: 's', model: 'rtx-3070', count: 1, current: { RVN: 1 }, cmpPatched: false }],
    aiDemand: {},
    switching: { downtimeHours: 2, fixedUsdPerGpu: 0, horizonDays: 14 },
    customModels: [],
  };
  const r = runBacktest({
    history: shipped,
    network,
    reference: ctx.reference,
    config: ctx.config,
    fleet: one,
    highs: await loadSolver(),
    from: '2021-01-01',
    to: '2021-12-31',
    policies: ['always-RVN'],
  });
  const p = r.policies[0]!;
  assert.equal(p.activeDays, 365);
  // Independent: the same-day difficulty (RVN_DERIVED_daily_difficulty.csv, mean of that day's checkpoint
  // samples) and close (RVN_daily_ohlc CSV); RTX 3070 KawPow 30 MH/s at 140 W (catalogue, hashrate.no row);
  // coins/day = H x 86400 x 5000 RVN (before the 2022-01-11 halving) x uptime / (D x 2^32);
  // net = coins x price x (1 - pool fee - dev fee) - 140 W x uptime x 24 h x 0.05 USD/kWh (PUE 1).
  const { poolFee, minerDevFee, uptime } = ctx.config.mining;
  for (const [date, lo, hi] of [
    // by hand: 64.4 RVN/day at 0.0758 USD; 34.8 at 0.153; 54.9 at 0.0542; 31.2 at 0.0864
    ['2021-02-15', 4.5, 4.7],
    ['2021-05-10', 5.0, 5.1],
    ['2021-07-01', 2.7, 2.8],
    ['2021-12-15', 2.4, 2.5],
  ] as const) {
    const d = csvRow('history/network/RVN_DERIVED_daily_difficulty.csv', date, 1);
    const price = csvRow('history/RVN_daily_ohlc_2018-04-17_2026-03-27.csv', date, 5);
    const coins = (30e6 * 86_400 * 5000 * uptime) / (d * 2 ** 32);
    const net = coins * price * (1 - poolFee - minerDevFee) - (140 * uptime * 24 * 0.05) / 1000;
    const got = p.daily.find((x) => x.date === date)!.netUsd;
    assert.ok(Math.abs(got - net) < 1e-9, `${date}: ${got} vs ${net}`);
    assert.ok(net > lo && net < hi, `${date}: ${net.toFixed(2)} USD/day, expected ${lo}..${hi}`);
  }
  assert.ok(
    p.months.every((m) => m.netUsd > 0),
    'every month of 2021 nets money',
  );
  assert.ok(p.totalNetUsd > 1000 && p.totalNetUsd < 2500, `2021 total ${p.totalNetUsd}`);
});
