import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './test-harness.ts';
import { configureLog, logger } from '../lib/log.ts';

/** The serve access log against the real app on 127.0.0.1: one JSON line per request, no secrets. */
test('access log: one JSON line per request with method, path, status, ms, bytes and request id', async () => {
  const lines: string[] = [];
  configureLog({ level: 'info', stream: { write: (s: string) => void lines.push(s) } });
  const key = 'k-very-secret-key';
  const h = await startHarness({ apiKey: key, accessLog: logger('access') });
  try {
    const health = await h.get('/api/v1/health?token=query-secret', { 'X-Request-Id': 'client-id-42' });
    const healthBody = Buffer.from(await health.arrayBuffer());
    assert.equal(health.headers.get('x-request-id'), 'client-id-42');
    const denied = await h.post('/api/v1/collect', {}, { 'X-API-Key': 'wrong-' + key });
    await denied.text();
    const missing = await h.get('/no/such/page', { 'X-Request-Id': 'bad id with spaces' });
    await missing.text();
    const gz = await fetch(`${h.url}/api/v1/market`, { headers: { 'Accept-Encoding': 'gzip' } });
    const gzBytes = Buffer.from(await gz.arrayBuffer()); // fetch decodes; the log counts what was sent
    await new Promise((r) => setTimeout(r, 50)); // 'finish' fires after the last byte is handed over
    const all = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const entries = all.filter((e) => e.component === 'access');
    assert.equal(entries.length, 4, lines.join(''));
    const loaded = all.find((e) => e.component === 'service' && e.msg === 'snapshot loaded');
    assert.match(String(loaded?.file), /2026-11-25\.json$/, 'the service logs the snapshot it loads');
    const [a, b, c, d] = entries;
    assert.equal(a!.component, 'access');
    assert.equal(a!.level, 'info');
    assert.match(String(a!.time), /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(
      { method: a!.method, path: a!.path, status: a!.status, id: a!.requestId, bytes: a!.bytes },
      { method: 'GET', path: '/api/v1/health', status: 200, id: 'client-id-42', bytes: healthBody.length },
    );
    assert.ok(typeof a!.ms === 'number' && a!.ms >= 0);
    assert.deepEqual([b!.method, b!.path, b!.status], ['POST', '/api/v1/collect', 401]);
    assert.deepEqual([c!.path, c!.status], ['/no/such/page', 404]);
    assert.match(String(c!.requestId), /^[0-9a-f-]{36}$/, 'a malformed client id is replaced');
    assert.equal(missing.headers.get('x-request-id'), c!.requestId);
    assert.equal(d!.status, 200);
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(d!.bytes, Number(gz.headers.get('content-length')));
    assert.ok((d!.bytes as number) < gzBytes.length, 'gzip bytes on the wire, not the decoded size');
    assert.doesNotMatch(lines.join(''), /query-secret|very-secret|token=/);
  } finally {
    await h.close();
    configureLog({ level: 'info', stream: { write: (s: string) => void process.stderr.write(s) } });
  }
});
