import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  openSetup,
  collectMarketData,
  sourcesStatusReport,
  importShippedHistory,
  withHistory,
  renderChartPng,
} from './index.ts';
import { DEFAULT_SOURCES } from '../config/sources.ts';

const FACADE = fileURLToPath(new URL('./index.ts', import.meta.url));

/** The module URLs a fresh node process resolves while importing `file` (through a resolve hook). */
async function modulesLoadedBy(file: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-hook-'));
  try {
    writeFileSync(
      join(dir, 'hook.mjs'),
      'export async function resolve(s, c, next) { const r = await next(s, c); ' +
        "console.log('RESOLVED ' + r.url); return r; }\n",
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\n` +
        `register(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});\n`,
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        join(dir, 'register.mjs'),
        '-e',
        `await import(${JSON.stringify(file)})`,
      ],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)) },
    );
    return stdout
      .split('\n')
      .filter((l) => l.startsWith('RESOLVED '))
      .map((l) => l.slice(9));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('importing the engine facade loads no canvas, chart.js or HTTP client: they load on first use', async () => {
  const urls = await modulesLoadedBy(FACADE);
  assert.ok(
    urls.some((u) => u.endsWith('/src/engine/decide.ts')),
    'the hook saw the engine load',
  );
  const heavy = urls.filter((u) =>
    /node_modules\/(@napi-rs\/canvas|chart\.js|axios)\/|\/src\/(report\/png|sources\/http)\.ts$/.test(u),
  );
  assert.deepEqual(heavy, []);
});

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
