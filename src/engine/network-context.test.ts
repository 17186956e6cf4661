import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext } from './context.ts';
import { decide } from './decide.ts';
import { parseFleet } from '../config/fleet.ts';
import { loadSolver } from '../solve/highs.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-netctx-')) });
/** 100 RTX 3070 of which 60 mine RVN today. */
const fleet = parseFleet(
  {
    name: 'network context test',
    sites: [{ id: 'shed', name: 'Shed', powerCapKw: 1000, tariffUsdPerKwh: 0.05, pue: 1.1 }],
    gpus: [{ site: 'shed', model: 'rtx-3070', count: 100, current: { RVN: 60 } }],
    aiDemand: { vram8: 0 },
  },
  ctx.reference.models,
);

test('live: N is the implied hashrate less the fleet miners; a replay: the whole implied hashrate', async () => {
  const highs = await loadSolver();
  const live = decide(ctx, fleet, highs).networks.find((n) => n.coin === 'RVN')!;
  const replay = decide({ ...ctx, networkIncludesFleet: false }, fleet, highs).networks.find(
    (n) => n.coin === 'RVN',
  )!;
  // 60 cards x the catalogue KawPow hashrate x config uptime, independent of the engine's network code
  const card = ctx.reference.models.get('rtx-3070')!.kawpow!.hashrateMhs;
  const fleetMhs = 60 * card * ctx.config.mining.uptime;
  assert.ok(Math.abs(live.fleetCurrentMhs - fleetMhs) < 1e-6, `${live.fleetCurrentMhs} vs ${fleetMhs}`);
  assert.ok(Math.abs(live.externalMhs - (live.impliedMhs - fleetMhs)) < 1e-6);
  assert.equal(replay.fleetCurrentMhs, 0);
  assert.ok(Math.abs(replay.externalMhs - replay.impliedMhs) < 1e-6);
  assert.equal(replay.impliedMhs, live.impliedMhs);
});
