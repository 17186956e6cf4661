import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from './collect.ts';
import { Store } from '../store/db.ts';
import { snapshotSchema } from '../domain/schemas.ts';
import { options, clock } from './test-collect.ts';

test(
  'offline collect: embedded baseline + shipped history; collecting the same day twice gives the ' +
    'same store and snapshot',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigpivot-collect-'));
    const store = new Store(dir);
    try {
      const a = await collect(options(dir, store));
      assert.equal(a.results[0]!.source, 'embedded');
      assert.ok(a.historyImported > 5000);
      const obsA = store.observationsFor('2026-11-25');
      const snapA = readFileSync(a.snapshotFile, 'utf8');
      const b = await collect(options(dir, store));
      assert.equal(b.historyImported, 0, 'history imported once');
      assert.deepEqual(store.observationsFor('2026-11-25'), obsA, 'idempotent');
      assert.equal(readFileSync(b.snapshotFile, 'utf8'), snapA);
      assert.ok(snapshotSchema.safeParse(JSON.parse(snapA)).success);
      assert.deepEqual(readdirSync(join(dir, 'snapshots')), ['2026-11-25.json'], 'no temporary files left');
      assert.ok(
        store.history('coin.priceUsd', 'RVN', '2024-12-20', '2024-12-20').length === 1,
        'the 48-day RVN gap is filled from CoinGecko',
      );
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('bad collect requests are refused clearly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-collect-'));
  const store = new Store(dir);
  try {
    await assert.rejects(collect(options(dir, store, { date: '2027-01-01' })), /2027-01-01 is in the future/);
    await assert.rejects(collect(options(dir, store, { only: ['azure'] })), /choosing sources needs --live/);
    await assert.rejects(
      collect(options(dir, store, { live: true, only: ['nope'] })),
      /unknown source "nope"/,
    );
    await assert.rejects(
      collect(options(dir, store, { date: '2020-01-01', now: clock('2026-11-25T00:00:00Z') })),
      /no embedded snapshot on or before 2020-01-01/,
    );
    assert.ok(!existsSync(join(dir, 'snapshots')));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
