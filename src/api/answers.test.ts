import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { AnswerCache, encode, GZIP_OVER_BYTES } from './answers.ts';

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
  assert.equal(again.etag, first.etag);
  assert.equal(calls, 1);
  assert.equal(c.bytes(a('k2')).hit, false, 'full: computed');
  assert.equal(c.bytes(a('k2')).hit, false, 'full: not stored');
  assert.deepEqual(c.stats(), { keys: 1, hits: 1, misses: 3 });
  c.flush();
  assert.equal(c.bytes(a('k1')).hit, false);
  assert.equal(calls, 4);
  c.close();
});
