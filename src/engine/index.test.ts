import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openSetup,
  collectMarketData,
  sourcesStatusReport,
  importShippedHistory,
  withHistory,
  renderChartPng,
} from './index.ts';
import { DEFAULT_SOURCES } from '../config/sources.ts';

test('renderChartPng loads the renderer on the first call and returns PNG bytes', async () => {
  const png = await renderChartPng({
    id: 't',
    title: 't',
    width: 120,
    height: 60,
    config: { type: 'bar', data: { labels: ['a'], datasets: [{ data: [1] }] } },
  });
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});

test('collect, sources status and history import share one wiring over a fresh store folder', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rigpivot-facade-'));
  try {
    const setup = openSetup({ dataDir, env: {} });
    const now = () => new Date('2026-11-25T12:00:00Z');
    await assert.rejects(
      collectMarketData(setup, DEFAULT_SOURCES, { sources: ['coingecko'] }, now),
      /--source: choosing sources needs --live/,
    );
    const r = await collectMarketData(setup, DEFAULT_SOURCES, {}, now);
    assert.equal(r.date, '2026-11-25', 'the day defaults to today by the clock passed in');
    assert.equal(r.snapshotFile, join(dataDir, 'snapshots', '2026-11-25.json'));
    assert.ok(existsSync(r.snapshotFile));
    assert.deepEqual(
      r.results.map((x) => [x.source, x.status]),
      [['embedded', 'ok']],
    );
    assert.ok(r.historyImported > 0, 'a fresh store gets the shipped history');
    assert.ok(!('snapshot' in r), 'the snapshot itself stays on disk');

    const st = sourcesStatusReport(setup, DEFAULT_SOURCES, '2026-11-27');
    assert.equal(st.store, join(dataDir, 'rigpivot.db'));
    const embedded = st.sources.find((s) => s.source === 'embedded')!;
    assert.equal(embedded.lastSuccessDate, '2026-11-25');
    // collected on 2026-11-25, but its newest dated figure is AWS's price file of 2026-09-24: not fresh
    assert.deepEqual([embedded.dataAsOf, embedded.ageDays, embedded.tier], ['2026-09-24', 64, 'stale']);

    const again = importShippedHistory(dataDir);
    assert.equal(again.rows, r.historyImported, 'the import is an upsert of the same rows');
    const origin = await withHistory(dataDir, (h) => h.origin);
    assert.equal(origin, join(dataDir, 'rigpivot.db'));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
