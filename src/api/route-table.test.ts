import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './test-harness.ts';
import { allowed, openApiPath } from './route-table.ts';
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
