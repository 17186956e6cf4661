import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatInteger,
  formatNumber,
  formatPercent,
  formatScientific,
  formatUsd,
  NOT_AVAILABLE,
} from './format.ts';

test('quantities keep 3 significant digits, whole digits and thousands separators', () => {
  assert.equal(formatNumber(0.005501), '0.0055');
  assert.equal(formatNumber(12.345), '12.3');
  assert.equal(formatNumber(123.456), '123');
  assert.equal(formatNumber(4_644_213.7), '4,644,214');
  assert.equal(formatNumber(-1234.5), '-1,235');
  assert.equal(formatNumber(9.996), '10');
  assert.equal(formatNumber(0.00012345), '0.000123');
  assert.equal(formatNumber(2.5, 4), '2.5');
});

test('difficulties and tiny amounts read as a power of ten, never 4.6442e+6', () => {
  assert.equal(formatNumber(1.473e15), '1.47 × 10¹⁵');
  assert.equal(formatNumber(1e9), '1 × 10⁹');
  assert.equal(formatNumber(-0.0000123), '-1.23 × 10⁻⁵');
  assert.equal(formatScientific(6.02214e23, 4), '6.022 × 10²³');
  for (const x of [4_644_213, 1.473e15, 0.005501, 1e-7])
    assert.doesNotMatch(formatNumber(x), /e[+-]?\d/, `${x} in exponent notation`);
});

test('zero, negative zero and values that round to zero read 0', () => {
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(-0), '0');
  assert.equal(formatInteger(-0.4), '0');
  assert.equal(formatUsd(0), '$0');
  assert.equal(formatUsd(-0.001, 0), '$0');
  assert.equal(formatUsd(0.00001234, 3), '$0');
});

test('NaN and infinities read n/a everywhere, never NaN', () => {
  for (const f of [formatNumber, formatInteger, formatUsd, formatPercent, formatScientific])
    for (const x of [NaN, Infinity, -Infinity]) assert.equal(f(x), NOT_AVAILABLE, `${f.name}(${x})`);
});

test('heights and counts are whole numbers with separators', () => {
  assert.equal(formatInteger(4_644_213), '4,644,213');
  assert.equal(formatInteger(2.5), '3');
  assert.equal(formatInteger(-2.5), '-3');
  assert.equal(formatInteger(1.473e15), '1,473,000,000,000,000');
});

test('USD: whole dollars from 100, cents from 1, 3 significant digits below a dollar', () => {
  assert.equal(formatUsd(1234.567), '$1,235');
  assert.equal(formatUsd(-1234.5), '-$1,235');
  assert.equal(formatUsd(123.456), '$123');
  assert.equal(formatUsd(12.5), '$12.50');
  assert.equal(formatUsd(-4.5), '-$4.50');
  assert.equal(formatUsd(99.996), '$100');
  assert.equal(formatUsd(0.22), '$0.22');
  assert.equal(formatUsd(0.445), '$0.445');
  assert.equal(formatUsd(0.0123), '$0.0123');
  assert.equal(formatUsd(0.00001234), '$1.23 × 10⁻⁵');
});

test('USD: maxDecimals caps the rule where cents do not matter', () => {
  assert.equal(formatUsd(12.5, 0), '$13');
  assert.equal(formatUsd(0.0123, 3), '$0.012');
  assert.equal(formatUsd(1234.5, 2), '$1,235');
});

test('percentages: at most one decimal', () => {
  assert.equal(formatPercent(0.1234), '12.3%');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercent(0.00004), '0%');
  assert.equal(formatPercent(-0.05), '-5%');
});
