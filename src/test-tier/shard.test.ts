import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isUnitTestFile, leftBehind, shardFiles, unitTestFiles } from './shard.ts';

test('shards: every unit test file runs in exactly one shard, and no int or e2e file runs', () => {
  const files = unitTestFiles();
  const entries = readdirSync(import.meta.dirname).filter((f) => /^unit-\d+\.ts$/.test(f));
  assert.ok(entries.length >= 2, `${entries.length} shard entries`);
  const sharded = entries.flatMap((_, i) => shardFiles(files, i, entries.length));
  assert.deepEqual([...sharded].sort(), files);
  assert.equal(new Set(sharded).size, files.length);
  assert.ok(
    files.includes('src/analysis/breakeven.test.ts') && files.includes('src/test-tier/shard.test.ts'),
  );
  assert.ok(files.length > 80 && files.every((f) => !/\.(int|e2e)\.test\.ts$/.test(f)));
  const src = readdirSync(join(import.meta.dirname, '..'), { recursive: true, encoding: 'utf8' });
  assert.ok(
    src.some((f) => f.endsWith('.int.test.ts')),
    'the tree has int tests to leave out',
  );
});

test('shards: the kinds of test file by name, and a bad shard is refused with the field named', () => {
  assert.equal(isUnitTestFile('src/a/x.test.ts'), true);
  assert.equal(isUnitTestFile('src/a/x.int.test.ts'), false);
  assert.equal(isUnitTestFile('src/a/x.e2e.test.ts'), false);
  assert.equal(isUnitTestFile('src/a/x.ts'), false);
  assert.deepEqual(shardFiles(['a', 'b', 'c', 'd', 'e'], 1, 2), ['b', 'd']);
  assert.throws(() => shardFiles(['a'], 2, 2), /shard index: expected an integer from 0 to 1, got 2/);
  assert.throws(() => shardFiles(['a'], 0, 0), /shard count: expected an integer >= 1, got 0/);
});

test('shards: a file that leaves an env var or the working folder changed is named by what it left', () => {
  const before = { env: { TZ: 'UTC', A: '1', B: 'x' }, cwd: '/repo' };
  assert.deepEqual(leftBehind(before, { env: { TZ: 'UTC', A: '1', B: 'x' }, cwd: '/repo' }), []);
  assert.deepEqual(leftBehind(before, { env: { TZ: 'UTC', A: '2', C: 'new' }, cwd: '/tmp' }), [
    'env A',
    'env B',
    'env C',
    'working folder /repo -> /tmp',
  ]);
});
