import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adviceDisplay, withDisplay } from './advice-display.ts';
import { offeredCurrencies } from './currency.ts';
import { DEFAULT_CONFIG, type Config } from '../config/schema.ts';
import { loadSnapshot } from '../store/snapshots.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { InputError } from '../errors.ts';
import type { Quantity } from '../domain/types.ts';

const shipped = loadSnapshot(undefined, SHIPPED_DATA_DIR); // the embedded offline snapshot: no FX rate
const collected = (value: number, asOf: string): Quantity => ({
  value,
  unit: 'GBP/USD',
  asOf,
  kind: 'derived',
  source: 'coingecko: https://example.test/simple/price',
  method: 'CoinGecko simple/price: bitcoin in the currency / bitcoin in USD',
});
const eurConfig = (displayCurrency = 'EUR'): Config => ({
  ...DEFAULT_CONFIG,
  displayCurrency,
  fx: { EUR: { perUsd: 0.86, asOf: '2026-11-20', source: 'bank statement' } },
});

test('currencies on offer: every code with a rate in the snapshot or config, each at its own rate', () => {
  const snap = { ...shipped, fx: { GBP: collected(0.79, '2026-11-25T05:00:00Z') } };
  const offered = offeredCurrencies(snap, eurConfig());
  assert.deepEqual(
    offered.map((c) => [c.code, c.perUsd, c.kind]),
    [
      ['EUR', 0.86, 'user-given'],
      ['GBP', 0.79, 'derived'],
    ],
  );
  assert.deepEqual(offeredCurrencies(shipped, DEFAULT_CONFIG), []);
});

test('the default is config displayCurrency at its rate; a requested one wins; USD shows no display', () => {
  const d = adviceDisplay(shipped, eurConfig(), undefined, 'currency');
  assert.equal(d.dc?.code, 'EUR');
  assert.equal(d.currencies.configured, 'EUR');
  assert.equal(d.currencies.note, null);
  assert.equal(adviceDisplay(shipped, eurConfig(), 'usd', 'currency').dc, null);
});

test('no rate: a requested currency is an error naming the field; the configured default only a note', () => {
  assert.throws(
    () => adviceDisplay(shipped, DEFAULT_CONFIG, 'PLN', 'currency'),
    (e: Error) => e instanceof InputError && e.path === 'currency' && /no PLN per USD rate/.test(e.message),
  );
  const none = adviceDisplay(shipped, DEFAULT_CONFIG, undefined, 'currency');
  assert.equal(none.dc, null);
  assert.match(none.currencies.note ?? '', /No exchange rate in snapshot 2026-11-25 or the config/);
  // a configured currency without a rate (another has one): USD, and the note says what is missing
  const pln = adviceDisplay(shipped, eurConfig('PLN'), undefined, 'currency');
  assert.equal(pln.dc, null);
  assert.match(pln.currencies.note ?? '', /no PLN per USD rate/);
  assert.deepEqual(
    pln.currencies.offered.map((c) => c.code),
    ['EUR'],
  );
});

test('withDisplay reads the headline source only when converting to another currency', () => {
  const usd = adviceDisplay(shipped, DEFAULT_CONFIG, 'USD', 'currency');
  const body = withDisplay({ moves: [] }, usd, () => assert.fail('the USD answer computed a summary'));
  assert.deepEqual(Object.keys(body), ['moves', 'currencies']);
});
