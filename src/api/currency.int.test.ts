import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from './test-harness.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';

/**
 * The advice answers in a display currency: every USD field stays, `display` adds the headline converted at
 * the rate with its label; `currencies` lists those with a rate. The embedded snapshot has no FX rate, so
 * without a user-given one a requested currency is a 400 naming the field and saying how to get a rate.
 */
const EUR = { perUsd: 0.86, asOf: '2026-11-20', source: 'test bank statement' };
let plain: Harness;
let withRate: Harness;

before(async () => {
  plain = await startHarness();
  withRate = await startHarness({ config: { ...DEFAULT_CONFIG, displayCurrency: 'EUR', fx: { EUR } } });
});
after(async () => {
  await plain.close();
  await withRate.close();
});

const json = async (r: Response) => (await r.json()) as Record<string, any>;

test('a user-given rate: display figures are the USD ones times the rate, labelled user-given', async () => {
  const r = await withRate.get('/api/v1/allocation?view=full&currency=eur');
  assert.equal(r.status, 200);
  const b = await json(r);
  const h = b.advice.headline;
  assert.equal(typeof h.netUsdPerDay, 'number'); // the USD fields stay
  const d = b.display;
  assert.deepEqual(
    [d.code, d.perUsd, d.asOf, d.source, d.kind],
    ['EUR', 0.86, EUR.asOf, EUR.source, 'user-given'],
  );
  assert.match(d.note, /^EUR at 0\.86 per USD, user-given: test bank statement, as of 2026-11-20/);
  assert.equal(d.figures.netEurPerDay, h.netUsdPerDay * 0.86);
  assert.equal(d.figures.netEurPerDevicePerDay, h.netUsdPerDevicePerDay * 0.86);
  assert.equal(d.figures.gainAfterSwitchingEurPerDay, b.moves.gain.afterSwitchingUsdPerDay * 0.86);
  assert.equal(d.figures.planNetEur, b.advice.plan.netUsd * 0.86);
  assert.deepEqual(
    b.currencies.offered.map((c: { code: string }) => c.code),
    ['EUR'],
  );
  assert.equal(b.currencies.configured, 'EUR');
  assert.equal(b.currencies.note, null);
});

test('the configured displayCurrency is the default; currency=USD leaves display out', async () => {
  const dflt = await json(await withRate.get('/api/v1/allocation'));
  assert.equal(dflt.display.code, 'EUR');
  assert.equal(dflt.display.figures.netEurPerDay, dflt.allocation.headline.netUsdPerDay * 0.86);
  const usd = await json(await withRate.get('/api/v1/allocation?currency=USD'));
  assert.equal(usd.display, undefined);
  assert.deepEqual(usd.allocation.headline, dflt.allocation.headline);
});

test('the what-if POST takes the currency in its body', async () => {
  const r = await withRate.post('/api/v1/allocation?view=full', {
    overrides: { electricityUsdPerKwh: 0.2 },
    currency: 'EUR',
  });
  const b = await json(r);
  assert.equal(r.status, 200, JSON.stringify(b).slice(0, 400));
  assert.ok(b.meta.whatIf.length > 0);
  assert.equal(b.display.figures.netEurPerDay, b.advice.headline.netUsdPerDay * 0.86);
});

test('no rate: a 400 naming the field that says how to get one; nothing made up', async () => {
  for (const r of [
    await plain.get('/api/v1/allocation?currency=EUR'),
    await plain.post('/api/v1/allocation', { currency: 'EUR' }),
  ]) {
    const b = await json(r);
    assert.equal(r.status, 400);
    assert.equal(b.error.details.path, 'currency');
    assert.match(b.error.message, /no EUR per USD rate/);
    assert.match(b.error.message, /collect --live/);
    assert.match(b.error.message, /"fx": \{"EUR"/);
  }
  const bad = await plain.get('/api/v1/allocation?currency=EURO');
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(await json(bad)), /currency.*3-letter/);
  // without a request currency the answer stays USD and says why no other can be shown
  const b = await json(await plain.get('/api/v1/allocation'));
  assert.equal(b.display, undefined);
  assert.deepEqual(b.currencies.offered, []);
  assert.match(b.currencies.note, /No exchange rate in snapshot .* none is made up/);
});

test('the OpenAPI document lists currency on GET and in the what-if body', async () => {
  const doc = await json(await plain.get('/api/openapi.json'));
  const alloc = doc.paths['/api/v1/allocation'];
  const param = alloc.get.parameters.find((p: { name: string }) => p.name === 'currency');
  assert.equal(param.in, 'query');
  assert.match(param.description, /collect --live/);
  assert.ok(doc.components.schemas.AllocationRequest.properties.currency);
});

test('a rate collected into the snapshot: display says its method, as-of and kind', async () => {
  const snap = JSON.parse(readFileSync(join(SHIPPED_DATA_DIR, 'snapshots/2026-11-25.json'), 'utf8'));
  // a test figure in a temporary snapshot, not a rate anyone observed
  snap.fx = {
    GBP: {
      value: 0.5,
      unit: 'GBP/USD',
      asOf: '2026-11-25T05:39:40.000Z',
      kind: 'derived',
      source: 'coingecko: https://example.test/simple/price',
      method: 'CoinGecko simple/price: bitcoin in the currency / bitcoin in USD',
    },
  };
  mkdirSync(join(plain.dataDir, 'snapshots'), { recursive: true });
  writeFileSync(join(plain.dataDir, 'snapshots/2026-11-25.json'), JSON.stringify(snap));
  try {
    const b = await json(await plain.get('/api/v1/allocation?currency=GBP'));
    const d = b.display;
    assert.deepEqual(
      [d.code, d.perUsd, d.asOf, d.kind, d.source],
      ['GBP', 0.5, '2026-11-25T05:39:40.000Z', 'derived', snap.fx.GBP.method],
    );
    assert.equal(d.figures.netGbpPerDay, b.allocation.headline.netUsdPerDay * 0.5);
    assert.deepEqual(
      b.currencies.offered.map((c: { code: string }) => c.code),
      ['GBP'],
    );
    assert.equal(b.currencies.note, null);
  } finally {
    rmSync(join(plain.dataDir, 'snapshots'), { recursive: true });
  }
});
