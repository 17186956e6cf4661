import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdviceService, type AdviceRequest } from './service.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { DEFAULT_SOURCES } from '../config/sources.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { loadSolver, type Highs } from '../solve/highs.ts';
import { loadReference } from '../store/reference.ts';

// The small farm (8 cells) keeps the full view's warnings search to a few seconds.
const FLEET = join(SHIPPED_DATA_DIR, 'fleets/small-farm.json');
let highs: Highs;
let dataDir: string;
let reportsDir: string;
const services: AdviceService[] = [];

before(async () => {
  highs = await loadSolver();
  dataDir = mkdtempSync(join(tmpdir(), 'rigpivot-service-data-'));
  reportsDir = mkdtempSync(join(tmpdir(), 'rigpivot-service-rep-'));
});
after(() => {
  for (const s of services) s.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(reportsDir, { recursive: true, force: true });
});

function service(nowIso = '2026-11-25T12:00:00Z', now = () => new Date(nowIso)): AdviceService {
  const s = new AdviceService({
    dataDir,
    reference: loadReference(),
    reportsDir,
    config: DEFAULT_CONFIG,
    sources: DEFAULT_SOURCES,
    highs,
    fleetFile: FLEET,
    now,
    refreshMs: 0,
  });
  services.push(s);
  return s;
}

/** Files of the warnings search's cache: one per search that ran (engine/fragility.ts). */
const searches = () => {
  const dir = join(dataDir, 'cache', 'fragility');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).length : 0;
};

type Body = Record<string, any>;
const ask = (s: AdviceService, req: AdviceRequest) => s.advice(req).value() as Body;

test('the summary view does not run the warnings search and says so; the full view runs it', () => {
  const s = service();
  const req = { whatIf: { electricityUsdPerKwh: 0.061 } };
  const before = searches();
  const sum = ask(s, req);
  assert.equal(searches(), before, 'the summary ran the warnings search');
  assert.deepEqual(Object.keys(sum), ['moves', 'warnings', 'warningsCheck', 'meta', 'allocation']);
  // not computed is null, never an empty list that would read as "nothing to check"
  assert.equal(sum.warnings, null);
  assert.equal(sum.allocation.warnings, null);
  assert.equal(sum.warningsCheck.status, 'not-run');
  assert.match(sum.warningsCheck.note, /^NOT CHECKED: .*view=full/);
  assert.ok(Array.isArray(sum.warningsCheck.decisionWarnings));
  assert.equal(sum.advice, undefined);
  const full = ask(s, { ...req, view: 'full' });
  assert.equal(searches(), before + 1, 'the full view did not run (and cache) the warnings search');
  assert.ok(Array.isArray(full.warnings));
  assert.equal(full.warningsCheck.status, 'searched');
  assert.ok(full.advice.fragility.inputs.length > 0, 'the search looked at the uncertain inputs');
  // the summary of the same request, asked again, now carries the search's answer (a new key)
  const again = ask(s, req);
  assert.deepEqual(again.warnings, full.warnings);
  assert.equal(again.warningsCheck.status, 'searched');
});

test('summary and full views agree on the allocation, the moves and the plan', () => {
  const s = service();
  const req = { whatIf: { coinPriceUsd: { RVN: 0.02 } } };
  const sum = ask(s, req);
  const full = ask(s, { ...req, view: 'full' });
  assert.deepEqual(sum.moves, full.moves);
  assert.deepEqual(sum.allocation.headline, full.advice.headline);
  assert.equal(sum.allocation.cells.length, full.advice.models.length);
  sum.allocation.cells.forEach((c: Body, i: number) => {
    const m = full.advice.models[i];
    assert.deepEqual(
      [c.site, c.model, c.cmpPatched, c.recommended],
      [m.site, m.model, m.cmpPatched, m.recommended],
    );
  });
  // the summary's plan rows are the full rows without the per-path timings
  const { rows: fullRows, ...fullPlan } = full.advice.plan;
  const { rows: sumRows, ...sumPlan } = sum.allocation.plan;
  assert.deepEqual(sumPlan, fullPlan);
  assert.deepEqual(
    sumRows,
    fullRows.map(({ paybackDays: _p, sellDate: _s, pathValueUsdPerCard: _v, ...r }: Body) => r),
  );
  assert.deepEqual(sum.allocation.difficultyBreakEvens, full.advice.difficultyBreakEvens);
  assert.deepEqual(
    sum.allocation.counterfactual.differenceUsdPerDay,
    full.advice.counterfactual.differenceUsdPerDay,
  );
  assert.deepEqual(sum.meta.whatIf, full.meta.whatIf);
});

test('a summary finds the warnings a full view left in the data folder, without searching', () => {
  const req = { whatIf: { aiUtilisation: 0.55 } };
  const full = ask(service(), { ...req, view: 'full' });
  const n = searches();
  const sum = ask(service(), req); // a new service: nothing in memory, only the data folder's cache
  assert.equal(searches(), n);
  assert.equal(sum.warningsCheck.status, 'searched');
  assert.deepEqual(sum.warnings, full.warnings);
  assert.deepEqual(sum.allocation.warnings, full.warnings);
});

test('a price what-if asked again later the same day finds the warnings its full view searched', () => {
  const req = { whatIf: { coinPriceUsd: { RVN: 0.0123 } } };
  const full = ask(service('2026-11-25T12:00:00Z'), { ...req, view: 'full' });
  const n = searches();
  const sum = ask(service('2026-11-25T12:05:00Z'), req); // five minutes on: the what-if dated the same day
  assert.equal(searches(), n);
  assert.equal(sum.warningsCheck.status, 'searched');
  assert.deepEqual(sum.warnings, full.warnings);
});

test('a worker built from workerOptions decides for the fleet the server read, not an edited file', () => {
  const file = join(dataDir, 'fleet.json');
  copyFileSync(FLEET, file);
  const server = new AdviceService({
    ...service().workerOptions(),
    fleet: undefined,
    fleetFile: file,
    highs,
  });
  services.push(server);
  copyFileSync(join(SHIPPED_DATA_DIR, 'fleets/hive-like.json'), file); // edited after the server started
  const worker = new AdviceService({ ...server.workerOptions(), highs }); // as api/worker.ts builds one
  services.push(worker);
  assert.equal(worker.fleet.name, server.fleet.name);
  assert.deepEqual(worker.fleet, server.fleet);
});

test('answers made before midnight go stale at midnight, with no new snapshot file', () => {
  let now = new Date('2026-11-25T23:59:00Z');
  const s = new AdviceService({ ...service().workerOptions(), highs, now: () => now });
  services.push(s);
  let stale = 0;
  s.onStale(() => stale++);
  const before = s.advice({});
  assert.equal((before.value() as Body).meta.decisionDate, '2026-11-25');
  const staleBefore = stale;
  now = new Date('2026-11-26T00:01:00Z');
  const after = s.advice({});
  assert.notEqual(after.key, before.key);
  assert.equal(stale, staleBefore + 1, 'the cached answers and the pool workers were told');
  assert.equal((after.value() as Body).meta.decisionDate, '2026-11-26');
});

test('with the pool, a summary asked after its full view takes a new key and finds the warnings', () => {
  const req = { whatIf: { aiUtilisation: 0.6 } };
  const server = service(); // the API thread: only makes keys, the workers compute
  const summaryKey = server.advice(req).key;
  server.advice({ ...req, view: 'full' }); // the key for the pool; a worker computes the value:
  ask(service(), { ...req, view: 'full' });
  const again = server.advice(req);
  assert.notEqual(again.key, summaryKey, 'the summary cached before the full view would be served');
  const sum = ask(service(), req); // another worker computes the summary
  assert.equal(sum.warningsCheck.status, 'searched');
});

test('advice keys: equal requests in any key order match; another what-if or fleet does not', () => {
  const s = service();
  const a = { whatIf: { aiUtilisation: 0.5, electricityUsdPerKwh: 0.07 } };
  const b = { whatIf: { electricityUsdPerKwh: 0.07, aiUtilisation: 0.5 } };
  assert.equal(s.advice(a).key, s.advice(b).key);
  assert.equal(s.adviceIn(a, 'USD').key, s.adviceIn(b, 'USD').key);
  assert.notEqual(s.advice(a).key, s.advice({ whatIf: { aiUtilisation: 0.51 } }).key);
  assert.notEqual(s.advice({}).key, s.advice({ fleet: { name: 'other', sites: [] } }).key);
});

test('asked again, a view is not recomputed; a summary after its full view is derived from it', () => {
  // a clock a second on at each reading: an answer computed anew carries a later computedAt
  let ms = Date.parse('2026-11-25T12:00:00Z');
  const s = service(undefined, () => new Date((ms += 1000)));
  const req = { whatIf: { electricityUsdPerKwh: 0.063 } };
  const full = ask(s, { ...req, view: 'full' });
  assert.equal(ask(s, { ...req, view: 'full' }).meta.computedAt, full.meta.computedAt, 'full recomputed');
  assert.equal(ask(s, req).meta.computedAt, full.meta.computedAt, 'summary not derived from the full one');
  const other = { whatIf: { electricityUsdPerKwh: 0.064 } };
  const sum = ask(s, other);
  assert.equal(ask(s, other).meta.computedAt, sum.meta.computedAt, 'summary recomputed');
});
