import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from './db.ts';
import { addDays } from '../lib/time.ts';
import {
  DIFFICULTY_SERIES,
  EXCLUDED_DIFFICULTY_SERIES,
  networkDifficultyRows,
  parseRentalScrape,
  readPriceFiles,
  readShippedHistory,
} from './history-import.ts';
import { loadNetworkHistory } from './network-history.ts';

const network = loadNetworkHistory();

function dump(s: Store) {
  return s.historySeries().map((x) => ({ ...x, rows: s.history(x.series, x.key) }));
}

test('import-history twice gives the same store (network difficulty and prices)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-import-'));
  const s = new Store(dir);
  try {
    s.upsertHistory(readShippedHistory());
    const once = dump(s);
    s.upsertHistory(readShippedHistory());
    assert.deepEqual(dump(s), once);
    const keys = once.map((x) => `${x.series}/${x.key}`);
    for (const k of ['coin.difficulty/RVN', 'coin.difficulty/ERG', 'coin.difficulty.excluded/RVN'])
      assert.ok(keys.includes(k), k);
    assert.ok(keys.includes('coin.priceUsd/RVN'), 'price histories still imported');
    const rvn = s.history(DIFFICULTY_SERIES, 'RVN', '2026-08-18', '2026-08-18')[0]!;
    assert.ok(Math.abs(rvn.value - 10_949.65) < 0.01);
    assert.equal(rvn.unit, 'Bitcoin-style difficulty (x 2^32 hashes per block)');
    assert.match(rvn.source, /^\[measured\] .*nBits 0x1b05fc31.*block 4500000 at 2026-08-18T23:09:29/);
    assert.match(rvn.source, /source: ALENOC\/electrumx-ravencoin @ 6074ae41/);
  } finally {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('coin.difficulty is what the loader answers; the rest is in .excluded with the reason', () => {
  const rows = networkDifficultyRows(network);
  const usable = (coin: string) =>
    rows
      .filter((r) => r.series === DIFFICULTY_SERIES && r.key === coin)
      .sort((a, b) => a.date.localeCompare(b.date));
  const rvn = usable('RVN');
  const erg = usable('ERG');
  for (let t = '2020-01-01'; t <= '2026-12-31'; t = addDays(t, 7)) {
    const newest = rvn.filter((r) => r.date <= t).at(-1);
    assert.equal(newest?.value, network.rvnDifficultyOn(t)?.difficulty, t);
    assert.equal(
      erg.filter((r) => r.date <= t).at(-1)?.value,
      network.ergPointsOnOrBefore(t).at(-1)?.difficulty,
      t,
    );
  }
  const excluded = (coin: string, date: string) =>
    rows.find((r) => r.series === EXCLUDED_DIFFICULTY_SERIES && r.key === coin && r.date === date)!;
  assert.match(excluded('RVN', '2022-09-13').source, /^\[derived\] .*excluded: interpolated day/);
  assert.match(excluded('RVN', '2020-05-06').source, /excluded: X16R/);
  assert.match(excluded('RVN', '2026-08-10').source, /block 4488000 .*excluded: RVN consensus incident/);
  assert.match(excluded('ERG', '2021-01-28').source, /excluded: Autolykos v1/);
  const keys = rows.map((r) => `${r.series}|${r.key}|${r.date}`);
  assert.equal(new Set(keys).size, keys.length, 'one row per series, coin and day');
});

test('the 2026-02-11 GPU rental scrape imports as dated per-GPU-hour prices', () => {
  const rows = readShippedHistory().filter((r) => r.date === '2026-02-11' && r.series.startsWith('cloud.'));
  const at = (key: string) => rows.find((r) => r.key === key)?.value;
  // becloudready runpod_gpu_prices.csv: "runpod,RTX 3090,,24.0,16,125,,0.46"
  assert.equal(at('RunPod|RTX 3090 (24 GB)|becloudready runpod 16 vCPU'), 0.46);
  // coreweave_prices.csv: "NVIDIA A100,8,80,...,21.6" is 8 GPUs: 2.70 per GPU-hour
  assert.equal(at('CoreWeave|NVIDIA A100 (80 GB)|becloudready coreweave 128 vCPU'), 2.7);
  assert.equal(at('Lambda|NVIDIA A100 PCIe (40 GB)|becloudready lambda 30 vCPU'), 1.29);
  assert.ok(
    rows.every((r) => r.value > 0 && r.unit === 'USD/GPU-hour' && /becloudready\/gpu-price/.test(r.source)),
  );
  // lambda's six rows without a product or price are skipped; 3 + 8 + 3 + 22 + 18 priced rows
  assert.equal(rows.length, 54);
  assert.throws(
    () => parseRentalScrape('/x/rental.csv', 'a,b\n1,2\n'),
    /rental\.csv: expected a name becloudready_<provider>_/,
  );
});

function withDir(files: Record<string, string>, f: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-prices-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const manifest = (entry: Record<string, unknown>) => JSON.stringify({ files: [entry] });
const entry = {
  file: 'x.csv',
  coin: 'RVN',
  dateColumn: 'day',
  valueColumn: 'usd',
  source: 'hand-made test file',
};

test('price manifest: rows come from the listed columns, days before `from` and non-positive prices skipped', () => {
  const csv = 'day,usd\n2024-01-01,0.02\n2024-01-02,0\n2024-01-03,0.03\n2024-01-04,0.04\n';
  withDir({ 'prices.json': manifest({ ...entry, from: '2024-01-03' }), 'x.csv': csv }, (dir) => {
    const rows = readPriceFiles(dir);
    assert.deepEqual(
      rows.map((r) => [r.series, r.key, r.date, r.value, r.source]),
      [
        ['coin.priceUsd', 'RVN', '2024-01-03', 0.03, 'hand-made test file'],
        ['coin.priceUsd', 'RVN', '2024-01-04', 0.04, 'hand-made test file'],
      ],
    );
  });
});

test('price manifest: a coin outside the registry is refused, naming the field', () => {
  withDir({ 'prices.json': manifest({ ...entry, coin: 'ETC' }), 'x.csv': 'day,usd\n' }, (dir) => {
    assert.throws(() => readPriceFiles(dir), /files\[0\]\.coin/);
  });
});

test('price manifest: a missing column names the file and the columns it has', () => {
  withDir({ 'prices.json': manifest(entry), 'x.csv': 'date,close\n2024-01-01,1\n' }, (dir) => {
    assert.throws(() => readPriceFiles(dir), /column "day" missing \(have: date, close\)/);
  });
});
