import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, collectOutcome, COLLECT_EXIT, type SourceResult } from './collect.ts';
import { loadSnapshot } from '../store/snapshots.ts';
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

test('offline collect a week later: every input keeps its own as-of, the data is as old as it was', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-collect-'));
  const store = new Store(dir);
  try {
    const r = await collect(options(dir, store, { date: '2026-12-02', now: clock('2026-12-02T07:00:00Z') }));
    assert.deepEqual([r.outcome, r.exitCode], ['ok', 0]);
    const written = JSON.parse(readFileSync(r.snapshotFile, 'utf8'));
    assert.equal(written.date, '2026-12-02');
    const embedded = loadSnapshot('2026-11-25');
    for (const c of ['RVN', 'ERG'] as const)
      for (const k of ['priceUsd', 'difficulty'] as const) {
        assert.equal(written.coins[c][k].asOf, embedded.coins[c][k].asOf, `${c} ${k}`);
        assert.equal(written.coins[c][k].kind, embedded.coins[c][k].kind, `${c} ${k}`);
      }
    // the newest dated figure in the embedded data: AWS's price file published 2026-09-24
    assert.equal(r.dataAsOf, '2026-09-24');
    const byKey = new Map(embedded.cloud.map((o) => [`${o.provider}/${o.sku}/${o.priceType}`, o.asOf]));
    for (const o of written.cloud) assert.equal(o.asOf, byKey.get(`${o.provider}/${o.sku}/${o.priceType}`));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('collect outcome: ok, partial (exit 3), or failed when no live source succeeded (exit 1)', () => {
  const r = (source: string, status: SourceResult['status']): SourceResult => ({
    source,
    status,
    records: status === 'ok' ? 1 : 0,
    durationMs: 1,
  });
  const embedded = r('embedded', 'ok');
  assert.equal(collectOutcome([embedded], false), 'ok');
  assert.equal(collectOutcome([embedded, r('azure', 'ok'), r('aws', 'skipped')], true), 'ok');
  assert.equal(collectOutcome([embedded, r('azure', 'ok'), r('aws', 'error')], true), 'partial');
  assert.equal(collectOutcome([embedded, r('azure', 'error'), r('aws', 'skipped')], true), 'failed');
  assert.equal(collectOutcome([embedded, r('aws', 'skipped')], true), 'failed', 'nothing configured');
  assert.deepEqual(COLLECT_EXIT, { ok: 0, partial: 3, failed: 1 });
});
