import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { HttpClient, sameHost, type HttpOptions } from './http.ts';
import { startTestServer, json, type Handler, type TestServer } from './test-server.ts';
import { readFixture } from './fixtures.ts';
import { coingecko } from './coingecko/index.ts';
import { azure } from './azure/index.ts';
import { aws } from './aws/index.ts';
import type { FetchContext } from './types.ts';
import { loadSourcesConfig, type SourcesConfig } from '../config/sources.ts';
import { loadReference } from '../store/reference.ts';
import { SourceHttpError, SourceSchemaError } from '../errors.ts';
import { Store } from '../store/db.ts';
import { collect } from '../engine/collect.ts';
import { options, clock } from '../engine/test-collect.ts';

/**
 * Hostile upstreams on 127.0.0.1: a body that trickles past the deadline, a body over the size cap, a
 * redirect to another host (another port), an Azure NextPageLink to another host. Each fails with an error
 * naming the source and the URL; a collection keeps the last good data of the source that failed.
 */
const skus = loadReference().cloudSkus;
const KEY = 'cg-demo-key-must-stay-home';

function client(over: Partial<HttpOptions> = {}): HttpClient {
  return new HttpClient({
    timeoutMs: 2_000,
    retries: 3,
    baseDelayMs: 1,
    maxDelayMs: 20,
    spacingMs: 0,
    spacingByHostMs: {},
    cacheTtlS: 0,
    ...over,
  });
}

function fetchContext(http: HttpClient, config: Partial<SourcesConfig>): FetchContext {
  return { http, config: loadSourcesConfig({}, config), date: '2026-11-25', skus };
}

/**
 * Headers, then `head`, then one byte every 100 ms for `forMs` (then the rest, so a client without a deadline
 * would succeed).
 */
function trickle(head: string, forMs: number, tail = '"}'): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(head);
    const started = Date.now();
    const t: NodeJS.Timeout = setInterval(() => {
      if (res.destroyed) return clearInterval(t);
      if (Date.now() - started < forMs) return void res.write('x');
      clearInterval(t);
      res.end(tail);
    }, 100);
  };
}

/** `bytes` of a JSON string body, written in 64 KB chunks without a Content-Length. */
function flood(bytes: number, prefix = '{"padding":"'): Handler {
  return (_req, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(prefix);
    const chunk = 'x'.repeat(65_536);
    let sent = 0;
    const more = () => {
      while (sent < bytes && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      if (!res.destroyed) res.end('"}');
    };
    more();
  };
}

async function elapsed<T>(p: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const t = Date.now();
  try {
    await p;
    return { ms: Date.now() - t, error: null };
  } catch (e) {
    return { ms: Date.now() - t, error: e };
  }
}

type Routes = (path: string, hit: number) => Handler | undefined;
type Route = (other: TestServer) => Routes;

/** Server a (routes may point at b) and server b, another host: same address, another port. */
async function withServers(
  fn: (a: TestServer, b: TestServer) => Promise<void>,
  route: Route,
  other?: Routes,
) {
  const b = await startTestServer(other ?? (() => json(200, { other: true })));
  const a = await startTestServer(route(b));
  try {
    await fn(a, b);
  } finally {
    await a.close();
    await b.close();
  }
}

test('trickle: a body dribbling 1 byte per 100 ms fails at the overall deadline, not retried', async () => {
  await withServers(
    async (a) => {
      const http = client({ deadlineMs: 800 });
      const r = await elapsed(http.getJson(`${a.url}/slow`, { source: 'trickler' }));
      assert.ok(r.error instanceof SourceHttpError, `expected a SourceHttpError, got ${String(r.error)}`);
      assert.match(
        r.error.message,
        new RegExp(
          '^trickler: did not finish within its 800 ms deadline \\(RIGPIVOT_HTTP_DEADLINE_S\\)' +
            '.*\\(http://127\\.0\\.0\\.1:\\d+/slow\\)$',
        ),
      );
      assert.ok(r.ms >= 750 && r.ms < 1_600, `failed after ${r.ms} ms`);
      assert.equal(a.hits.get('/slow'), 1, 'the deadline covers the retries: no second attempt');
    },
    () => (p) => (p === '/slow' ? trickle('{"a":"', 4_000) : undefined),
  );
});

test(
  'trickle: the streamed AWS offer file fails at the stream ' + 'deadline, a stalled one at the idle timeout',
  async () => {
    await withServers(
      async (a) => {
        const cases = [
          {
            over: { streamDeadlineMs: 900 },
            why: /download did not finish within its 900 ms deadline \(RIGPIVOT_HTTP_STREAM_DEADLINE_S\)/,
          },
          { over: { timeoutMs: 400 }, why: /download stalled: no byte for 400 ms/ },
        ];
        for (const { over, why } of cases) {
          const http = client(over);
          const r = await elapsed(aws.fetch(fetchContext(http, { awsPricingBaseUrl: `${a.url}/aws` })));
          assert.ok(r.error instanceof SourceHttpError, String(r.error));
          assert.match(r.error.message, /^aws: .* \(http:.*\/us-east-1\/index\.json\)$/);
          assert.match(r.error.message, why);
          assert.ok(r.ms < 2_500, `failed after ${r.ms} ms`);
        }
      },
      () => (p, hit) => {
        if (p === '/aws/offers/v1.0/aws/index.json')
          return json(200, readFixture('aws', 'offer-index.2019.json'));
        if (p.endsWith('/region_index.json')) return json(200, readFixture('aws', 'region-index.2019.json'));
        if (!p.endsWith('/us-east-1/index.json')) return undefined;
        if (hit === 1) return trickle('{"formatVersion":"', 5_000);
        return (_q, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"formatVersion":"'); // then silence
        };
      },
    );
  },
);

test(
  'flood: a JSON body over the cap is refused (chunked, or ' +
    'gzip-compressed to a few kB), one under it is not',
  async () => {
    await withServers(
      async (a) => {
        const http = client({ maxBytes: 1_000_000 });
        for (const path of ['/flood', '/bomb']) {
          await assert.rejects(
            http.getJson(`${a.url}${path}`, { source: 'flooder' }),
            (e: unknown) =>
              e instanceof SourceHttpError &&
              !e.retryable &&
              /^flooder: answered a body larger than the 1 MB cap \(RIGPIVOT_HTTP_MAX_MB\): refused \(http:.*\//.test(
                e.message,
              ) &&
              e.message.endsWith(`${path})`),
          );
          assert.equal(a.hits.get(path), 1, `${path} is not retried`);
        }
        const ok = await http.getJson<{ padding: string }>(`${a.url}/fits`, { source: 'flooder' });
        assert.equal(ok.data.padding.length, 65_536 * 14);
      },
      () => (p) => {
        if (p === '/flood') return flood(3_000_000);
        if (p === '/fits') return flood(900_000);
        if (p !== '/bomb') return undefined;
        const body = gzipSync(`{"padding":"${'0'.repeat(20_000_000)}"}`);
        return (_q, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          res.end(body);
        };
      },
    );
  },
);

test(
  'flood: a streamed offer file over the stream cap is refused, by ' + 'its Content-Length or as it arrives',
  async () => {
    await withServers(
      async (a) => {
        for (const how of ['chunked', 'content-length']) {
          const http = client({ streamMaxBytes: 1_000_000 });
          await assert.rejects(
            aws.fetch(fetchContext(http, { awsPricingBaseUrl: `${a.url}/aws` })),
            (e: unknown) =>
              e instanceof SourceHttpError &&
              new RegExp(
                '^aws: answered a body larger than the 1 MB cap \\(RIGPIVOT_HTTP_STREAM_MAX_MB\\): ' +
                  'refused \\(http:.*/index\\.json\\)$',
              ).test(e.message),
            how,
          );
        }
      },
      () => (p) => {
        if (p === '/aws/offers/v1.0/aws/index.json')
          return json(200, readFixture('aws', 'offer-index.2019.json'));
        if (p.endsWith('/region_index.json')) return json(200, readFixture('aws', 'region-index.2019.json'));
        if (p.endsWith('/us-east-1/index.json')) return flood(3_000_000, '{"formatVersion":"');
        if (!p.endsWith('/us-west-2/index.json')) return undefined;
        return (_q, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '3000000' });
          res.write('{"formatVersion":"');
        };
      },
    );
  },
);

test(
  'redirects: to another host (another port) refused, the CoinGecko ' +
    'key never sent there; same host followed',
  async () => {
    const seen: (string | undefined)[] = [];
    await withServers(
      async (a, b) => {
        const http = client();
        const away = fetchContext(http, { coingeckoBaseUrl: `${a.url}/away`, coingeckoApiKey: KEY });
        await assert.rejects(
          coingecko.fetch(away),
          (e: unknown) =>
            e instanceof SourceHttpError &&
            !e.retryable &&
            e.message.startsWith(`coingecko: redirected to another host (${b.url}/api/v3/simple/price?`) &&
            e.message.includes(`only on ${new URL(a.url).host}`) &&
            e.message.includes(`(${a.url}/away/simple/price?`),
        );
        assert.equal(b.hits.size, 0, 'the other host was never called');
        assert.deepEqual(seen, [], 'so the key header never reached it');
        const home = fetchContext(http, { coingeckoBaseUrl: `${a.url}/home`, coingeckoApiKey: KEY });
        const raws = await coingecko.fetch(home);
        assert.equal(raws.length, 1);
        assert.equal(a.hits.get([...a.hits.keys()].find((k) => k.startsWith('/moved/'))!), 1);
        assert.deepEqual(seen, [KEY], 'the key went with the same-host redirect');
        const loop = await elapsed(http.getJson(`${a.url}/loop`, { source: 'looper' }));
        assert.match(String(loop.error), /looper: more than 5 redirects \(http:.*\/loop\)/);
      },
      (b) => (p) => {
        const q = p.slice(p.indexOf('?'));
        if (p.startsWith('/away/')) return json(302, {}, { Location: `${b.url}/api/v3/simple/price${q}` });
        if (p.startsWith('/home/')) return json(301, {}, { Location: `/moved/simple/price${q}` });
        if (p === '/loop') return json(307, {}, { Location: '/loop' });
        if (!p.startsWith('/moved/')) return undefined;
        return (req, res) => {
          seen.push(req.headers['x-cg-demo-api-key'] as string | undefined);
          json(200, readFixture('coingecko', 'simple-price.handmade.json'))(req, res, '');
        };
      },
      () => (req, res) => {
        seen.push(req.headers['x-cg-demo-api-key'] as string | undefined);
        res.end('{}');
      },
    );
    const https = 'https://api.coingecko.com/api/v3/x';
    assert.equal(sameHost(https, new URL('http://api.coingecko.com/y')), false, 'no downgrade to http');
    assert.equal(sameHost(https, new URL('https://api.coingecko.com.evil.test/y')), false);
    assert.equal(sameHost(https, new URL('https://api.coingecko.com/y')), true);
  },
);

test('Azure: a NextPageLink to another host is refused; the other host is never called', async () => {
  await withServers(
    async (a, b) => {
      const r = await elapsed(azure.fetch(fetchContext(client(), { azureBaseUrl: `${a.url}/azure` })));
      assert.ok(r.error instanceof SourceSchemaError, String(r.error));
      assert.match(
        r.error.message,
        new RegExp(
          '^azure: page 1 for eastus: NextPageLink points to another host ' +
            `\\(${b.url}/azure/api/retail/prices\\?.*\\), ` +
            `not 127\\.0\\.0\\.1:${new URL(a.url).port}: refused \\(GET ${a.url}/azure\\?`,
        ),
      );
      assert.equal(b.hits.size, 0);
      assert.equal(
        [...a.hits.values()].reduce((s, n) => s + n, 0),
        1,
        'only the first page was read',
      );
    },
    (b) => (p) =>
      p.startsWith('/azure')
        ? json(200, readFixture('azure', 'page-1.handmade.json').replaceAll('{{BASE}}', `${b.url}/azure`))
        : undefined,
  );
});

test(
  'collect: sources that trickle or redirect away fail with their ' +
    'reason; the day keeps their last good data',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigpivot-hostile-'));
    const store = new Store(dir);
    let hostile = false;
    try {
      await withServers(
        async (a) => {
          const sources = loadSourcesConfig(
            {},
            {
              coingeckoBaseUrl: `${a.url}/gecko`,
              ergoExplorerUrl: `${a.url}/explorer`,
              whattomineBaseUrl: `${a.url}/wtm`,
              coingeckoApiKey: KEY,
            },
          );
          const only = ['coingecko', 'ergo', 'whattomine'];
          const day1 = { date: '2026-11-24', now: clock('2026-11-24T07:00:00Z'), live: true, only, sources };
          const first = await collect(options(dir, store, day1));
          assert.ok(
            first.results.every((x) => x.status === 'ok'),
            JSON.stringify(first.results),
          );
          hostile = true;
          const http = client({ deadlineMs: 800 });
          const r = await collect(options(dir, store, { live: true, only, sources, http }));
          const by = Object.fromEntries(r.results.map((x) => [x.source, x]));
          assert.equal(by.coingecko!.status, 'error');
          assert.match(by.coingecko!.message!, /^coingecko: redirected to another host/);
          assert.equal(by.ergo!.status, 'error');
          assert.match(by.ergo!.message!, /^ergo: did not finish within its 800 ms deadline/);
          const latest = store.latestObservations('2026-11-25');
          assert.equal(by.whattomine!.status, 'ok');
          for (const source of ['coingecko', 'ergo'])
            assert.equal(latest.find((o) => o.source === source)?.date, '2026-11-24', `${source} falls back`);
          assert.match(r.snapshot.coins.RVN.priceUsd.source, /coingecko/);
          assert.equal(store.runs(1)[0]!.status, 'partial');
        },
        (b) => (p) => {
          if (hostile && p.startsWith('/gecko/')) return json(302, {}, { Location: `${b.url}${p}` });
          if (hostile && p.startsWith('/explorer/')) return trickle('{"items":[{"id":"', 5_000);
          if (p.startsWith('/gecko/simple/price'))
            return json(200, readFixture('coingecko', 'simple-price.handmade.json'));
          if (p.startsWith('/explorer/'))
            return json(200, readFixture('ergo', 'explorer-blocks.handmade.json'));
          const coin = /^\/wtm\/coins\/(\d+)\.json$/.exec(p)?.[1];
          if (coin) return json(200, readFixture('whattomine', `coin-${coin}.handmade.json`));
          return undefined;
        },
      );
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
