import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertUserError, runBin } from './run-bin.test-util.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'rigpivot-fleet-'));
after(() => rmSync(ROOT, { recursive: true, force: true }));

const run = (...args: string[]) => runBin(args, { RIGPIVOT_REPORTS_DIR: join(ROOT, 'reports') });

test('fleet init writes a starter that fleet check passes and advise accepts; init never overwrites', async () => {
  const file = join(ROOT, 'starter.json');
  const init = await run('fleet', 'init', '--out', file);
  assert.equal(init.code, 0, init.stderr);
  assert.match(JSON.parse(readFileSync(file, 'utf8')).description, /fleet check/);
  const check = await run('fleet', 'check', file);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /OK; "My fleet": 1 site\(s\), 60 GPUs of 3 model\(s\)/);
  const again = await run('fleet', 'init', '--out', file);
  assertUserError(again, /exists/);
  const advise = await run('advise', '--fleet', file, '--json');
  assert.equal(advise.code, 0, advise.stderr);
});

test('fleet check reports schema and cross-check problems in one run, exit 2', async () => {
  const file = join(ROOT, 'bad.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'bad',
      sites: [{ id: 'a', name: 'A', powerCapKw: 10, tariffUsdPerKwh: '0.1', pue: 1.1, colour: 'red' }],
      gpus: [{ site: 'b', model: 'rtx-3080', count: 4, current: { RVN: 5 } }],
    }),
  );
  const r = await run('fleet', 'check', file);
  assertUserError(r, /: 4 problems/);
  assert.match(r.stderr, /sites\[0\]\.tariffUsdPerKwh: expected a number, got text "0\.1"/);
  assert.match(r.stderr, /sites\[0\]: unknown field "colour"/);
  assert.match(r.stderr, /gpus\[0\]\.site: unknown site "b"/);
  assert.match(r.stderr, /gpus\[0\]\.current: 5 GPUs placed but count is 4/);
});

test('fleet schema prints a JSON Schema', async () => {
  const r = await run('fleet', 'schema');
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.ok(s.properties.customModels);
});
