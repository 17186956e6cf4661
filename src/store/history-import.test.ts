import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPriceFiles } from './history-import.ts';

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
