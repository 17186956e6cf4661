import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from './db.ts';
import { addDays } from '../lib/time.ts';
import {
  DIFFICULTY_SERIES,
  EXCLUDED_DIFFICULTY_SERIES,
  networkDifficultyRows,
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
