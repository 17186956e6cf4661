import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startHarness } from './test-harness.ts';
import { mulberry32 } from '../lib/random.ts';

const rng = mulberry32;

const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  1e308,
  -1e308,
  5e-324,
  2 ** 53 + 1,
  '',
  ' ',
  'NaN',
  'Infinity',
  '1e999',
  '0x10',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%2e%2e%2f',
  '\u0000',
  '\ud800',
  'é'.repeat(300),
  [],
  [1, 2],
  {},
  { __proto__: { polluted: true } },
  { constructor: { prototype: { x: 1 } } },
  'x'.repeat(5000),
];
const PATHS = [
  '/api/v1/allocation',
  '/api/v1/health',
  '/api/v1/market',
  '/api/v1/gpus',
  '/api/v1/gpus/rtx-3070/income',
  '/api/v1/history',
  '/api/v1/reports',
  '/api/v1/collect',
  '/api/openapi.json',
];
const TRAVERSALS = [
  '/api/v1/reports/..%2f..%2fpackage.json',
  '/api/v1/reports/2026-11-25/%2e%2e%2f%2e%2e%2fpackage.json',
  '/api/v1/reports/2026-11-25/..%252f..%252f',
  '/..%2f..%2fetc%2fpasswd',
  '/api/v1/gpus/..%2f..%2f/income',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/api/v1/reports/2026-11-25/charts/%00.png',
  '/api/v1/reports/%ff%fe',
  '/api/v1/gpus/%E0%A4%A/income',
  '/dashboard.js/..%2f..%2fapp.ts',
  '/api/v1/reports/2026-11-25/....//....//package.json',
  '/api/v1/reports/2026-13-45',
  '/api/v1/reports/9999-99-99/report.html',
  '/api/v1/gpus/' + 'a'.repeat(4000) + '/income',
];
const KEYS = [
  'overrides',
  'fleet',
  'coinPriceUsd',
  'electricityUsdPerKwh',
  'powerCapKw',
  'aiDemandGpus',
  'aiUtilisation',
  'aiPriceFactor',
  'config',
  'RVN',
  'ERG',
  'mining.poolFee',
  '__proto__',
  'constructor',
  'sites',
  'gpus',
];

/** Percent-encode; a lone surrogate becomes its (invalid) UTF-8 bytes, which is hostile input too. */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

function send(
  url: string,
  method: string,
  path: string,
  body: string | Buffer | null,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        headers: {
          ...headers,
          ...(body !== null ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

test('fuzz: 1,200 malformed or hostile requests get no 5xx and the server still answers', async () => {
  const h = await startHarness({ fleet: 'fleets/small-farm.json', bodyLimitBytes: 64 * 1024 });
  const r = rng(20261125);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const value = (depth: number): unknown => {
    const x = r();
    if (depth > 0 && x < 0.25)
      return Object.fromEntries(
        Array.from({ length: 1 + Math.floor(r() * 4) }, () => [pick(KEYS), value(depth - 1)]),
      );
    if (depth > 0 && x < 0.35) return Array.from({ length: Math.floor(r() * 4) }, () => value(depth - 1));
    if (x < 0.6) return pick(HOSTILE_VALUES);
    return (r() - 0.5) * 10 ** Math.floor(r() * 12);
  };
  const deep = (n: number): string => '{"overrides":'.repeat(n) + '1' + '}'.repeat(n);
  const statuses = new Map<number, number>();
  try {
    for (let i = 0; i < 1200; i++) {
      const kind = i % 8;
      let method = 'POST',
        path = '/api/v1/allocation',
        body: string | Buffer | null = null;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (kind === 0) body = JSON.stringify({ overrides: value(3) });
      else if (kind === 1) body = JSON.stringify(value(4));
      else if (kind === 2)
        body = pick([
          '{',
          '{"overrides":}',
          '[',
          'null',
          '"x"',
          '{"a":1,}',
          '\u0000\u0001',
          '{"overrides":{"electricityUsdPerKwh":1e999}}',
          deep(2000),
          '\xff\xfe{',
        ]);
      else if (kind === 3) body = Buffer.alloc(64 * 1024 + 1 + Math.floor(r() * 200_000), 0x7b);
      else if (kind === 4) {
        method = 'GET';
        path = pick(TRAVERSALS);
      } else if (kind === 5) {
        method = pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
        // drawn in this order (the seeded sequence): path, first key and value, second key and value
        const base = pick(PATHS);
        const key1 = pick(['charts', 'series', 'key', 'from', 'to', 'site', 'cmpPatched', 'x']);
        const value1 = enc(String(pick(HOSTILE_VALUES)));
        const key2 = pick(['charts', 'from', 'a[b]', 'a[]']);
        path = `${base}?${key1}=${value1}&${key2}=${enc(String(value(0)))}`;
        if (method === 'POST') body = '{}';
      } else if (kind === 6) {
        body = JSON.stringify({ overrides: value(2) });
        headers['content-type'] = pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=utf-16',
          'application/json; charset=latin1',
          'multipart/form-data; boundary=x',
        ]);
      } else {
        body = JSON.stringify({
          fleet: value(3),
          overrides: {
            coinPriceUsd: { RVN: value(0) },
            powerCapKw: { [String(pick(HOSTILE_VALUES))]: value(0) },
          },
        });
      }
      const status = await send(h.url, method, path, body, headers);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      assert.ok(
        status > 0 && status < 500,
        `request ${i} (${method} ${path.slice(0, 80)} ${String(body).slice(0, 120)}) -> ${status}\n` +
          `${h.logs.join('\n')}`,
      );
    }
    assert.equal(h.logs.length, 0, 'no internal error was logged');
    const health = await h.get('/api/v1/health');
    assert.equal(health.status, 200);
    const ok = await h.post('/api/v1/allocation', { overrides: { aiUtilisation: 0.5 } });
    assert.equal(ok.status, 200);
    assert.ok(
      (statuses.get(400) ?? 0) > 300,
      `mostly rejected as bad requests: ${JSON.stringify([...statuses])}`,
    );
  } finally {
    await h.close();
  }
});
