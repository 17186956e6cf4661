import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from './db.ts';
import { DataError } from '../errors.ts';
import type { Observation } from '../domain/observations.ts';

/** Issue 16 item 4: a damaged store says which file and how to recover (a DataError: exit 2, API 503). */
const obs = (n: number): Observation[] =>
  Array.from({ length: n }, (_, i) => ({
    series: 'coin.priceUsd',
    key: `K${i}`,
    value: 1 + i,
    asOf: '2026-11-25',
    kind: 'measured',
    source: 'x',
    sourceUrl: `test://${'padding'.repeat(20)}`,
  }));

function damaged(err: unknown): boolean {
  assert.ok(err instanceof DataError, `expected a DataError, got ${String(err)}`);
  assert.equal(err.exitCode, 2);
  assert.match(err.message, /rigpivot\.db: the history store is damaged/);
  assert.match(
    err.message,
    /mv rigpivot\.db rigpivot\.db\.damaged.*rigpivot import-history.*rigpivot collect/s,
  );
  return true;
}

test('a file that is not a database: the store refuses to open it, naming the file and the recovery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-damage-'));
  try {
    writeFileSync(join(dir, 'rigpivot.db'), 'this is not a database, just text '.repeat(200));
    assert.throws(() => new Store(dir), damaged);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged page: queries and the health check fail with the recovery, not a raw SQLite stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-damage-'));
  try {
    const s = new Store(dir);
    const run = s.beginRun('2026-11-25', 'offline', 't');
    s.replaceSourceDay(run, '2026-11-25', 'x', obs(2_000), [], 't', 't');
    s.checkHealth();
    s.close();
    const file = join(dir, 'rigpivot.db');
    const fd = openSync(file, 'r+');
    const size = statSync(file).size;
    // the observations' pages (the last part of the file), not the schema and meta pages at the start
    for (let at = Math.floor(size / 2 / 4096) * 4096; at < size; at += 8_192)
      writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, at);
    closeSync(fd);
    const opened = new Store(dir);
    try {
      assert.throws(() => opened.observationsFor('2026-11-25'), damaged);
      assert.throws(() => opened.checkHealth(), damaged);
    } finally {
      opened.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
