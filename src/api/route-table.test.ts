import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './test-harness.ts';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { allowed, fastGets, openApiPath } from './route-table.ts';
import { ROUTES } from './routes.ts';

let h: Harness;
before(async () => {
  h = await startHarness({ fleet: 'fleets/small-farm.json' });
});
after(() => h.close());

/** A concrete URL for a table path: each `:param` one segment, each `*wildcard` two. */
const concrete = (path: string) => `/api/v1${path.replace(/:\w+/g, 'x').replace(/\*\w+/g, 'x/y')}`;

test('express paths become OpenAPI paths: :name and *name both become {name}', () => {
  assert.equal(openApiPath('/gpus/:model/income'), '/gpus/{model}/income');
  assert.equal(openApiPath('/reports/:date/*file'), '/reports/{date}/{file}');
  assert.equal(openApiPath('/health'), '/health');
});

test('the OpenAPI document has exactly one operation per route and method of the table', async () => {
  const d = (await (await h.get('/api/openapi.json')).json()) as { paths: Record<string, object> };
  const want = Object.fromEntries(
    ROUTES.map((r) => [`/api/v1${openApiPath(r.path)}`, allowed(r).map((m) => m.toLowerCase())]),
  );
  const got = Object.fromEntries(Object.entries(d.paths).map(([p, ops]) => [p, Object.keys(ops)]));
  assert.deepEqual(got, want);
});

test('every route answers another method with 405 and an Allow header listing its own', async () => {
  for (const route of ROUTES)
    for (const method of ['PUT', 'DELETE', 'PATCH', ...(route.post ? [] : ['POST'])]) {
      const r = await fetch(h.url + concrete(route.path), { method });
      assert.equal(r.status, 405, `${method} ${route.path}`);
      assert.equal(r.headers.get('allow'), allowed(route).join(', '), `${method} ${route.path}`);
      const b = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(b.error.code, 'METHOD_NOT_ALLOWED');
      assert.equal(b.error.message, `${route.path} accepts ${allowed(route).join(', ')}`);
    }
  assert.deepEqual(allowed(ROUTES.find((r) => r.path === '/allocation')!), ['GET', 'POST']);
});

test('HEAD still reaches a GET route (the 405s are registered after every handler)', async () => {
  const r = await fetch(`${h.url}/api/v1/gpus`, { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
});

test('fastGets: the exact GET/HEAD path runs its chain in order; anything else goes on to the router', () => {
  const seen: string[] = [];
  const guard: RequestHandler = (_q, _s, next) => void (seen.push('guard'), next());
  const handle: RequestHandler = () => void seen.push('handle');
  const mw = fastGets('/api/v1', new Map([['/allocation', [guard, handle]]]));
  const run = (method: string, url: string) => {
    const nexts: unknown[] = [];
    seen.length = 0;
    mw({ method, url } as Request, {} as Response, ((e?: unknown) => nexts.push(e)) as NextFunction);
    return { seen: [...seen], nexts };
  };
  assert.deepEqual(run('GET', '/api/v1/allocation'), { seen: ['guard', 'handle'], nexts: [] });
  assert.deepEqual(run('HEAD', '/api/v1/allocation?currency=EUR'), { seen: ['guard', 'handle'], nexts: [] });
  for (const [method, url] of [
    ['POST', '/api/v1/allocation'],
    ['GET', '/api/v1/allocation/'],
    ['GET', '/api/v1/Allocation'],
    ['GET', '/api/v1/allocationx'],
    ['GET', '/allocation'],
  ])
    assert.deepEqual(run(method!, url!), { seen: [], nexts: [undefined] }, `${method} ${url}`);
});

test('fastGets: a guard that answers stops the chain; errors, thrown or rejected, reach next', async () => {
  const boom = new Error('boom');
  const cases: [string, RequestHandler[], unknown][] = [
    ['guard answers', [() => undefined, () => assert.fail('ran past the guard')], null],
    ['guard fails', [(_q, _s, next) => next(boom), () => assert.fail('ran past the guard')], boom],
    [
      'handler throws',
      [
        (_q, _s, next) => next(),
        () => {
          throw boom;
        },
      ],
      boom,
    ],
    ['handler rejects', [(_q, _s, next) => next(), () => Promise.reject(boom)], boom],
  ];
  for (const [name, chain, want] of cases) {
    const nexts: unknown[] = [];
    fastGets('', new Map([['/x', chain]]))(
      { method: 'GET', url: '/x' } as Request,
      {} as Response,
      ((e?: unknown) => nexts.push(e)) as NextFunction,
    );
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(nexts, want === null ? [] : [want], name);
  }
});

test('the fast path and the router give the same answer: every spelling, GET and HEAD', async () => {
  const get = async (path: string, method = 'GET') => {
    const r = await fetch(h.url + path, { method, headers: { 'accept-encoding': 'identity' } });
    return { status: r.status, etag: r.headers.get('etag'), body: await r.text() };
  };
  const fast = await get('/api/v1/allocation');
  assert.equal(fast.status, 200);
  for (const spelling of ['/api/v1/Allocation', '/api/v1/allocation/', '/API/v1/allocation'])
    assert.deepEqual(await get(spelling), fast, spelling);
  const head = await get('/api/v1/allocation', 'HEAD');
  assert.deepEqual([head.status, head.etag, head.body], [200, fast.etag, '']);
  const bad = await get('/api/v1/allocation?charts=maybe');
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body).error.message, /query\.charts/);
});
