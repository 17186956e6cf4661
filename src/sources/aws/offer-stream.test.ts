import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { extractOffer, type OfferExtract } from './offer-stream.ts';
import { readFixture } from '../fixtures.ts';
import { loadReference } from '../../store/reference.ts';
import { SourceSchemaError } from '../../errors.ts';

const ALLOW: ReadonlySet<string> = new Set(loadReference().cloudSkus.get('aws')!.keys());

type Json = Record<string, unknown>;
type Dim = { unit?: string; pricePerUnit?: { USD?: string } };
type Term = { termAttributes?: Record<string, string>; priceDimensions?: Record<string, Dim> };

/** The straightforward reading: the whole file through JSON.parse, then plain loops over the objects. */
function extractByJsonParse(text: string, allow: ReadonlySet<string>): OfferExtract {
  const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
  const out: OfferExtract = {
    version: (doc.version as string | undefined) ?? null,
    publicationDate: (doc.publicationDate as string | undefined) ?? null,
    products: [],
    onDemandUsdPerHour: {},
    reservedUsdPerHour: {},
  };
  const products = doc.products as Record<string, { productFamily?: string; attributes?: Json }>;
  for (const [sku, p] of Object.entries(products)) {
    const a = (p.attributes ?? {}) as Record<string, string>;
    const canonical =
      a.operatingSystem === 'Linux' &&
      a.tenancy === 'Shared' &&
      a.preInstalledSw === 'NA' &&
      a.capacitystatus === 'Used' &&
      a.licenseModel === 'No License required';
    if (p.productFamily !== 'Compute Instance' || !allow.has(a.instanceType ?? '') || !canonical) continue;
    out.products.push({
      sku,
      instanceType: a.instanceType!,
      regionCode: a.regionCode ?? '',
      location: a.location ?? '',
    });
  }
  const kept = new Set(out.products.map((p) => p.sku));
  const terms = doc.terms as Record<string, Record<string, Record<string, Term>>>;
  const usd = (d: Dim) => Number(d.pricePerUnit?.USD);
  for (const [sku, byCode] of Object.entries(terms.OnDemand ?? {})) {
    if (!kept.has(sku)) continue;
    for (const term of Object.values(byCode)) {
      const hourly = Object.values(term.priceDimensions ?? {}).filter((d) => d.unit === 'Hrs');
      assert.equal(hourly.length, 1, `reference: ${sku} has one hourly OnDemand dimension`);
      if (usd(hourly[0]!) > 0) out.onDemandUsdPerHour[sku] = usd(hourly[0]!);
    }
  }
  for (const [sku, byCode] of Object.entries(terms.Reserved ?? {})) {
    if (!kept.has(sku)) continue;
    for (const term of Object.values(byCode)) {
      const a = term.termAttributes ?? {};
      const years = { '1yr': 1, '3yr': 3 }[a.LeaseContractLength ?? ''];
      if (a.OfferingClass !== 'standard' || years === undefined) continue;
      let usdPerHour = 0;
      for (const d of Object.values(term.priceDimensions ?? {}))
        usdPerHour += d.unit === 'Hrs' ? usd(d) : d.unit === 'Quantity' ? usd(d) / (years * 8_760) : 0;
      if (!(usdPerHour > 0)) continue;
      const slot = (out.reservedUsdPerHour[sku] ??= {});
      const k = years === 1 ? '1y' : '3y';
      slot[k] = Math.min(slot[k] ?? Infinity, usdPerHour);
    }
  }
  return out;
}

/**
 * The handmade/recorded offer, made harder: a deep top-level key before products, a third kept GPU SKU
 * with non-ASCII (raw and \u-escaped) text, literals and arrays in its kept terms, and a terms kind
 * other than OnDemand/Reserved holding a kept SKU (never read).
 */
function harderOffer(): Json {
  const doc = JSON.parse(readFixture('aws', 'offer-us-east-1.handmade.json')) as Json;
  const products = doc.products as Record<string, Json>;
  const terms = doc.terms as Record<string, Record<string, Record<string, Json>>>;
  const p4 = structuredClone(products.P4DLINUXSKU0001!) as { attributes: Json };
  p4.attributes.location = 'Asia Pacific (Tōkyō) 東京 "quoted" {braces} [x]';
  p4.attributes.regionCode = 'ap-northeast-1é';
  products.P4DTOKYOSKU0001 = { ...p4, sku: 'P4DTOKYOSKU0001' };
  const reserved = structuredClone(terms.Reserved!.G5LINUXSKU00001!) as Record<string, Json>;
  for (const term of Object.values(reserved))
    Object.assign(term.termAttributes as Json, { flag: true, none: null, n: 1.5e3, list: ['a', [], {}] });
  terms.Reserved!.P4DTOKYOSKU0001 = reserved;
  terms.OnDemand!.P4DTOKYOSKU0001 = structuredClone(terms.OnDemand!.P4DLINUXSKU0001!);
  terms.Spot = {
    P4DTOKYOSKU0001: { X: { priceDimensions: { d: { unit: 'Hrs', pricePerUnit: { USD: '9' } } } } },
  };
  return { extra: { a: [{ b: { c: { version: 'not the version' } } }] }, ...doc };
}

function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

const SIZES = [1, 7, 64, 4_096, 1e9];

test('the streamed extract equals a JSON.parse reading of the recorded offer, at any chunk size', async () => {
  const text = readFixture('aws', 'offer-us-east-1.handmade.json');
  const want = extractByJsonParse(text, ALLOW);
  assert.deepEqual(
    want.products.map((p) => p.sku),
    ['G5LINUXSKU00001', 'P4DLINUXSKU0001'],
    'the fixture keeps the two Linux GPU SKUs',
  );
  assert.ok(want.reservedUsdPerHour.G5LINUXSKU00001?.['1y'], 'and has reserved prices to compare');
  for (const size of SIZES)
    assert.deepEqual(await extractOffer(chunked(text, size), ALLOW), want, `${size} B`);
});

test('the streamed extract equals JSON.parse on a harder offer: BOM, non-ASCII, escapes, compact', async () => {
  const doc = harderOffer();
  const pretty = '\uFEFF' + JSON.stringify(doc, null, 2);
  const compact = JSON.stringify(doc).replace('é', '\\u00e9').replace('東', '\\u6771');
  assert.ok(compact.includes('\\u00e9') && compact.includes('\\u6771'), 'escapes are in the compact text');
  for (const [how, text] of Object.entries({ pretty, compact })) {
    const want = extractByJsonParse(text, ALLOW);
    assert.equal(want.products.length, 3, `${how}: three kept products`);
    assert.equal(want.version, '20260924165100');
    assert.equal(want.products[2]!.location, 'Asia Pacific (Tōkyō) 東京 "quoted" {braces} [x]');
    for (const size of SIZES)
      assert.deepEqual(await extractOffer(chunked(text, size), ALLOW), want, `${how}, ${size} B chunks`);
  }
});

test('a truncated or malformed offer file is a SourceSchemaError; a failing download keeps its error', async () => {
  const text = readFixture('aws', 'offer-us-east-1.handmade.json');
  await assert.rejects(
    extractOffer(chunked(text.slice(0, 5_000), 512), ALLOW),
    (e: unknown) => e instanceof SourceSchemaError && /^aws: offer file is not valid JSON/.test(e.message),
  );
  await assert.rejects(
    extractOffer(chunked(text.replace('"products" :', '"products" ::'), 512), ALLOW),
    (e: unknown) =>
      e instanceof SourceSchemaError &&
      /not valid JSON \(within its first \d+ bytes\): .*expected a value/.test(e.message),
  );
  const reset = new Error('socket hang up');
  const failing = new Readable({
    read() {
      this.push(Buffer.from(text.slice(0, 3_000)));
      this.destroy(reset);
    },
  });
  await assert.rejects(extractOffer(failing, ALLOW), (e: unknown) => e === reset);
});
