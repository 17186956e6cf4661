import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadServerConfig } from './server.ts';
import { InputError } from '../errors.ts';

test('server limits: defaults, RIGPIVOT_BODY_MAX_DEPTH, and whole decimal numbers only', () => {
  const d = loadServerConfig({});
  assert.equal(d.bodyMaxDepth, 32);
  assert.equal(d.rateLimitPerMin, 1200);
  assert.equal(loadServerConfig({ RIGPIVOT_BODY_MAX_DEPTH: '64' }).bodyMaxDepth, 64);
  for (const [name, raw] of [
    ['RIGPIVOT_BODY_MAX_DEPTH', '0x20'],
    ['RIGPIVOT_BODY_MAX_DEPTH', '300'],
    ['RIGPIVOT_BODY_MAX_DEPTH', '2'],
    ['RIGPIVOT_RATE_LIMIT', '1e3'],
    ['RIGPIVOT_POST_RATE_LIMIT', '-1'],
    ['RIGPIVOT_BODY_LIMIT', '0x100000'],
  ] as const)
    assert.throws(
      () => loadServerConfig({ [name]: raw }),
      (e: unknown) => e instanceof InputError && e.message.startsWith(`${name}: expected an integer from`),
      `${name}=${raw}`,
    );
});

test('server compute settings: pool, time budget and cost limits from the environment', () => {
  const d = loadServerConfig({});
  assert.deepEqual(
    [d.workers, d.workerQueue, d.timeBudgetMs, d.whatIfMaxCells, d.riskMaxCost, d.computePerMin],
    [null, 8, 30_000, 3_000, 40_000_000, 30],
  );
  assert.equal(d.apiKeyForCostlyGets, false);
  const set = loadServerConfig({
    RIGPIVOT_WORKERS: '3',
    RIGPIVOT_KEY_FOR_GETS: '1',
    RIGPIVOT_COMPUTE_PER_MIN: '0',
    RIGPIVOT_WHATIF_MAX_CELLS: '500',
  });
  assert.deepEqual(
    [set.workers, set.apiKeyForCostlyGets, set.computePerMin, set.whatIfMaxCells],
    [3, true, 0, 500],
  );
  for (const [name, raw] of [
    ['RIGPIVOT_WORKERS', '0'],
    ['RIGPIVOT_KEY_FOR_GETS', '2'],
    ['RIGPIVOT_TIME_BUDGET_MS', '5'],
  ] as const)
    assert.throws(() => loadServerConfig({ [name]: raw }), /expected an integer from/, `${name}=${raw}`);
});
