import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ASSUMPTIONS, DEFAULT_CONFIG, listAssumptions } from './schema.ts';
import { loadConfig } from './load.ts';

/** Dotted keys of every leaf (arrays are leaves) of a config object. */
function leafKeys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? leafKeys(v as Record<string, unknown>, `${prefix}${k}.`)
      : [`${prefix}${k}`],
  );
}

test('every config value is a documented assumption with a unit and a reason, and nothing else is', () => {
  assert.deepEqual(leafKeys(DEFAULT_CONFIG).sort(), Object.keys(ASSUMPTIONS).sort());
  for (const [key, a] of Object.entries(ASSUMPTIONS)) {
    assert.ok(a.unit.length > 0, `${key} unit`);
    assert.ok(a.reason.length > 20, `${key} reason`);
  }
});

test('cost, re-hosting, resale and horizon assumptions are listed with their values and can be set', () => {
  const rows = new Map(listAssumptions(DEFAULT_CONFIG).map((r) => [r.key, r]));
  assert.equal(rows.get('rehost.consumerUsdPerGpu')!.value, 400);
  assert.equal(rows.get('resale.sellingFee')!.value, 0.15);
  assert.equal(rows.get('horizon.days')!.value, 180);
  assert.match(rows.get('rehost.consumerUsdPerGpu')!.reason, /ASSUMED/);
  assert.equal(loadConfig({ overrides: ['horizon.days=90'] }).horizon.days, 90);
  assert.throws(() => loadConfig({ overrides: ['horizon.days=0'] }), /horizon\.days/);
  assert.throws(() => loadConfig({ overrides: ['horizon.days=1.5'] }), /horizon\.days/);
  assert.throws(() => loadConfig({ overrides: ['resale.sellingFee=0.95'] }), /resale\.sellingFee/);
  assert.throws(() => loadConfig({ overrides: ['rehost.cmpUsdPerGpu=-1'] }), /rehost\.cmpUsdPerGpu/);
});
