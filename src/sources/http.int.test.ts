import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, redactUrl, parseRetryAfter } from './http.ts';
import { startTestServer, json } from './test-server.ts';
import { SourceHttpError } from '../errors.ts';

const sleeps: number[] = [];
const fast = () =>
  new HttpClient({
    timeoutMs: 300,
    retries: 3,
    baseDelayMs: 10,
    maxDelayMs: 2_000,
    spacingMs: 0,
    cacheTtlS: 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });

test('retries a 500, then succeeds', async () => {
  const s = await startTestServer((p, n) =>
    p === '/x' ? (n === 1 ? json(500, { e: 1 }) : json(200, { ok: true })) : undefined,
  );
  try {
    const r = await fast().getJson<{ ok: boolean }>(`${s.url}/x`, { source: 't' });
    assert.deepEqual(r.data, { ok: true });
    assert.equal(s.hits.get('/x'), 2);
  } finally {
    await s.close();
  }
});

test('a 429 waits for Retry-After (seconds), then succeeds', async () => {
  sleeps.length = 0;
  const s = await startTestServer((p, n) =>
    n === 1 ? json(429, { e: 'slow down' }, { 'Retry-After': '1' }) : json(200, { ok: 1 }),
  );
  try {
    await fast().getJson(`${s.url}/y`, { source: 't' });
    assert.ok(sleeps.includes(1000), `slept ${sleeps}`);
  } finally {
    await s.close();
  }
});

test('a timeout is retried and then reported as retryable with the URL', async () => {
  const s = await startTestServer(() => () => {
    /* never answers */
  });
  try {
    await assert.rejects(
      fast().getJson(`${s.url}/slow`, { source: 'slowsrc' }),
      (e: unknown) =>
        e instanceof SourceHttpError &&
        e.retryable &&
        /slowsrc: timed out after 300 ms/.test(e.message) &&
        /\/slow/.test(e.message),
    );
    assert.equal(s.hits.get('/slow'), 4, '1 try + 3 retries');
  } finally {
    await s.close();
  }
});

test('a 404 or 403 is not retried; a non-JSON body is a clear error', async () => {
  const s = await startTestServer((p) =>
    p === '/forbidden' ? json(403, 'no') : p === '/html' ? json(200, '<html>') : undefined,
  );
  try {
    await assert.rejects(fast().getJson(`${s.url}/missing`, { source: 't' }), /HTTP 404/);
    assert.equal(s.hits.get('/missing'), 1);
    await assert.rejects(
      fast().getJson(`${s.url}/forbidden`, { source: 't' }),
      /HTTP 403 \(forbidden: some sources block fast or bot-like polling\)/,
    );
    await assert.rejects(fast().getJson(`${s.url}/html`, { source: 't' }), /not JSON/);
  } finally {
    await s.close();
  }
});

test(
  'cache: a second GET within the TTL does not hit the server; spacing waits between requests to a ' + 'host',
  async () => {
    const s = await startTestServer(() => json(200, { v: 1 }));
    try {
      const c = new HttpClient({ cacheTtlS: 60, spacingMs: 0 });
      await c.getJson(`${s.url}/c`, { source: 't' });
      const again = await c.getJson(`${s.url}/c`, { source: 't' });
      assert.equal(again.fromCache, true);
      assert.equal(s.hits.get('/c'), 1);
      const waits: number[] = [];
      let clock = 1_000;
      const spaced = new HttpClient({
        cacheTtlS: 0,
        spacingMs: 500,
        now: () => clock,
        sleep: async (ms) => {
          waits.push(ms);
          clock += ms;
        },
      });
      await spaced.getJson(`${s.url}/a`, { source: 't' });
      await spaced.getJson(`${s.url}/b`, { source: 't' });
      assert.deepEqual(waits, [500]);
    } finally {
      await s.close();
    }
  },
);

test('secrets never appear in reported URLs', () => {
  assert.equal(
    redactUrl('https://hashrate.no/api/v2/coins?coin=RVN&apiKey=abc123'),
    'https://hashrate.no/api/v2/coins?coin=RVN&apiKey=***',
  );
  assert.equal(redactUrl('http://user:s3cret@127.0.0.1:8766/'), 'http://***@127.0.0.1:8766/');
  // pre-signed URLs: the signature alone grants access
  assert.equal(
    redactUrl(
      'https://b.s3.amazonaws.com/o.json?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=ab12&X-Amz-Security-Token=t0&x=1',
    ),
    'https://b.s3.amazonaws.com/o.json?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***&x=1',
  );
  assert.equal(
    redactUrl('https://a.blob.core.windows.net/c/f?sv=2024&sig=Zm9v%3D&se=2026'),
    'https://a.blob.core.windows.net/c/f?sv=2024&sig=***&se=2026',
  );
  assert.equal(parseRetryAfter('2', 0), 2000);
  assert.equal(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', Date.parse('2026-11-25T10:00:00Z')), 5000);
  assert.equal(parseRetryAfter(undefined, 0), null);
});
