import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshot, embeddedSnapshotFile } from './snapshots.ts';
import { DataError } from '../errors.ts';

/** Issue 16 item 2: snapshot values outside the input guards' bounds are refused on load, naming the field. */
const base = JSON.parse(readFileSync(embeddedSnapshotFile('2026-11-25')!, 'utf8')) as {
  coins: Record<string, Record<string, { value: number }>>;
  marketplace: { usdPerGpuHour: number }[];
};

function loadWith(edit: (s: typeof base) => void): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-snap-'));
  try {
    const s = structuredClone(base);
    edit(s);
    mkdirSync(join(dir, 'snapshots'));
    writeFileSync(join(dir, 'snapshots', '2026-11-25.json'), JSON.stringify(s));
    return loadSnapshot('2026-11-25', dir);
  } catch (e) {
    return e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('snapshot values: difficulty 0, height -1 or 1.5, price -1 or 1e9 are refused naming the field', () => {
  const cases: [(s: typeof base) => void, RegExp][] = [
    [(s) => (s.coins.RVN!.difficulty!.value = 0), /coins\.RVN\.difficulty\.value = 0 is not plausible/],
    [
      (s) => (s.coins.ERG!.height!.value = -1),
      /coins\.ERG\.height\.value = -1 is not plausible: expected a whole/,
    ],
    [(s) => (s.coins.ERG!.height!.value = 1.5), /coins\.ERG\.height\.value = 1\.5/],
    [(s) => (s.coins.RVN!.priceUsd!.value = -1), /coins\.RVN\.priceUsd\.value = -1 .*USD\/coin/],
    [(s) => (s.coins.RVN!.priceUsd!.value = 1e9), /coins\.RVN\.priceUsd\.value = 1000000000 is not/],
    [(s) => (s.marketplace[0]!.usdPerGpuHour = 1e6), /marketplace\[0\]\.usdPerGpuHour = 1000000/],
  ];
  for (const [edit, message] of cases) {
    const e = loadWith(edit);
    assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
    assert.equal(e.exitCode, 2);
    assert.match(e.message, message);
  }
  const ok = loadWith(() => {}) as { coins: object };
  assert.ok(ok.coins, 'the unchanged snapshot loads');
});
