import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  externalHashrate,
  fleetRevenueUsdPerDay,
  issuedUsdPerDay,
  loneUsdPerMhsDay,
  marginalUsdPerMhsDay,
  networkTermsOf,
  revenueSegments,
  segmentedRevenueUsdPerDay,
  type NetworkTerms,
} from './network.ts';
import type { CoinMarket, Quantity } from '../domain/types.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';

// A network paying 100 USD/day to its miners (no fees), other miners 1,000 MH/s; cards of 100 MH/s.
const T: NetworkTerms = { coin: 'RVN', issuedUsdPerDay: 100, keptShare: 1, externalMhs: 1000 };
const near = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tolerance ${tol})`);

test('fleet hashrate equal to the network: each card earns half of a lone card, the next a quarter', () => {
  // Lone card: 100 MH/s x 100 USD / 1,000 MH/s = 10 USD/day. Ten cards (F = N = 1,000 MH/s):
  // R = 100 x 1,000 / 2,000 = 50 USD/day, 5 per card; R'(N) = 100 x 1,000 / 2,000^2 = 0.025 USD per MH/s.
  near(loneUsdPerMhsDay(T) * 100, 10, 1e-12, 'lone card');
  near(fleetRevenueUsdPerDay(T, 1000), 50, 1e-12, 'R(N)');
  near(fleetRevenueUsdPerDay(T, 1000) / 10, 10 / 2, 1e-12, 'per card at F = N');
  near(marginalUsdPerMhsDay(T, 1000), 0.025, 1e-15, "R'(N)");
  // Fees scale revenue: kept 0.98 of it.
  near(fleetRevenueUsdPerDay({ ...T, keptShare: 0.98 }, 1000), 49, 1e-12, 'after 2 % fees');
  // Revenue per card falls card by card: the n-th card adds 1,000 / ((n + 9)(n + 10)) USD/day.
  for (const n of [1, 5, 16, 30])
    near(
      fleetRevenueUsdPerDay(T, n * 100) - fleetRevenueUsdPerDay(T, (n - 1) * 100),
      1000 / ((n + 9) * (n + 10)),
      1e-12,
      `card ${n}`,
    );
});

test('segments: contiguous secants over [0, max], exact at breakpoints, slopes 1 % apart', () => {
  const max = 10_000; // 10x the network: (N + max) / N = 11, 2 ln 11 / ln 1.01 = 481.98 -> 482 segments
  const { segments, maxGapUsdPerDay } = revenueSegments(T, max);
  assert.equal(segments.length, 482);
  assert.equal(segments[0]!.fromMhs, 0);
  assert.equal(segments.at(-1)!.toMhs, max);
  for (let k = 1; k < segments.length; k++) {
    assert.equal(segments[k]!.fromMhs, segments[k - 1]!.toMhs);
    const ratio = segments[k - 1]!.usdPerMhsDay / segments[k]!.usdPerMhsDay;
    assert.ok(ratio > 1 && ratio <= 1.01 + 1e-12, `slope ratio ${ratio} at ${k}`);
  }
  for (const s of [segments[0]!, segments[100]!, segments.at(-1)!])
    near(segmentedRevenueUsdPerDay(segments, s.toMhs), fleetRevenueUsdPerDay(T, s.toMhs), 1e-9, 'breakpoint');
  // The stated gap is the largest understatement: check it on a fine grid.
  let worst = 0;
  for (let f = 0; f <= max; f += 0.5)
    worst = Math.max(worst, fleetRevenueUsdPerDay(T, f) - segmentedRevenueUsdPerDay(segments, f));
  assert.ok(worst <= maxGapUsdPerDay + 1e-12, `grid gap ${worst} > stated ${maxGapUsdPerDay}`);
  assert.ok(worst >= maxGapUsdPerDay * 0.99, `stated gap ${maxGapUsdPerDay} is loose (grid ${worst})`);
  // Per segment kB N (sqrt(g_b) - sqrt(g_a))^2 / (g_a g_b) = kB (N / g_a) (sqrt(r) - 1)^2 / r, r = g_b / g_a
  // = 11^(1/482) = 1.004987; largest on the first (g_a = N): 100 x (1.0024907 - 1)^2 / 1.004987 = 0.000617.
  near(maxGapUsdPerDay, 0.000617, 0.000001, 'largest gap (first segment)');
  assert.deepEqual(revenueSegments(T, 0).segments, []);
});

test('a tiny share of the network gets the linear answer: relative error <= F_max / N', () => {
  // F_max = 1e-4 N: one secant, slope kB / (N + F_max) = 0.1 / 1.0001, within 1e-4 of the lone rate.
  const { segments } = revenueSegments(T, 0.1);
  assert.equal(segments.length, 1);
  const rel = 1 - segments[0]!.usdPerMhsDay / loneUsdPerMhsDay(T);
  assert.ok(rel > 0 && rel <= 1e-4, `relative error ${rel}`);
  near(fleetRevenueUsdPerDay(T, 0.1) / (0.1 * loneUsdPerMhsDay(T)), 1, 1e-4, 'R(F) vs linear');
});

const q = (value: number, unit: string, kind: Quantity['kind'] = 'measured'): Quantity => ({
  value,
  unit,
  asOf: '2026-08-18',
  kind,
  source: 'test',
});
const rvn = (difficulty: number): CoinMarket => ({
  coin: 'RVN',
  priceUsd: q(0.0055, 'USD/RVN'),
  difficulty: q(difficulty, 'difficulty'),
  height: q(4_000_000, 'block', 'derived'),
  blockRewardCoins: q(1250, 'RVN/block', 'derived'),
});

test('N from the difficulty less the fleet current miners; a contradiction falls back with a warning', () => {
  // RVN D = 10,950: 10,950 x 2^32 / 60 s = 783,831,531,520 H/s (~0.78 TH/s, the 2026-08-18 headers).
  const implied = (10_950 * 2 ** 32) / 60 / 1e6;
  near(implied, 783_831.53152, 1e-6, 'implied MH/s');
  const x = externalHashrate(rvn(10_950), 300_000);
  near(x.externalMhs, implied - 300_000, 1e-6, 'N');
  assert.equal(x.warning, undefined);
  assert.match(x.method, /less the fleet's current RVN miners \(0\.300 TH\/s/);
  const y = externalHashrate(rvn(10_950), 800_000);
  near(y.externalMhs, implied, 1e-6, 'fallback N');
  assert.match(y.warning!, /at least the whole network/);
  // B = 1,440 blocks/day x 1,250 RVN x 0.0055 USD = 9,900 USD/day; kept 1 - 0.01 - 0.01 = 0.98.
  near(issuedUsdPerDay(rvn(10_950)), 9900, 1e-9, 'issued');
  const { terms } = networkTermsOf(rvn(10_950), DEFAULT_CONFIG.mining, 0);
  near(terms.keptShare, 0.98, 1e-12, 'kept');
  assert.throws(() => fleetRevenueUsdPerDay({ ...T, externalMhs: 0 }, 1), /external network hashrate/);
});
