import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext } from './context.ts';
import { decide } from './decide.ts';
import { composeReport } from './report-content.ts';
import { parseFleet } from '../config/fleet.ts';
import { buildDocument } from '../report/document.ts';
import { loadSolver } from '../solve/highs.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-demand-')) });
/** 10 RTX 3090 (24 GiB: class vram24) and 6 RTX 3070 (8 GiB: vram8) at one site with room for all. */
const fleetWith = (aiDemand: Record<string, number>) =>
  parseFleet(
    {
      name: 'demand test',
      sites: [{ id: 'shed', name: 'Shed', powerCapKw: 1000, tariffUsdPerKwh: 0.05, pue: 1.1 }],
      gpus: [
        // already in AI servers: these tests are about demand, not re-hosting capex
        { site: 'shed', model: 'rtx-3090', count: 10, aiReady: 10 },
        { site: 'shed', model: 'rtx-3070', count: 6, aiReady: 6 },
      ],
      aiDemand,
    },
    ctx.reference.models,
  );

test('a class with AI-capable cards and no aiDemand is stated as an assumption, not solved silently', async () => {
  const d = decide(ctx, fleetWith({ vram8: 2 }), await loadSolver());
  const r3090 = d.cells.find((c) => c.model === 'rtx-3090')!;
  assert.ok(r3090.income.uses.AI.netUsdPerDay > 0, 'AI pays for a 3090 on the embedded snapshot');
  // Unlimited demand puts all 10 of the fleet's 3090s on AI; the capped class (vram8: 2) gets no warning.
  assert.equal(d.warnings.length, 1);
  assert.match(d.warnings[0]!, /^ASSUMPTION: the fleet gives no AI demand for vram24 \(aiDemand\.vram24\)/);
  assert.match(d.warnings[0]!, /10 of its 10 AI-capable cards go to AI/);
  const row = d.solution.aiDemand.find((a) => a.aiClass === 'vram24')!;
  assert.deepEqual(row, { aiClass: 'vram24', capGpus: null, usedGpus: 10, shadowUsdPerGpuDay: 0 });
  assert.equal(d.solution.aiDemand.find((a) => a.aiClass === 'vram8')!.capGpus, 2);
  // The report says so first after the moves (the check-first section).
  const report = composeReport(ctx, d, fleetWith({ vram8: 2 }), [], '2026-11-25T12:00:00Z');
  assert.deepEqual(report.warnings, d.warnings);
  const sections = buildDocument(report, []).sections;
  assert.deepEqual(
    sections.slice(0, 2).map((s) => s.id),
    ['moves', 'check-first'],
  );
  assert.deepEqual(sections[1]!.blocks[0]!, { kind: 'p', text: d.warnings[0], tone: 'warn' });
});

test('a fleet that states demand for every class it can rent gets no warning', async () => {
  const d = decide(ctx, fleetWith({ vram8: 2, vram24: 3 }), await loadSolver());
  assert.deepEqual(d.warnings, []);
  assert.equal(d.solution.aiDemand.find((a) => a.aiClass === 'vram24')!.usedGpus, 3);
});
