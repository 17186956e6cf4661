import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marketplaceQuoteSchema, quantitySchema } from './schemas.ts';
import { isSoftKind, KINDS } from './types.ts';

const quote = {
  marketplace: 'vast.ai',
  tier: 'marketplace',
  modelId: 'rtx-3090',
  usdPerGpuHour: 0.25,
  asOf: '2026-01-28',
  source: "'GPU Cloud Infrastructure Pricing Guide' last updated 2026-01-28",
};

test('kind: approximate is a kind of its own; an unknown kind is refused naming the allowed ones', () => {
  assert.deepEqual([...KINDS], ['measured', 'approximate', 'derived', 'assumed']);
  assert.equal(marketplaceQuoteSchema.parse({ ...quote, kind: 'approximate' }).kind, 'approximate');
  const bad = marketplaceQuoteSchema.safeParse({ ...quote, kind: 'guessed' });
  assert.equal(bad.success, false);
  assert.match(JSON.stringify(bad.error!.issues), /approximate/);
});

test('kind: derived and assumed figures need a method; measured and approximate ones do not', () => {
  const q = { value: 0.32, unit: 'USD/ERG', asOf: '2026-04-15', source: 'a dated quote' };
  for (const kind of ['measured', 'approximate'])
    assert.equal(quantitySchema.safeParse({ ...q, kind }).success, true, kind);
  for (const kind of ['derived', 'assumed']) {
    const r = quantitySchema.safeParse({ ...q, kind });
    assert.equal(r.success, false, kind);
    assert.match(r.error!.issues[0]!.message, /need a method/);
    assert.equal(quantitySchema.safeParse({ ...q, kind, method: 'midpoint' }).success, true, kind);
  }
});

test('kind: approximate and assumed are the soft kinds (trusted like assumptions)', () => {
  assert.deepEqual(
    KINDS.filter((k) => isSoftKind(k)),
    ['approximate', 'assumed'],
  );
});
