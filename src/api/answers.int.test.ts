import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startHarness } from './test-harness.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';

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
    assert.equal(
      (await raw(h.url, 'GET', '/api/v1/allocation', { 'accept-encoding': 'br' })).body.length,
      plain.body.length,
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
