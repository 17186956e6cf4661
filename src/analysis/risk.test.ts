import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateRisk, simulateRevenueRatios, dailyRevenuePerHashChanges } from './risk.ts';
import type { CoinDay, MarketDay } from './market-series.ts';
import type { ModelIncome, UseIncome } from '../domain/types.ts';

const use = (u: UseIncome['use'], rev: number, power: number, eligible = true): UseIncome => ({
  use: u,
  eligible,
  revenueUsdPerDay: rev,
  powerCostUsdPerDay: power,
  feesUsdPerDay: rev * 0.02,
  netUsdPerDay: rev * 0.98 - power,
  wallPowerW: 100,
  detail: {},
});
const income: ModelIncome = {
  modelId: 'card',
  modelName: 'card',
  siteId: 's',
  best: 'AI',
  runnerUp: 'ERG',
  marginUsdPerDay: 0,
  uses: {
    RVN: use('RVN', 1, 0.5),
    ERG: use('ERG', 1.2, 0.5),
    AI: use('AI', 1.4, 0.6),
    sell: { ...use('sell', 0, 0), eligible: false },
    idle: use('idle', 0, 0),
  },
};
const returns = (seed: number) => {
  const a = new Float64Array(500),
    b = new Float64Array(500);
  for (let i = 0; i < 500; i++) {
    a[i] = Math.sin(i * seed) * 0.06;
    b[i] = Math.cos(i * seed) * 0.05;
  }
  return { RVN: a, ERG: b };
};
const base = {
  returns: returns(1.3),
  returnsFrom: '2021-01-01',
  returnsTo: '2022-05-15',
  paths: 2000,
  horizonDays: 30,
  blockDays: 10,
  seed: 7,
};

test('seeded: the same seed gives identical bands, another seed different ones', () => {
  const a = estimateRisk([income], base),
    b = estimateRisk([income], base),
    c = estimateRisk([income], { ...base, seed: 8 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.models[0]!.uses.RVN, c.models[0]!.uses.RVN);
  const r = a.models[0]!;
  assert.ok(r.uses.RVN!.p10 <= r.uses.RVN!.p50 && r.uses.RVN!.p50 <= r.uses.RVN!.p90);
  assert.ok(r.pAiBeatsMining! >= 0 && r.pAiBeatsMining! <= 1);
  assert.equal(r.uses.AI!.p10, r.uses.AI!.p90, 'AI is held flat');
  assert.equal(r.uses.AI!.p50, (1.4 * 0.98 - 0.6) * 30);
});

test('AI utilisation: drawn once per path within mean +- spread, linear in utilisation, price paths untouched', () => {
  const ai: UseIncome = {
    ...use('AI', 1.4, 0.6),
    detail: { netUsdPerDayAtZeroUtilisation: -0.5, netUsdPerDayAtFullUtilisation: 2.5 },
  };
  const withAi: ModelIncome = { ...income, uses: { ...income.uses, AI: ai } };
  const flat = estimateRisk([withAi], base);
  const wide = estimateRisk([withAi], { ...base, aiUtilisation: { mean: 0.6, spread: 0.2 } });
  assert.equal(flat.aiUtilisation, null);
  assert.equal(flat.models[0]!.uses.AI!.p10, flat.models[0]!.uses.AI!.p90);
  assert.deepEqual(
    wide.models[0]!.uses.RVN,
    flat.models[0]!.uses.RVN,
    'its own random stream: coin bands unchanged',
  );
  const b = wide.models[0]!.uses.AI!;
  // net(u) = -0.5 + 3u per day; u uniform in [0.4, 0.8] -> 30-day totals uniform in [21, 57]:
  // P10 ~ 24.6, P50 ~ 39, P90 ~ 53.4
  assert.ok(
    Math.abs(b.p50 - 39) < 1.5 && Math.abs(b.p10 - 24.6) < 1.5 && Math.abs(b.p90 - 53.4) < 1.5,
    JSON.stringify(b),
  );
  assert.ok(b.p10 >= 21 - 1e-9 && b.p90 <= 57 + 1e-9);
  assert.match(wide.assumptions.join(' '), /utilisation drawn once per path uniformly in 40%-80%/);
  const clamped = estimateRisk([withAi], { ...base, aiUtilisation: { mean: 0.95, spread: 0.2 } }).models[0]!
    .uses.AI!;
  assert.ok(clamped.p90 <= 2.5 * 30 + 1e-9, 'utilisation never above 100%');
});

test('no change gives the deterministic answer; a constant change compounds, with no pull back', () => {
  const flat = estimateRisk([income], {
    ...base,
    returns: { RVN: new Float64Array(100), ERG: new Float64Array(100) },
  });
  assert.ok(Math.abs(flat.models[0]!.uses.ERG!.p50 - (1.2 * 0.98 - 0.5) * 30) < 1e-9);
  const g = 0.01;
  const r = simulateRevenueRatios({
    ...base,
    paths: 1,
    horizonDays: 40,
    returns: { RVN: new Float64Array(50).fill(g), ERG: new Float64Array(50) },
  });
  for (let d = 0; d < 40; d++) {
    assert.ok(Math.abs(r.RVN[d]! - Math.exp(g * (d + 1))) < 1e-12, `day ${d}`);
    assert.equal(r.ERG[d], 1);
  }
  // RVN mining over 30 days at ratios e^(0.01 d): (1 x 0.98) x sum_d e^(0.01 (d+1)) - 0.5 x 30
  const up = estimateRisk([income], {
    ...base,
    paths: 1,
    returns: { RVN: new Float64Array(50).fill(g), ERG: new Float64Array(50) },
  });
  let expected = 0;
  for (let d = 0; d < 30; d++) expected += 0.98 * Math.exp(g * (d + 1)) - 0.5;
  assert.ok(Math.abs(up.models[0]!.uses.RVN!.p50 - expected) < 1e-9);
});

/** Each day's drawn change back from a path of ratios (ratio_d = exp(sum of changes to d)). */
function recoverLogReturns(ratios: Float64Array): number[] {
  return [...ratios].map((r, d) => Math.log(r) - (d === 0 ? 0 : Math.log(ratios[d - 1]!)));
}

test('block bootstrap draws whole blocks of history: a path is made of consecutive historical days', () => {
  const n = 200,
    blockDays = 8,
    horizonDays = 40,
    paths = 20;
  // Day k of history: RVN return (k + 1) x 1e-4 encodes k; ERG return differs, so the pairing can be checked.
  const rvn = Float64Array.from({ length: n }, (_, k) => (k + 1) * 1e-4);
  const erg = Float64Array.from({ length: n }, (_, k) => 0.01 - k * 5e-5);
  const o = { ...base, paths, horizonDays, blockDays, returns: { RVN: rvn, ERG: erg } };
  const r = simulateRevenueRatios(o);
  const starts: number[] = [];
  let continued = 0;
  for (let p = 0; p < paths; p++) {
    const row = (x: Float64Array) => x.subarray(p * horizonDays, (p + 1) * horizonDays);
    const rvnDays = recoverLogReturns(row(r.RVN));
    const ergDays = recoverLogReturns(row(r.ERG));
    const k = rvnDays.map((x) => Math.round(x / 1e-4) - 1);
    for (let d = 0; d < horizonDays; d++) {
      assert.ok(Math.abs(rvnDays[d]! - rvn[k[d]!]!) < 1e-9, `path ${p} day ${d}: a day of RVN history`);
      assert.ok(Math.abs(ergDays[d]! - erg[k[d]!]!) < 1e-9, `path ${p} day ${d}: ERG from the same day`);
      if (d % blockDays === 0) {
        starts.push(k[d]!);
        assert.ok(k[d]! >= 0 && k[d]! <= n - blockDays, `block start ${k[d]} leaves room for a block`);
        if (d > 0 && k[d] === k[d - 1]! + 1) continued++;
      } else assert.equal(k[d], k[d - 1]! + 1, `path ${p} day ${d}: the next day of history in its block`);
    }
  }
  // 100 blocks over 193 possible starts: about 77 distinct expected; a fixed or per-path start gives <= 20.
  assert.ok(new Set(starts).size > 50, `blocks start at varying days: ${new Set(starts).size} distinct`);
  assert.ok(continued < 10, `a new block is a new draw, not the run going on (${continued} of 80 continued)`);
  assert.deepEqual(simulateRevenueRatios(o), r, 'same seed, same paths');
  const other = simulateRevenueRatios({ ...o, seed: o.seed + 1 });
  assert.notDeepEqual(other.RVN, r.RVN, 'another seed, other paths');
});

const coin = (price: number, asOf: string, height: number, difficulty: number): CoinDay => {
  const v = (value: number, at = asOf) => ({
    value,
    asOf: at,
    kind: 'measured' as const,
    source: 't',
    method: 't',
    basis: [at],
  });
  return { price: v(price), height: v(height), difficulty: v(difficulty), missing: null };
};
const day = (date: string, rvn: CoinDay, erg: CoinDay): MarketDay => ({
  date,
  coins: { RVN: rvn, ERG: erg },
});

test("revenue-per-hash changes: joint days with each coin's own price, reward steps left out", () => {
  const erg = (date: string, p: number, d: number) => coin(p, date, 1_000_000, d);
  const days = [
    day('2022-01-08', coin(0.1, '2022-01-08', 2_090_000, 100), erg('2022-01-08', 2, 1e15)),
    // RVN price x1.1, difficulty x1.21: revenue per hash x1/1.1; ERG price x0.9, difficulty x0.9: x1
    day('2022-01-09', coin(0.11, '2022-01-09', 2_091_440, 121), erg('2022-01-09', 1.8, 0.9e15)),
    // the RVN halving (h 2,100,000): a scheduled step, not a draw
    day('2022-01-10', coin(0.11, '2022-01-10', 2_100_100, 121), erg('2022-01-10', 1.8, 0.9e15)),
    day('2022-01-11', coin(0.121, '2022-01-11', 2_101_540, 121), erg('2022-01-11', 1.8, 1.8e15)),
    // RVN's price is the day before's (a gap in its history): no change measured into this day
    day('2022-01-12', coin(0.121, '2022-01-11', 2_102_980, 121), erg('2022-01-12', 1.8, 1.8e15)),
    day('2022-01-14', coin(0.121, '2022-01-14', 2_105_860, 121), erg('2022-01-14', 1.8, 1.8e15)),
  ];
  const c = dailyRevenuePerHashChanges(days);
  assert.deepEqual([c.from, c.to], ['2022-01-09', '2022-01-11']);
  assert.equal(c.RVN.length, 2);
  assert.ok(Math.abs(c.RVN[0]! - Math.log(1 / 1.1)) < 1e-12 && Math.abs(c.ERG[0]!) < 1e-12);
  assert.ok(Math.abs(c.RVN[1]! - Math.log(1.1)) < 1e-12 && Math.abs(c.ERG[1]! - Math.log(0.5)) < 1e-12);
});
