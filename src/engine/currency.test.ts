import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayCurrency } from './currency.ts';
import { assembleSnapshot, embeddedObservations } from './assemble.ts';
import { DEFAULT_CONFIG, type Config } from '../config/schema.ts';
import { loadConfig } from '../config/load.ts';
import { loadSnapshot } from '../store/snapshots.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { snapshotSchema } from '../domain/schemas.ts';
import { coingecko } from '../sources/coingecko/index.ts';
import { fixture } from '../sources/fixtures.ts';
import { loadSourcesConfig } from '../config/sources.ts';
import { loadReference } from '../store/reference.ts';
import type { StoredObservation } from '../store/db.ts';
import type { Quantity } from '../domain/types.ts';

const shipped = loadSnapshot(undefined, SHIPPED_DATA_DIR); // the embedded offline snapshot
const eur = (value: number, asOf: string): Quantity => ({
  value,
  unit: 'EUR per USD',
  asOf,
  kind: 'derived',
  source: 'coingecko: https://example.test/simple/price',
  method: 'CoinGecko simple/price: bitcoin in the currency / bitcoin in USD, at the same update time',
});
const withFx = (fx: Record<string, Quantity>) => ({ ...shipped, fx });
const userFx = (perUsd: number, asOf: string): Config => ({
  ...DEFAULT_CONFIG,
  fx: { EUR: { perUsd, asOf, source: 'ECB reference rate read by hand' } },
});

test('USD needs no rate; the embedded snapshot has no FX rate and none is made up', () => {
  assert.equal(displayCurrency(shipped, DEFAULT_CONFIG).perUsd, 1);
  assert.equal(shipped.fx, undefined);
  assert.throws(
    () => displayCurrency(shipped, DEFAULT_CONFIG, 'eur'),
    (e: Error) =>
      /--currency: no EUR per USD rate/.test(e.message) &&
      /embedded offline snapshots carry no exchange rate/.test(e.message) &&
      /rigpivot collect --live/.test(e.message) &&
      /"fx": \{"EUR": \{"perUsd"/.test(e.message) &&
      /user-given/.test(e.message),
  );
  assert.throws(() => displayCurrency(shipped, DEFAULT_CONFIG, 'HUF'), /HUF is not among the collected/);
  assert.throws(() => displayCurrency(shipped, DEFAULT_CONFIG, 'euro'), /--currency: expected a 3-letter/);
  const cfg = { ...DEFAULT_CONFIG, displayCurrency: 'GBP' };
  assert.throws(() => displayCurrency(shipped, cfg), /config displayCurrency: no GBP per USD rate/);
});

test('a collected rate converts and is shown with its method and as-of', () => {
  const dc = displayCurrency(withFx({ EUR: eur(0.8632, '2026-11-25T06:33:00.000Z') }), DEFAULT_CONFIG, 'EUR');
  assert.equal(dc.perUsd, 0.8632);
  assert.equal(dc.kind, 'derived');
  assert.match(dc.note, /^EUR at 0\.8632 per USD, CoinGecko simple\/price: bitcoin in the currency/);
  assert.match(dc.note, /as of 2026-11-25T06:33:00\.000Z$/);
  assert.doesNotMatch(dc.note, /user-given/);
});

test('a user-given rate is labelled user-given; the newer of the two rates wins, a tie goes to the collected', () => {
  const only = displayCurrency(shipped, userFx(0.9, '2026-11-20'), 'EUR');
  assert.deepEqual([only.perUsd, only.kind], [0.9, 'user-given']);
  assert.match(
    only.note,
    /EUR at 0\.9 per USD, user-given: ECB reference rate read by hand, as of 2026-11-20/,
  );
  const snap = withFx({ EUR: eur(0.8632, '2026-11-25T06:33:00.000Z') });
  assert.equal(displayCurrency(snap, userFx(0.9, '2026-11-20'), 'EUR').perUsd, 0.8632);
  assert.equal(displayCurrency(snap, userFx(0.9, '2026-11-25'), 'EUR').perUsd, 0.8632);
  const older = withFx({ EUR: eur(0.8632, '2026-11-20T06:33:00.000Z') });
  assert.equal(displayCurrency(older, userFx(0.9, '2026-11-24'), 'EUR').kind, 'user-given');
  // a rate dated after the snapshot is refused: a replay must not see the future
  assert.throws(
    () => displayCurrency(snap, userFx(0.9, '2026-11-26'), 'EUR'),
    /config fx\.EUR\.asOf: 2026-11-26 is after the snapshot's date 2026-11-25/,
  );
});

test('an old rate says how old it is on the snapshot date', () => {
  const dc = displayCurrency(withFx({ EUR: eur(0.8632, '2026-10-01T00:00:00Z') }), DEFAULT_CONFIG, 'EUR');
  assert.match(dc.note, /; 55 days old on 2026-11-25$/);
});

test('config fx is checked: a rate must be positive and dated, named by field', () => {
  const file = (fx: unknown) => ['RIGPIVOT_CONFIG_JSON', JSON.stringify({ fx })] as const;
  const load = (fx: unknown) => loadConfig({ env: Object.fromEntries([file(fx)]) });
  assert.equal(load({ EUR: { perUsd: 0.9, asOf: '2026-11-20', source: 'bank' } }).fx!.EUR!.perUsd, 0.9);
  assert.throws(() => load({ EUR: { perUsd: 0, asOf: '2026-11-20', source: 'bank' } }), /fx\.EUR\.perUsd/);
  assert.throws(() => load({ EUR: { perUsd: 0.9, asOf: 'yesterday', source: 'bank' } }), /fx\.EUR\.asOf/);
  assert.throws(() => load({ eur: { perUsd: 0.9, asOf: '2026-11-20', source: 'bank' } }), /fx/);
});

test('collected with the coin prices: CoinGecko bitcoin EUR / USD becomes the snapshot rate', () => {
  const ref = loadReference();
  const ctx = { config: loadSourcesConfig({}), skus: ref.cloudSkus, models: ref.models };
  const url = 'https://example.test/simple/price';
  const obs = coingecko.normalise([fixture('coingecko', 'simple-price-fx.handmade.json', url)], ctx);
  const fx = obs.filter((o) => o.series === 'fx.perUsd');
  assert.deepEqual(
    fx.map((o) => [o.key, Number(o.value.toFixed(6))]),
    [
      ['EUR', Number((75360 / 87300).toFixed(6))],
      ['GBP', Number((66000 / 87300).toFixed(6))],
      ['PLN', Number((318000 / 87300).toFixed(6))],
    ],
  );
  assert.equal(fx[0]!.kind, 'derived');
  assert.equal(fx[0]!.asOf, '2026-11-25T05:39:40.000Z'); // bitcoin's last_updated_at 1795585180
  const none = coingecko.normalise([fixture('coingecko', 'simple-price.handmade.json', url)], ctx);
  assert.equal(none.filter((o) => o.series === 'fx.perUsd').length, 0, 'no eur field, no rate');
  const stored = [...obs, ...embeddedObservations(shipped, 'embedded.json')].map((o): StoredObservation => ({
    ...o,
    date: '2026-11-25',
    unit: 'x',
  }));
  const { snapshot } = assembleSnapshot('2026-11-25', stored, DEFAULT_CONFIG, 0.05);
  assert.equal(snapshot.fx!.EUR!.value, fx[0]!.value);
  assert.equal(snapshot.fx!.EUR!.unit, 'EUR per USD');
  const parsed = snapshotSchema.safeParse(snapshot);
  assert.ok(parsed.success, `the snapshot file format accepts fx: ${parsed.error?.message}`);
  assert.equal(displayCurrency(snapshot, DEFAULT_CONFIG, 'PLN').perUsd, fx[2]!.value);
});
