import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelLabel } from './labels.ts';

test('modelLabel: a patched CMP card says so after its model; any other card is its model id', () => {
  assert.equal(modelLabel({ model: 'cmp-50hx', cmpPatched: true }), 'cmp-50hx (patched)');
  assert.equal(modelLabel({ model: 'cmp-50hx', cmpPatched: false }), 'cmp-50hx');
});
