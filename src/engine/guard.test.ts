import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guardReason, quarantinedOfRow } from './guard.ts';
import { DEFAULT_INPUT_GUARDS } from '../config/sources.ts';
import type { Observation } from '../domain/observations.ts';
import type { StoredObservation } from '../store/db.ts';

const obs = (series: Observation['series'], value: number, asOf = '2026-11-26'): Observation => ({
  series,
  key: 'RVN',
  value,
  asOf,
  kind: 'measured',
  source: 'x',
  sourceUrl: 'test://',
});
const last = (series: Observation['series'], value: number, asOf: string): StoredObservation => ({
  ...obs(series, value, asOf),
  date: asOf,
  unit: 'u',
});
const g = DEFAULT_INPUT_GUARDS;

test('bounds: price 1e9, -1 or 0, difficulty 0, height -1 or 1.5 are implausible whatever came before', () => {
  for (const [series, v] of [
    ['coin.priceUsd', 1e9],
    ['coin.priceUsd', -1],
    ['coin.priceUsd', 0],
    ['coin.difficulty', 0],
    ['coin.height', -1],
  ] as const)
    assert.match(
      guardReason(obs(series, v), undefined, g) ?? '',
      /outside the plausible range/,
      `${series} ${v}`,
    );
  assert.match(guardReason(obs('coin.height', 1.5), undefined, g) ?? '', /not a whole block number/);
  assert.match(guardReason(obs('coin.priceUsd', NaN), undefined, g) ?? '', /outside/);
  assert.equal(guardReason(obs('coin.priceUsd', 0.0056), undefined, g), null);
});

test('jump rule: x3 a day for prices, x2 for difficulty, the allowance growing linearly with the days', () => {
  const p = last('coin.priceUsd', 0.01, '2026-11-25');
  assert.equal(guardReason(obs('coin.priceUsd', 0.03), p, g), null, 'x3 in a day passes');
  assert.match(guardReason(obs('coin.priceUsd', 0.031), p, g) ?? '', /moved x3\.1 .*at most x3 in 1 day/);
  assert.match(guardReason(obs('coin.priceUsd', 0.0033), p, g) ?? '', /moved x3\.03/, 'a fall counts too');
  const twoDays = last('coin.priceUsd', 0.01, '2026-11-24');
  assert.equal(guardReason(obs('coin.priceUsd', 0.05), twoDays, g), null, 'x5 in two days passes');
  assert.match(guardReason(obs('coin.priceUsd', 0.051), twoDays, g) ?? '', /at most x5 in 2 day/);
  const d = last('coin.difficulty', 1000, '2026-11-25');
  assert.equal(guardReason(obs('coin.difficulty', 2000), d, g), null);
  assert.match(guardReason(obs('coin.difficulty', 2001), d, g) ?? '', /at most x2 in 1 day/);
  const sameDay = last('coin.difficulty', 1000, '2026-11-26');
  assert.match(guardReason(obs('coin.difficulty', 2500), sameDay, g) ?? '', /at most x2 in 1 day/);
  assert.equal(
    guardReason(obs('coin.height', 9e6), last('coin.height', 1, '2026-11-25'), g),
    null,
    'no jump rule',
  );
});

test('a stored quarantine row reads back as the value the alert rules take', () => {
  const row = {
    runId: 7,
    date: '2026-11-26',
    source: 'coingecko',
    series: 'coin.priceUsd',
    key: 'RVN',
    value: 0.9,
    asOf: '2026-11-26T00:00:00Z',
    reason: 'jump',
  };
  assert.deepEqual(quarantinedOfRow({ ...row, lastGood: 0.02, lastGoodAsOf: '2026-11-25' }), {
    source: 'coingecko',
    series: 'coin.priceUsd',
    key: 'RVN',
    value: 0.9,
    asOf: '2026-11-26T00:00:00Z',
    reason: 'jump',
    lastGood: { value: 0.02, asOf: '2026-11-25', source: 'store' },
  });
  assert.equal(quarantinedOfRow({ ...row, lastGood: null, lastGoodAsOf: null }).lastGood, null);
});
