import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComputeQuota, DEFAULT_COST_LIMITS, checkRisk, checkWhatIf, whatIfCells } from './cost.ts';
import { HttpError } from './http.ts';

const limits = { ...DEFAULT_COST_LIMITS, whatIfMaxCells: 3, riskMaxCost: 1_000 };
const fails = (status: number, code: string, detail: RegExp) => (e: unknown) =>
  e instanceof HttpError && e.status === status && e.code === code && detail.test(e.message);

test('what-if cost: cells are the fleet gpus entries; over the limit is a 413 naming body.fleet.gpus', () => {
  assert.equal(whatIfCells(undefined), 0);
  assert.equal(whatIfCells({ gpus: 'x' }), 0);
  assert.equal(whatIfCells({ gpus: [{}, {}, {}] }), 3);
  assert.equal(whatIfCells({ gpus: [{}], sites: [{}, {}] }), 2); // sites without cards cost too
  checkWhatIf({ gpus: [{}, {}, {}] }, limits);
  assert.throws(
    () => checkWhatIf({ gpus: [{}, {}, {}, {}] }, limits),
    fails(
      413,
      'COST_LIMIT',
      /body\.fleet\.gpus \(or \.sites\) and body\.overrides\.addGpus have 4 entries; .* at most 3/,
    ),
  );
  // entries added by overrides.addGpus count too
  checkWhatIf({ gpus: [{}, {}] }, limits, 1);
  assert.throws(() => checkWhatIf({ gpus: [{}, {}] }, limits, 2), fails(413, 'COST_LIMIT', /have 4 entries/));
});

test('risk cost: models x paths x days over the budget is a 400 saying which paths would fit', () => {
  checkRisk(10, 10, 10, limits);
  assert.throws(
    () => checkRisk(10, 11, 10, limits),
    fails(400, 'COST_LIMIT', /= 1,100 path-days; at most 1,000 .* at horizon=10 use paths <= 10$/),
  );
});

test('compute quota: distinct keys per client per minute; repeats, other clients and a new minute pass', () => {
  let t = 0;
  const q = new ComputeQuota(2, () => t);
  q.take('a', 'k1');
  q.take('a', 'k2');
  q.take('a', 'k1'); // the same key again counts once
  q.take('b', 'k3'); // another client has its own budget
  t = 45_000;
  assert.throws(
    () => q.take('a', 'k3'),
    (e: unknown) =>
      e instanceof HttpError &&
      e.status === 429 &&
      e.code === 'COMPUTE_LIMIT' &&
      e.headers?.['Retry-After'] === '15',
  );
  t = 60_000;
  q.take('a', 'k3'); // a new window
  new ComputeQuota(0).take('a', 'anything'); // 0 = no limit
});
