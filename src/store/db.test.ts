import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from './db.ts';
import type { Observation } from '../domain/observations.ts';

const obs = (n: number, v = 1): Observation[] =>
  Array.from({ length: n }, (_, i) => ({
    series: 'coin.priceUsd',
    key: `K${i}`,
    value: v + i,
    asOf: '2026-11-25',
    kind: 'measured',
    source: 'x',
    sourceUrl: 'test://',
  }));

test('replacing a day is idempotent and leaves other days and sources alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-db-'));
  const s = new Store(dir);
  try {
    const run = s.beginRun('2026-11-25', 'offline', 't');
    s.replaceSourceDay(run, '2026-11-24', 'x', obs(3, 100), [], 't', 't');
    s.replaceSourceDay(
      run,
      '2026-11-25',
      'x',
      obs(5),
      [{ source: 'x', url: 'u', fetchedAt: 't', status: 200, body: '{"a":1}' }],
      't',
      't',
    );
    s.replaceSourceDay(run, '2026-11-25', 'x', obs(2, 7), [], 't', 't');
    assert.deepEqual(
      s.observationsFor('2026-11-25').map((o) => o.value),
      [7, 8],
    );
    assert.equal(s.observationsFor('2026-11-24').length, 3);
    assert.deepEqual(s.rawFor('2026-11-25', 'x'), [], 'raw replaced with the day');
    assert.equal(
      s.latestObservations('2026-11-26').find((o) => o.key === 'K2')?.date,
      '2026-11-24',
      'newest stored day per key',
    );
  } finally {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run killed mid-way is marked aborted on the next start; a live process keeps its run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-db-'));
  const s = new Store(dir);
  try {
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    const killed = s.beginRun('2026-11-24', 'live', '2026-11-24T01:00:00Z', deadPid);
    const alive = s.beginRun('2026-11-24', 'live', '2026-11-24T01:00:01Z');
    const next = s.beginRun('2026-11-25', 'live', '2026-11-25T01:00:00Z');
    const byId = new Map(s.runs().map((r) => [r.id, r]));
    assert.equal(byId.get(killed)?.status, 'aborted');
    assert.equal(byId.get(killed)?.finished_at, '2026-11-24T01:00:01Z', 'ended when the next run started');
    assert.equal(byId.get(alive)?.status, 'running', 'this process is alive: its run is not aborted');
    assert.equal(byId.get(next)?.status, 'running');
  } finally {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
