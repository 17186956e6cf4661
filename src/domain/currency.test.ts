import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney, fromUsd, fxNote, USD_DISPLAY, type DisplayCurrency } from './currency.ts';

const dc = (code: string, perUsd: number): DisplayCurrency => ({
  code,
  perUsd,
  asOf: '2026-11-25',
  source: 'test',
  kind: 'derived',
  note: '',
});

test('USD converts at 1; another currency at its rate per USD', () => {
  assert.equal(fromUsd(1234.5, USD_DISPLAY), 1234.5);
  assert.ok(Math.abs(fromUsd(1000, dc('EUR', 0.8632)) - 863.2) < 1e-9);
  assert.ok(Math.abs(fromUsd(-10, dc('PLN', 3.6426)) + 36.426) < 1e-9);
});

test('formatting: symbol before (EUR, GBP) or after (PLN), sign first, unknown codes spelled out', () => {
  assert.equal(formatMoney(1234.5, USD_DISPLAY), '$1,234.50');
  assert.equal(formatMoney(1000, dc('EUR', 0.8632)), '€863.20');
  assert.equal(formatMoney(-1000, dc('GBP', 0.756)), '-£756.00');
  assert.equal(formatMoney(1000, dc('PLN', 3.6426), 0), '3,643 zł');
  assert.equal(formatMoney(2, dc('HUF', 330.5), 1), '661.0 HUF');
});

test('the rate note names the rate, the source and the as-of, and says user-given when it is', () => {
  assert.equal(
    fxNote('EUR', 0.863230240549, 'CoinGecko simple/price', '2026-11-25T06:33:00.000Z', false),
    'EUR at 0.86323 per USD, CoinGecko simple/price, as of 2026-11-25T06:33:00.000Z',
  );
  assert.equal(
    fxNote('PLN', 3.65, 'bank statement', '2026-11-20', true),
    'PLN at 3.65 per USD, user-given: bank statement, as of 2026-11-20',
  );
});
