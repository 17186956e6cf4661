import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMarketDays, calibrateLevel, DIFFICULTY_CALIBRATION, type PricePoint } from './market-series.ts';
import { ShippedHistory } from '../engine/history.ts';

const h = new ShippedHistory();
const prices = (to = '9999-12-31') => ({
  RVN: h
    .rows('coin.priceUsd', 'RVN', '0000-01-01', to)
    .map((r): PricePoint => ({ date: r.date, value: r.value })),
  ERG: h
    .rows('coin.priceUsd', 'ERG', '0000-01-01', to)
    .map((r): PricePoint => ({ date: r.date, value: r.value })),
});
const model = { tauDays: 30, calibration: DIFFICULTY_CALIBRATION, levelFactor: 1 };

test('the stored level parameters are what calibrateLevel gives on the shipped history', () => {
  for (const coin of ['RVN', 'ERG'] as const) {
    const level = calibrateLevel(coin, prices()[coin], DIFFICULTY_CALIBRATION[coin])!;
    assert.ok(Math.abs(level / DIFFICULTY_CALIBRATION[coin].hashPerUsdDay - 1) < 1e-9, coin);
  }
});

test('in equilibrium (flat price) the model gives back the calibration difficulty; it scales with the level', () => {
  const cal = DIFFICULTY_CALIBRATION.ERG;
  const flat = [
    { date: '2022-01-01', value: 3 },
    ...Array.from({ length: 250 }, (_, i) => ({
      date: new Date(Date.parse('2022-01-02') + i * 86_400_000).toISOString().slice(0, 10),
      value: 3,
    })),
  ];
  const own = {
    ...model,
    calibration: {
      ...DIFFICULTY_CALIBRATION,
      ERG: { ...cal, hashPerUsdDay: calibrateLevel('ERG', flat, cal)! },
    },
  };
  const [d] = buildMarketDays({ RVN: prices().RVN, ERG: flat }, cal.date, cal.date, own);
  // within 10%: the ERG reward steps down during the window, so EMA(30 d) and the 90-day mean differ a little
  assert.ok(Math.abs(d!.coins.ERG.difficulty! / cal.difficulty - 1) < 0.1, `${d!.coins.ERG.difficulty}`);
  const twice = buildMarketDays({ RVN: prices().RVN, ERG: flat }, cal.date, cal.date, {
    ...own,
    levelFactor: 2,
  });
  assert.ok(Math.abs(twice[0]!.coins.ERG.difficulty! / d!.coins.ERG.difficulty! - 2) < 1e-9);
});

test('no lookahead: every day is the same when all data after it is removed', () => {
  const full = buildMarketDays(prices(), '2023-06-01', '2023-09-30', model);
  for (const t of ['2023-06-01', '2023-07-15', '2023-09-30']) {
    const cut = buildMarketDays(prices(t), '2023-06-01', t, model);
    assert.deepEqual(
      cut,
      full.filter((d) => d.date <= t),
      t,
    );
  }
});

test('prices fill forward at most 45 days; rewards follow the protocol rules', () => {
  const days = buildMarketDays(
    { RVN: [{ date: '2023-01-01', value: 0.02 }], ERG: [{ date: '2023-01-01', value: 1 }] },
    '2023-01-01',
    '2023-03-01',
    model,
  );
  assert.equal(days.find((d) => d.date === '2023-02-15')!.coins.RVN.priceUsd, 0.02);
  assert.equal(days.find((d) => d.date === '2023-02-16')!.coins.RVN.priceUsd, null);
  assert.equal(days[0]!.coins.RVN.rewardCoins, 2500, 'RVN 2023: second era, 5000 >> 1');
});
