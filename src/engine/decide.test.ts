import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext } from './context.ts';
import { computeIncomeTable, decide, modelsWith } from './decide.ts';
import { parseFleet } from '../config/fleet.ts';
import { loadSolver } from '../solve/highs.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-decide-')) });

test('decide: sites on the same terms share incomes, each cell still names its own site', async () => {
  const site = (id: string, tariffUsdPerKwh: number) => ({
    id,
    name: id,
    powerCapKw: 1000,
    tariffUsdPerKwh,
    pue: 1.1,
  });
  const fleet = parseFleet(
    {
      name: 'shared terms',
      sites: [site('a', 0.05), site('b', 0.05), site('c', 0.12)],
      gpus: ['a', 'b', 'c'].flatMap((s) => [
        { site: s, model: 'rtx-3070', count: 10, current: { RVN: 5 } },
        { site: s, model: 'rtx-3090', count: 4, current: { ERG: 4 } },
      ]),
      aiDemand: { vram8: 0 },
    },
    ctx.reference.models,
  );
  const d = decide(ctx, fleet, await loadSolver());
  const models = modelsWith(ctx.reference);
  for (const c of d.cells) {
    assert.equal(c.income.siteId, c.site);
    const s = fleet.sites.find((x) => x.id === c.site)!;
    const own = computeIncomeTable(ctx, s, new Map([[c.model, models.get(c.model)!]]))[0]!;
    assert.deepEqual(c.income, own, `${c.site}/${c.model}: the income a lone computation gives`);
  }
  const [a, b, cc] = ['a', 'b', 'c'].map((s) => d.cells.find((c) => c.site === s && c.model === 'rtx-3070')!);
  assert.equal(a!.income.uses, b!.income.uses, 'same terms: one computation');
  assert.notEqual(a!.income.uses.RVN.netUsdPerDay, cc!.income.uses.RVN.netUsdPerDay);
});
