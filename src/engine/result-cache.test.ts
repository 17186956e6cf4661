import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext, exampleFleetFile } from './context.ts';
import { decide, modelsWith } from './decide.ts';
import { cachedFragility, checkFragility } from './fragility.ts';
import { resaleFit } from './paths.ts';
import { loadFleetFile } from '../config/fleet.ts';
import { loadSolver } from '../solve/highs.ts';
import { cacheKey, readCached, writeCached } from './result-cache.ts';
import type { AdviceFragility } from '../domain/analysis.ts';

/** A fresh data folder, its context and the small-farm fleet decided on it. */
async function decidedSmallFarm(prefix: string) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const ctx = openContext({ dataDir });
  const highs = await loadSolver();
  const fleet = loadFleetFile(exampleFleetFile('small-farm'), modelsWith(ctx.reference));
  return { dataDir, ctx, highs, fleet, base: decide(ctx, fleet, highs) };
}

test('fragility: cached under the data folder, the same answer as the search, missed on a new input', async () => {
  const { dataDir, ctx, highs, fleet, base } = await decidedSmallFarm('rigpivot-fragility-cache-');
  const { dataDir: _, ...bare } = ctx; // no data folder: no cache
  const searched = checkFragility(bare, fleet, highs, base);
  assert.ok(searched.inputs.length > 0);
  const first = checkFragility(ctx, fleet, highs, base);
  assert.deepEqual(first, searched);
  const dir = join(dataDir, 'cache', 'fragility');
  const [file, ...more] = readdirSync(dir);
  assert.equal(more.length, 0);
  // The second call reads the file: a marked copy comes back.
  const marked: AdviceFragility = { ...first, method: 'from the cache' };
  writeFileSync(join(dir, file!), JSON.stringify(marked));
  assert.equal(checkFragility(ctx, fleet, highs, base).method, 'from the cache');
  // Another price (0.1 % up: the same allocation) is another key: searched again, a second file.
  const dearer = structuredClone(ctx.snapshot);
  dearer.coins.RVN.priceUsd.value *= 1.001;
  const other = { ...ctx, snapshot: dearer };
  const otherBase = decide(other, fleet, highs);
  assert.deepEqual(
    otherBase.cells.map((c) => c.recommended),
    base.cells.map((c) => c.recommended),
  );
  const again = checkFragility(other, fleet, highs, otherBase);
  assert.notEqual(again.method, 'from the cache');
  assert.equal(readdirSync(dir).length, 2);
});

test('result cache: maps hash by content, unreadable entries miss, the newest 32 are kept', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rigpivot-result-cache-'));
  assert.equal(cacheKey(1, new Map([['a', 1]])), cacheKey(1, new Map([['a', 1]])));
  assert.notEqual(cacheKey(1, new Map([['a', 1]])), cacheKey(1, new Map([['a', 2]])));
  assert.notEqual(cacheKey(1, { x: 1 }), cacheKey(2, { x: 1 }));
  assert.equal(readCached(dataDir, 'k', 'absent'), undefined);
  writeCached(dataDir, 'k', 'bad', { ok: true });
  writeFileSync(join(dataDir, 'cache', 'k', 'bad.json'), '{ not json');
  assert.equal(readCached(dataDir, 'k', 'bad'), undefined);
  for (let i = 0; i < 40; i++) writeCached(dataDir, 'k', `e${i}`, { i });
  assert.equal(readdirSync(join(dataDir, 'cache', 'k')).length, 32);
  assert.deepEqual(readCached(dataDir, 'k', 'e39'), { i: 39 });
  assert.equal(JSON.parse(readFileSync(join(dataDir, 'cache', 'k', 'e39.json'), 'utf8')).i, 39);
});

test('fragility cache: a changed resale table (read by decide, not from ctx) misses', async () => {
  const { ctx, highs, fleet, base } = await decidedSmallFarm('rigpivot-fragility-resale-');
  checkFragility(ctx, fleet, highs, base);
  assert.ok(cachedFragility(ctx, fleet, base), 'the search left its answer in the cache');
  // the shared table decide() reads: one observed price of a fleet card 20 % lower, then restored
  const { table } = resaleFit();
  const id = fleet.entries.map((e) => e.model).find((m) => (table.models.get(m)?.prices.length ?? 0) > 0)!;
  const last = table.models.get(id)!.prices.at(-1)!;
  const was = last.usdPerCard;
  try {
    last.usdPerCard = was * 0.8;
    assert.equal(cachedFragility(ctx, fleet, base), undefined);
  } finally {
    last.usdPerCard = was;
  }
  assert.ok(cachedFragility(ctx, fleet, base));
});
