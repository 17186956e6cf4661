import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openContext } from './context.ts';
import { fleetIncomeTables, incomeTable } from './tables.ts';
import { parseFleet } from '../config/fleet.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';

const ctx = openContext({ dataDir: SHIPPED_DATA_DIR });
const fleet = parseFleet(
  {
    name: 'two sites',
    sites: [
      { id: 'cheap', name: 'Cheap', powerCapKw: 10, tariffUsdPerKwh: 0.03, pue: 1.1 },
      { id: 'dear', name: 'Dear', powerCapKw: 10, tariffUsdPerKwh: 0.2, pue: 1.3 },
    ],
    gpus: [
      { site: 'cheap', model: 'rtx-3080', count: 4 },
      { site: 'dear', model: 'cmp-170hx', count: 3, cmpPatched: true },
      { site: 'dear', model: 'rtx-3080', count: 2 },
    ],
  },
  ctx.reference.models,
);

test("income for a fleet: its own models at each of its sites, priced at that site's tariff", () => {
  const t = fleetIncomeTables(ctx, fleet);
  assert.deepEqual(
    t.map((s) => [s.site.id, s.models.map((m) => `${m.modelId}x${m.count}`)]),
    [
      ['cheap', ['rtx-3080x4']],
      ['dear', ['cmp-170hxx3', 'rtx-3080x2']],
    ],
  );
  const at = (site: string) =>
    t.find((s) => s.site.id === site)!.models.find((m) => m.modelId === 'rtx-3080')!;
  assert.equal(
    at('cheap').uses.RVN.netUsdPerDay,
    incomeTable(ctx, fleet.sites[0]!).find((r) => r.modelId === 'rtx-3080')!.uses.RVN.netUsdPerDay,
  );
  assert.ok(at('dear').uses.RVN.powerCostUsdPerDay > at('cheap').uses.RVN.powerCostUsdPerDay);
  const cmp = t[1]!.models[0]!;
  assert.equal(cmp.cmpPatched, true);
  assert.equal(cmp.uses.AI.eligible, true, 'a patched CMP can rent for AI');
  assert.deepEqual(
    fleetIncomeTables(ctx, fleet, { siteId: 'cheap' }).map((s) => s.site.id),
    ['cheap'],
  );
});
