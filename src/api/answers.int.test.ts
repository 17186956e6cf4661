import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startHarness } from './test-harness.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('base64url');

/** A raw request (fetch would negotiate and decompress on its own). */
function raw(url: string, method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const u = new URL(url);
      const req = request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

test('answers over HTTP: gzip only when accepted, an ETag per form, 304, HEAD without a body', async () => {
  const h = await startHarness({ fleet: 'fleets/small-farm.json' });
  try {
    const plain = await raw(h.url, 'GET', '/api/v1/allocation');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers['vary'], 'Accept-Encoding');
    assert.equal(plain.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(Number(plain.headers['content-length']), plain.body.length);
    const etag = plain.headers['etag'] as string;
    assert.equal(etag, `"${sha1(plain.body)}"`);
    const gz = await raw(h.url, 'GET', '/api/v1/allocation', { 'accept-encoding': 'br, gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers['etag'], etag.replace(/"$/, '-gz"'));
    assert.deepEqual(gunzipSync(gz.body), plain.body);
    for (const refused of ['gzip;q=0', 'identity', 'deflate'])
      assert.deepEqual(
        (await raw(h.url, 'GET', '/api/v1/allocation', { 'accept-encoding': refused })).body,
        plain.body,
        refused,
      );
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*'])
      assert.equal(
        (await raw(h.url, 'GET', '/api/v1/allocation', { 'if-none-match': inm })).status,
        304,
        inm,
      );
    const wrongForm = await raw(h.url, 'GET', '/api/v1/allocation', {
      'if-none-match': gz.headers['etag'] as string,
    });
    assert.equal(wrongForm.status, 200, 'the gzip ETag does not match the identity form');
    const head = await raw(h.url, 'HEAD', '/api/v1/allocation', { 'accept-encoding': 'gzip' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['etag'], gz.headers['etag']);
    assert.equal(Number(head.headers['content-length']), gz.body.length);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['x-cache'], 'HIT');
  } finally {
    await h.close();
  }
});

test("the byte cache is flushed when the engine's snapshot changes, and on invalidate()", async () => {
  const h = await startHarness({ fleet: 'fleets/small-farm.json' });
  const keys = async () =>
    ((await (await h.get('/api/v1/health')).json()) as { cache: { keys: number } }).cache.keys;
  try {
    await h.get('/api/v1/allocation');
    await h.get('/api/v1/gpus');
    assert.equal(await keys(), 2);
    const snap = JSON.parse(readFileSync(join(SHIPPED_DATA_DIR, 'snapshots/2026-11-25.json'), 'utf8'));
    snap.notes.push('a newer file for the same day');
    mkdirSync(join(h.dataDir, 'snapshots'), { recursive: true });
    writeFileSync(join(h.dataDir, 'snapshots/2026-11-25.json'), JSON.stringify(snap));
    assert.equal(await keys(), 0, 'a new snapshot file flushed the bytes');
    await h.get('/api/v1/gpus');
    assert.equal(await keys(), 1);
    h.service.invalidate();
    assert.equal(await keys(), 0, 'invalidate() flushed the bytes');
  } finally {
    await h.close();
  }
});

/** GET `path` with Accept-Encoding `enc` until it comes back in that encoding (brotli is made off the loop). */
async function untilEncoded(url: string, path: string, enc: string) {
  for (let i = 0; i < 200; i++) {
    const r = await raw(url, 'GET', path, { 'accept-encoding': enc });
    if (r.headers['content-encoding'] === enc) return r;
    await new Promise((s) => setTimeout(s, 10));
  }
  throw new Error(`${path} never came back as ${enc}`);
}

const decode = (r: { headers: Record<string, unknown>; body: Buffer }) =>
  r.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(r.body)
    : r.headers['content-encoding'] === 'gzip'
      ? gunzipSync(r.body)
      : r.body;

test('a cached answer asked again in br gets its brotli form: the same bytes as computed, its own ETag', async () => {
  const EUR = { perUsd: 0.86, asOf: '2026-11-20', source: 'test bank statement' };
  const h = await startHarness({
    fleet: 'fleets/hive-like.json',
    config: { ...DEFAULT_CONFIG, fx: { EUR } },
  });
  try {
    const path = '/api/v1/allocation';
    const first = await raw(h.url, 'GET', path, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    assert.equal(first.headers['x-cache'], 'MISS');
    assert.equal(first.headers['content-encoding'], 'gzip', 'a miss is not held up by brotli');
    const computed = gunzipSync(first.body);
    const br = await untilEncoded(h.url, path, 'br');
    assert.equal(br.headers['x-cache'], 'HIT');
    assert.deepEqual(brotliDecompressSync(br.body), computed, 'byte-identical to the first computation');
    assert.equal(Number(br.headers['content-length']), br.body.length);
    assert.ok(br.body.length < first.body.length, `br ${br.body.length} < gzip ${first.body.length}`);
    assert.equal(br.headers['vary'], 'Accept-Encoding');
    const etag = br.headers['etag'] as string;
    assert.equal(etag, `"${sha1(computed)}-br"`);
    // every form carries the same JSON, in the smallest form the client accepts
    for (const [enc, want] of [
      ['gzip', 'gzip'],
      ['br', 'br'],
      ['br;q=0, gzip', 'gzip'],
      ['*', 'br'],
      ['', undefined],
    ] as const) {
      const r = await raw(h.url, 'GET', path, { 'accept-encoding': enc });
      assert.equal(r.headers['content-encoding'], want, enc);
      assert.deepEqual(decode(r), computed, enc);
    }
    assert.equal(
      (await raw(h.url, 'GET', path, { 'accept-encoding': 'br', 'if-none-match': etag })).status,
      304,
    );
    const gzTag = first.headers['etag'] as string;
    const other = await raw(h.url, 'GET', path, { 'accept-encoding': 'br', 'if-none-match': gzTag });
    assert.equal(other.status, 200, "the gzip form's ETag does not match the brotli form");
    const view = await raw(h.url, 'GET', `${path}?currency=EUR`, { 'accept-encoding': 'br' });
    assert.equal(view.status, 200);
    assert.notDeepEqual(decode(view), computed, 'a query variant is an answer of its own');
    assert.equal(JSON.parse(decode(view).toString('utf8')).display.code, 'EUR');
  } finally {
    await h.close();
  }
});

test('a new snapshot file: the next answer in every encoding is the new one, never a stale buffer', async () => {
  const h = await startHarness({ fleet: 'fleets/hive-like.json' });
  try {
    const path = '/api/v1/allocation';
    await raw(h.url, 'GET', path, { 'accept-encoding': 'br' });
    const oldBr = await untilEncoded(h.url, path, 'br');
    const oldGz = await raw(h.url, 'GET', path, { 'accept-encoding': 'gzip' });
    const snap = JSON.parse(readFileSync(join(SHIPPED_DATA_DIR, 'snapshots/2026-11-25.json'), 'utf8'));
    snap.coins.RVN.priceUsd.value *= 3;
    mkdirSync(join(h.dataDir, 'snapshots'), { recursive: true });
    writeFileSync(join(h.dataDir, 'snapshots/2026-11-25.json'), JSON.stringify(snap));
    const plain = await raw(h.url, 'GET', path);
    assert.equal(plain.headers['x-cache'], 'MISS');
    assert.notDeepEqual(
      plain.body,
      brotliDecompressSync(oldBr.body),
      'the tripled RVN price changes the answer',
    );
    for (const [enc, old] of [
      ['gzip', oldGz],
      ['br', oldBr],
    ] as const) {
      const r = await raw(h.url, 'GET', path, { 'accept-encoding': enc });
      assert.deepEqual(decode(r), plain.body, enc);
      assert.notEqual(r.headers['etag'], old.headers['etag'], enc);
      const stale = await raw(h.url, 'GET', path, {
        'accept-encoding': enc,
        'if-none-match': old.headers['etag'] as string,
      });
      assert.equal(stale.status, 200, `${enc}: the old ETag is not current`);
    }
    assert.deepEqual(decode(await untilEncoded(h.url, path, 'br')), plain.body);
  } finally {
    await h.close();
  }
});
