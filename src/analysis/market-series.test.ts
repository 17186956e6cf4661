import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildMarketDays,
  chainHistory,
  difficultyOn,
  leaveOneOut,
  MARKET_LIMITS,
  type ChainHistory,
  type DatedValue,
} from './market-series.ts';
import { ShippedHistory } from '../engine/history.ts';
import { chainHistoryUpTo } from '../engine/backtest-market.ts';
import { loadNetworkHistory } from '../store/network-history.ts';
import { addDays } from '../lib/time.ts';
import { byCoin } from '../domain/coins.ts';

const days = (from: string, n: number) => Array.from({ length: n }, (_, i) => addDays(from, i));

/**
 * A made-up market 2022-01-01..2022-02-14 (rewards constant: RVN 2,500 after the 2022 halving, ERG one
 * emission epoch): RVN has a real difficulty every day, ERG only on 2022-01-01 and 2022-02-10.
 */
function synthetic(): ChainHistory {
  const ds = days('2022-01-01', 45);
  return chainHistory({
    prices: {
      RVN: ds.map((date, i) => ({ date, value: 0.05 * (1 + 0.01 * i), source: 'test' })),
      ERG: ds.map((date, i) => ({ date, value: 2 * (1 + 0.03 * Math.sin(i)), source: 'test' })),
    },
    difficulty: {
      RVN: ds.map((date, i) => ({ date, difficulty: 100_000 * (1 + 0.02 * i), source: 'test' })),
      ERG: [
        { date: '2022-01-01', difficulty: 2e15, source: 'test' },
        { date: '2022-02-10', difficulty: 2.5e15, source: 'test' },
      ],
    },
    heights: {
      RVN: [{ time: '2021-12-31T12:00:00Z', height: 2_200_000, source: 'test' }],
      ERG: [{ time: '2021-12-31T12:00:00Z', height: 915_000, source: 'test' }],
    },
    eraNote: { RVN: 'test era RVN', ERG: 'test era ERG' },
  });
}

const valueOf = (x: DatedValue | string) => {
  assert.equal(typeof x, 'object', String(x));
  return x as DatedValue;
};

test('ERG difficulty: a real point carried up to 7 days, then revenue-per-hash parity with RVN', () => {
  const h = synthetic();
  const carried = valueOf(difficultyOn(h, 'ERG', '2022-01-08'));
  assert.deepEqual([carried.value, carried.asOf, carried.kind], [2e15, '2022-01-01', 'measured']);
  // independent: D_E(t) = D_E(p) x [P_E(t) / P_E(p)] / ([P_R(t) / D_R(t)] / [P_R(p) / D_R(p)]) (rewards constant)
  const t = '2022-01-20';
  const k = 19; // days after 2022-01-01
  const pe = (i: number) => 2 * (1 + 0.03 * Math.sin(i));
  const perHashRvn = (i: number) => (0.05 * (1 + 0.01 * i)) / (100_000 * (1 + 0.02 * i));
  const expected = (2e15 * (pe(k) / pe(0))) / (perHashRvn(k) / perHashRvn(0));
  const m = valueOf(difficultyOn(h, 'ERG', t));
  assert.ok(Math.abs(m.value / expected - 1) < 1e-12, `${m.value} vs ${expected}`);
  assert.deepEqual([m.asOf, m.kind], [t, 'derived']);
  assert.match(m.method, /ERG's revenue per hash moves with RVN's since 2022-01-01/);
  assert.ok(m.basis.every((d) => d <= t) && m.basis.includes('2022-01-01'), m.basis.join(','));
  // the real point of 2022-02-10 replaces the model from its own day on
  assert.equal(valueOf(difficultyOn(h, 'ERG', '2022-02-10')).value, 2.5e15);
});

test('a day without what the rule needs is refused with the reason, not filled', () => {
  const h = synthetic();
  const before = buildMarketDays(h, '2021-12-31', '2021-12-31')[0]!.coins.ERG;
  assert.equal(before.difficulty, null);
  assert.match(before.missing!, /no real ERG difficulty on or before the day \(test era ERG\)/);
  // no RVN difficulty near the day: the model has nothing to move with
  const noRvn = { ...h, difficulty: { ...h.difficulty, RVN: h.difficulty.RVN.slice(0, 5) } };
  assert.match(
    difficultyOn(noRvn, 'ERG', '2022-01-20') as string,
    /ERG difficulty \(2022-01-01\) is more than 7 days old and the model cannot run .*RVN difficulty \(2022-01-05\)/,
  );
  const late = addDays('2022-02-10', MARKET_LIMITS.maxModelDays + 1);
  assert.match(difficultyOn(h, 'ERG', late) as string, /past the parity model's limit/);
  const stale = buildMarketDays(h, late, late)[0]!.coins.RVN;
  assert.match(stale.missing!, /newest RVN price \(2022-02-14\) is more than 45 days old/);
  assert.equal(stale.price, null);
});

const shipped = new ShippedHistory();
const network = loadNetworkHistory();

test('no lookahead on the shipped data: each day is the same when every later observation is removed', () => {
  const full = buildMarketDays(chainHistoryUpTo(shipped, network, '2022-11-30'), '2022-08-25', '2022-11-10');
  // around a real ERG point (2022-09-05), the ETH merge (2022-09-15) and the next ERG point (2022-11-06)
  for (const t of ['2022-09-04', '2022-09-05', '2022-09-20', '2022-11-06']) {
    const cut = buildMarketDays(chainHistoryUpTo(shipped, network, t), '2022-08-25', t);
    assert.deepEqual(
      cut,
      full.filter((d) => d.date <= t),
      t,
    );
  }
  for (const d of full)
    for (const c of Object.values(d.coins))
      for (const v of [c.price, c.height, c.difficulty])
        assert.ok(v && v.basis.every((b) => b <= d.date) && v.asOf <= d.date, `${d.date}: ${v?.method}`);
});

test('RVN difficulty is real (KawPow era only); ERG starts with its first usable point', () => {
  const h = chainHistoryUpTo(shipped, network, '2021-12-31');
  const [x16r] = buildMarketDays(h, '2020-01-15', '2020-01-15');
  assert.match(x16r!.coins.RVN.missing!, /no real RVN difficulty .*KawPow era only: .* starts 2020-05-08/);
  const [may] = buildMarketDays(h, '2021-05-10', '2021-05-10');
  const rvn = may!.coins.RVN.difficulty!;
  // the shipped daily series: 2021-05-10 is the mean of that day's checkpoint samples
  assert.equal(rvn.asOf, '2021-05-10');
  assert.equal(rvn.kind, 'measured');
  // ~5.9 TH/s (issue 11): D x 2^32 / 60
  assert.ok(Math.abs((rvn.value * 2 ** 32) / 60 / 1e12 - 5.9) < 0.3, `${rvn.value}`);
  assert.equal(may!.coins.ERG.missing, null);
  assert.equal(buildMarketDays(h, '2021-04-19', '2021-04-19')[0]!.coins.ERG.difficulty, null);
});

test('leave-one-out: zero error where parity holds exactly; on the real ERG points it beats carrying', () => {
  // ERG points made to follow the parity rule exactly: every left-out one is predicted exactly
  const h = synthetic();
  const exact = ['2022-01-12', '2022-01-25', '2022-02-08'].map((date) => ({
    date,
    difficulty: valueOf(difficultyOn(h, 'ERG', date, h.difficulty.ERG.slice(0, 1))).value,
    source: 'test',
  }));
  const made = { ...h, difficulty: { ...h.difficulty, ERG: [h.difficulty.ERG[0]!, ...exact] } };
  const l = leaveOneOut(made, 'ERG', '2022-02-14');
  assert.equal(l.n, 3);
  assert.equal(l.unpredicted, 1, 'the first point has nothing before it');
  assert.ok(l.maxAbsErrorPct < 1e-9, `${l.maxAbsErrorPct}`);
  assert.ok(l.baseline.maxAbsErrorPct > 1, 'carrying the previous point is wrong here');

  const erg = leaveOneOut(chainHistoryUpTo(shipped, network, '2024-02-29'), 'ERG', '2024-02-29');
  // 14 usable ERG points 2021-04-20..2024-02-28; the first cannot be predicted
  assert.deepEqual([erg.n, erg.unpredicted], [13, 1]);
  assert.ok(erg.points.every((p) => p.date <= '2024-02-29'));
  assert.ok(erg.medianAbsErrorPct < erg.baseline.medianAbsErrorPct, JSON.stringify(erg));
  assert.ok(erg.meanAbsErrorPct < erg.baseline.meanAbsErrorPct, JSON.stringify(erg));
  const p = erg.points.find((x) => x.date === '2022-01-28')!;
  assert.equal(p.actual, 1_859_476_026_032_128, 'ERG_DERIVED_header_points.csv, block 673,747');
  assert.ok(Math.abs(p.errorPct - (p.predicted / p.actual - 1) * 100) < 1e-9);
});

test('chainHistory sorts each list oldest first', () => {
  const h = synthetic();
  const shuffled = chainHistory({
    ...h,
    prices: byCoin((c) => [...h.prices[c]].reverse()),
    difficulty: byCoin((c) => [...h.difficulty[c]].reverse()),
  });
  assert.deepEqual(shuffled, h);
});
