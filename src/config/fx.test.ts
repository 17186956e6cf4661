import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './load.ts';

const withRateDated = (asOf: string) =>
  loadConfig({
    env: { RIGPIVOT_CONFIG_JSON: JSON.stringify({ fx: { EUR: { perUsd: 0.86, asOf, source: 'bank' } } }) },
  });

test('config fx asOf: a calendar date YYYY-MM-DD, else an error naming the field', () => {
  assert.equal(withRateDated('2026-11-20').fx!.EUR!.asOf, '2026-11-20');
  const cases: [string, RegExp][] = [
    ['2026-13-45', /fx\.EUR\.asOf: "2026-13-45" is not a calendar date: there is no month 13/],
    ['2026-02-30', /fx\.EUR\.asOf: "2026-02-30" is not a calendar date: 2026-02 has 28 days/],
    ['2026-11-20xyz', /fx\.EUR\.asOf: expected a date YYYY-MM-DD, got "2026-11-20xyz"/],
    ['yesterday', /fx\.EUR\.asOf: expected a date YYYY-MM-DD/],
  ];
  for (const [asOf, message] of cases) assert.throws(() => withRateDated(asOf), message);
});
