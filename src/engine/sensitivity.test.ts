import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext, openFleet } from './context.ts';
import { computeSensitivity } from './sensitivity.ts';
import { decide } from './decide.ts';
import { applyWhatIf } from './whatif.ts';
import { tornadoChart } from '../report/charts.ts';
import { loadSolver } from '../solve/highs.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-sens-')) });
const fleet = openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/small-farm.json'));

test('tornado: base is the decision, bars sorted by swing, each end re-optimised', async () => {
  const highs = await loadSolver();
  const s = computeSensitivity(ctx, fleet, highs, { step: 0.2 });
  assert.equal(s.baseNetUsdPerDay, decide(ctx, fleet, highs).totals.netUsdPerDay);
  assert.deepEqual(
    s.bars.map((b) => b.swingUsdPerDay),
    [...s.bars.map((b) => b.swingUsdPerDay)].sort((a, b) => b - a),
  );
  const ai = s.bars.find((b) => b.input === 'AI rental price')!;
  assert.ok(
    ai.lowNetUsdPerDay < s.baseNetUsdPerDay && ai.highNetUsdPerDay > s.baseNetUsdPerDay,
    'dearer rent, more income',
  );
  const tariff = s.bars.find((b) => b.input === 'electricity tariff')!;
  assert.ok(tariff.lowNetUsdPerDay > tariff.highNetUsdPerDay, 'cheaper power, more income');
  const demand = s.bars.find((b) => b.input === 'AI demand')!;
  assert.ok(demand.highByUse.AI > demand.lowByUse.AI, 'more renters, more GPUs in AI');
  const util = s.bars.find((b) => b.input === 'AI utilisation')!;
  assert.deepEqual(
    [util.lowValue, util.highValue].map((v) => Math.round(v * 100) / 100),
    [0.48, 0.72],
  );
  // One input alone, checked against a direct what-if.
  const w = applyWhatIf(ctx.snapshot, ctx.config, fleet, { aiPriceFactor: 1.2 }, '2026-11-25T12:00:00Z');
  assert.equal(
    ai.highNetUsdPerDay,
    decide({ ...ctx, snapshot: w.snapshot, config: w.config }, w.fleet, highs).totals.netUsdPerDay,
  );
});

test('tornado: where ERG mining pays, the ERG price moves income and can flip the advice', async () => {
  const highs = await loadSolver();
  const rich = applyWhatIf(
    ctx.snapshot,
    ctx.config,
    fleet,
    { coinPriceUsd: { ERG: 3 } },
    '2026-11-25T12:00:00Z',
  );
  const s = computeSensitivity({ ...ctx, snapshot: rich.snapshot }, fleet, highs, { step: 0.3 });
  const erg = s.bars.find((b) => b.input === 'ERG price')!;
  assert.ok(s.baseByUse.ERG > 0, 'ERG at 3 USD: some cards mine it');
  assert.ok(erg.highNetUsdPerDay > s.baseNetUsdPerDay && erg.lowNetUsdPerDay < s.baseNetUsdPerDay);
  assert.ok(erg.swingUsdPerDay > 0 && s.bars.indexOf(erg) < s.bars.findIndex((b) => b.input === 'RVN price'));
  const spec = tornadoChart(s);
  assert.equal(spec.id, 'tornado');
  assert.equal((spec.config.data.labels as string[])[0], s.bars[0]!.label);
  assert.deepEqual(spec.config.data.datasets[1]!.data[0], [
    0,
    Math.round(s.bars[0]!.highNetUsdPerDay - s.baseNetUsdPerDay),
  ]);
});

test('tornado: a step outside (0, 1) is refused with the field named', async () => {
  const highs = await loadSolver();
  assert.throws(
    () => computeSensitivity(ctx, fleet, highs, { step: 1 }),
    /step: expected a fraction between 0 and 1/,
  );
  assert.throws(() => computeSensitivity(ctx, fleet, highs, { step: 0 }), /step/);
});
