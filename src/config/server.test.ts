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
