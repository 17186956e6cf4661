import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from './collect.ts';
import { displayCurrency } from './currency.ts';
import { Store } from '../store/db.ts';
import { loadSourcesConfig } from '../config/sources.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { loadSnapshotFile } from '../store/snapshots.ts';
import { startTestServer, json } from '../sources/test-server.ts';
import { readFixture } from '../sources/fixtures.ts';
import { options } from './test-collect.ts';

test('collect --live on 127.0.0.1: the FX rates arrive with the coin prices and land in the snapshot', async () => {
  const asked: string[] = [];
  const s = await startTestServer((path) => {
    if (!path.startsWith('/gecko/simple/price')) return undefined;
    asked.push(path);
    return json(200, readFixture('coingecko', 'simple-price-fx.handmade.json'));
  });
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-fx-collect-'));
  const store = new Store(dir);
  try {
    const sources = loadSourcesConfig({}, { coingeckoBaseUrl: `${s.url}/gecko` });
    const r = await collect(options(dir, store, { live: true, only: ['coingecko'], sources }));
    assert.equal(r.results.find((x) => x.source === 'coingecko')!.status, 'ok');
    assert.match(asked[0]!, /vs_currencies=usd,eur,gbp,pln,/);
    const written = loadSnapshotFile(r.snapshotFile);
    const eur = written.fx!.EUR!;
    assert.equal(eur.value, 75360 / 87300);
    assert.equal(eur.kind, 'derived');
    assert.equal(eur.asOf, '2026-11-25T05:39:40.000Z');
    assert.match(eur.source, /^coingecko: http:\/\/127\.0\.0\.1:\d+\/gecko\/simple\/price/);
    assert.equal(written.fx!.CHF, undefined, 'a currency the answer lacks gets no rate');
    const dc = displayCurrency(written, DEFAULT_CONFIG, 'EUR');
    assert.match(dc.note, /^EUR at 0\.86323 per USD, CoinGecko simple\/price: bitcoin in the currency/);
  } finally {
    store.close();
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
