import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { acceptedEncodings } from './http.ts';
import { addBrotli, AnswerCache, BROTLI_UP_TO_BYTES, encode, GZIP_OVER_BYTES } from './answers.ts';

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('base64url');

test('encode: JSON bytes with a strong ETag; gzip form only over 1 KB, with its own -gz ETag', () => {
  const small = encode({ a: 'x'.repeat(GZIP_OVER_BYTES - 8) });
  assert.equal(small.body.length, GZIP_OVER_BYTES);
  assert.equal(small.gzip, null);
  assert.equal(small.gzipEtag, null);
  assert.equal(small.etag, `"${sha1(small.body)}"`);
  const big = encode({ a: 'x'.repeat(GZIP_OVER_BYTES - 7) });
  assert.equal(big.body.length, GZIP_OVER_BYTES + 1);
  assert.deepEqual(gunzipSync(big.gzip!), big.body);
  assert.equal(big.gzipEtag, `"${sha1(big.body)}-gz"`);
  assert.deepEqual(JSON.parse(big.body.toString('utf8')), { a: 'x'.repeat(GZIP_OVER_BYTES - 7) });
});

test('AnswerCache: computes once per key until flushed; a full cache serves uncached', () => {
  const c = new AnswerCache({ ttlS: 60, maxKeys: 1 });
  let calls = 0;
  const a = (key: string) => ({ key, value: () => ({ n: ++calls }) });
  const first = c.bytes(a('k1'));
  assert.equal(first.hit, false);
  const again = c.bytes(a('k1'));
  assert.equal(again.hit, true);
  assert.equal(again.enc, first.enc, 'the cached entry itself');
  assert.equal(calls, 1);
  assert.equal(c.bytes(a('k2')).hit, false, 'full: computed');
  assert.equal(c.bytes(a('k2')).hit, false, 'full: not stored');
  assert.deepEqual(c.stats(), { keys: 1, hits: 1, misses: 3 });
  c.flush();
  assert.equal(c.bytes(a('k1')).hit, false);
  assert.equal(calls, 4);
  c.close();
});

test('addBrotli: the brotli form once, in place, with its own -br ETag; none for small or huge bodies', async () => {
  const value = { moves: Array.from({ length: 300 }, (_, i) => ({ site: `s${i % 7}`, usdPerDay: i / 3 })) };
  const e = encode(value);
  assert.equal(e.br, null);
  const p = addBrotli(e);
  assert.equal(addBrotli(e), p, 'one compression per entry');
  await p;
  assert.deepEqual(brotliDecompressSync(e.br!), e.body);
  assert.ok(e.br!.length < e.gzip!.length, `${e.br!.length} < ${e.gzip!.length}`);
  assert.equal(e.brEtag, `"${sha1(e.body)}-br"`);
  const small = encode({ a: 1 });
  await addBrotli(small);
  assert.equal(small.br, null);
  const huge = encode({ a: 'x'.repeat(BROTLI_UP_TO_BYTES) });
  await addBrotli(huge);
  assert.equal(huge.br, null, 'over the limit: gzip only');
});

test('acceptedEncodings: q=0 refuses a coding, * stands for the others, case and spaces ignored', () => {
  const cases: [string | undefined, { br: boolean; gzip: boolean }][] = [
    [undefined, { br: false, gzip: false }],
    ['', { br: false, gzip: false }],
    ['gzip', { br: false, gzip: true }],
    ['gzip, deflate, br, zstd', { br: true, gzip: true }],
    ['GZIP ; q=0.5, Br;q=0', { br: false, gzip: true }],
    ['gzip;q=0', { br: false, gzip: false }],
    ['*', { br: true, gzip: true }],
    ['*;q=0.1, gzip;q=0', { br: true, gzip: false }],
    ['identity', { br: false, gzip: false }],
    ['x-gzip', { br: false, gzip: true }],
  ];
  for (const [header, want] of cases) {
    assert.deepEqual({ ...acceptedEncodings(header) }, want, String(header));
    assert.deepEqual({ ...acceptedEncodings(header) }, want, `${header} (memo)`);
  }
});
