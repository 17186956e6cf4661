import { test } from 'node:test';
import assert from 'node:assert/strict';
import { currencyLines } from './currency.ts';
import type { DisplayCurrency } from '../domain/currency.ts';

const EUR: DisplayCurrency = {
  code: 'EUR',
  perUsd: 0.5,
  asOf: '2026-11-25',
  source: 'test rate',
  kind: 'measured',
  note: 'EUR at 0.5 per USD, test rate, as of 2026-11-25',
};

test('advise in another currency: the change is the gain figure, not net - current net', () => {
  // hive-like's shape: the recommendation's net has the sites' fixed costs taken off (and take-or-pay
  // credited), the current net does not, so net - current (4,127) understates the gain (5,870)
  const totals = { netUsdPerDay: 8123.4, netUsdPerDevicePerDay: 1.62, currentNetUsdPerDay: 3996.2 };
  const [line, note] = currencyLines(
    totals,
    { afterSwitchingUsdPerDay: 5869.5, beforeSwitchingUsdPerDay: 6732.7 },
    EUR,
  );
  assert.match(line!, /expected net €4,061\.70\/day/);
  assert.match(
    line!,
    /gain from the moves, after switching cost: €2,934\.75\/day \(before switching cost: €3,366\.35\/day\)/,
  );
  assert.doesNotMatch(line!, /2,063/); // (8123.4 - 3996.2) x 0.5
  assert.match(note!, /EUR at 0\.5 per USD/);
});
