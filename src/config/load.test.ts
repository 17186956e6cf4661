import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, applyConfigValues } from './load.ts';
import { DEFAULT_CONFIG } from './schema.ts';
import { InputError } from '../errors.ts';
import { isDecimalNumber } from '../lib/num.ts';

const refused = (path: RegExp, message: RegExp) => (e: unknown) =>
  e instanceof InputError && e.exitCode === 2 && path.test(e.path) && message.test(e.message);

test('--set refuses prototype keys by name, and inherited names as unknown keys', () => {
  for (const key of ['__proto__', 'constructor', 'prototype', 'ai.__proto__', 'mining.constructor'])
    assert.throws(
      () => loadConfig({ overrides: [`${key}=1`] }),
      refused(
        /^--set$/,
        new RegExp(`key "${key.replace('.', '\\.')}" is refused: "__proto__", "constructor"`),
      ),
      key,
    );
  for (const key of ['toString', 'hasOwnProperty', 'ai.utilization'])
    assert.throws(() => loadConfig({ overrides: [`${key}=1`] }), refused(/^--set$/, /unknown key/), key);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('--set takes decimal numbers only (1e3 counts as decimal), naming the key otherwise', () => {
  for (const bad of ['0x10', '0x0', '0o7', '0b1', 'Infinity', '1_000', '0.5.5', ''])
    assert.throws(
      () => loadConfig({ overrides: [`defaultSite.tariffUsdPerKwh=${bad}`] }),
      refused(/^--set defaultSite\.tariffUsdPerKwh$/, /expects a decimal number \(USD\/kWh\).*got "/),
      bad,
    );
  assert.equal(
    loadConfig({ overrides: ['defaultSite.tariffUsdPerKwh=5e-2'] }).defaultSite.tariffUsdPerKwh,
    0.05,
  );
  assert.equal(loadConfig({ overrides: ['ai.minVramGiB=.8e1'] }).ai.minVramGiB, 8);
  assert.equal(loadConfig({ overrides: ['mining.poolFee=+0.02'] }).mining.poolFee, 0.02);
  assert.deepEqual(loadConfig({ overrides: ['ai.acceptedVendors=nvidia,amd'] }).ai.acceptedVendors, [
    'nvidia',
    'amd',
  ]);
  for (const ok of ['0', '-1', '1.', '.5', '1e3', '2.5E-2']) assert.ok(isDecimalNumber(ok), ok);
});

test('a config file or RIGPIVOT_CONFIG_JSON with a prototype key is refused, naming where it came from', () => {
  for (const text of ['{"__proto__":{"x":1}}', '{"ai":{"constructor":{"prototype":{"x":1}}}}'])
    assert.throws(
      () => loadConfig({ env: { RIGPIVOT_CONFIG_JSON: text } }),
      refused(/^RIGPIVOT_CONFIG_JSON$/, /is refused/),
      text,
    );
});

test("the API's what-if config values refuse inherited names as unknown assumptions", () => {
  for (const key of ['constructor', 'toString', '__proto__'])
    assert.throws(
      () => applyConfigValues(DEFAULT_CONFIG, JSON.parse(`{"${key}": 1}`), 'overrides.config'),
      refused(new RegExp(`^overrides\\.config\\.${key}$`), /unknown assumption/),
      key,
    );
});
