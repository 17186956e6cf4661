import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFleet, fleetProblems } from '../config/fleet.ts';
import { STARTER_FLEET } from '../config/fleet-starter.ts';
import { loadReference } from '../store/reference.ts';
import { openContext } from './context.ts';
import { decide } from './decide.ts';
import { loadSolver } from '../solve/highs.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const { models } = loadReference();

/** The ```json block right after `<!-- marker: ... -->` in the README. */
function readmeJson(marker: string): unknown {
  const at = README.indexOf(`<!-- ${marker}:`);
  assert.ok(at >= 0, `README has no ${marker} block`);
  const m = /```json\n([\s\S]*?)```/.exec(README.slice(at));
  assert.ok(m, `no json block after ${marker}`);
  return JSON.parse(m[1]!);
}

test("the README's fleet example (40 RTX 3080 + 12 CMP 170HX + 8 RTX 4090) parses and advises", async () => {
  const fleet = parseFleet(readmeJson('fleet-example'), models);
  const byModel = Object.fromEntries(fleet.entries.map((e) => [e.model, e.count]));
  assert.deepEqual(byModel, { 'rtx-3080': 40, 'cmp-170hx': 12, 'rtx-4090': 8 });
  assert.equal(fleet.sites[0]!.tariffUsdPerKwh, 0.11);
  const ctx = openContext({ dataDir: SHIPPED_DATA_DIR });
  const d = decide(ctx, fleet, await loadSolver());
  assert.equal(d.totals.devices, 60);
  const placed = d.cells.reduce((a, c) => a + Object.values(c.recommended).reduce((x, y) => x + y, 0), 0);
  assert.equal(placed, 60);
  assert.ok(Number.isFinite(d.totals.netUsdPerDay));
});

test("the README's site and customModels examples parse", () => {
  const sites = parseFleet(readmeJson('fleet-example-sites'), models);
  assert.equal(sites.sites[0]!.fixedUsdPerDay, 120);
  assert.deepEqual(sites.sites[0]!.takeOrPay, { kw: 20 });
  assert.equal(sites.entries[0]!.aiReady, 8);
  const custom = parseFleet(readmeJson('fleet-example-custom'), models);
  assert.equal(custom.customModels[0]!.id, 'my-rtx-3080-lhr');
});

test('the README documents every field of the fleet schema', () => {
  const fields = ['fixedUsdPerDay', 'takeOrPay', 'aiReady', 'aiDemand', 'customModels', 'cmpPatched'];
  for (const f of fields) assert.match(README, new RegExp(`\`(sites\\[\\]\\.|gpus\\[\\]\\.)?${f}\\??\``));
});

test('the starter file of `fleet init` passes the checker', () => {
  assert.deepEqual(fleetProblems(STARTER_FLEET, models), []);
});
