import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContext, openFleet } from '../engine/context.ts';
import { decide } from '../engine/decide.ts';
import { composeReport } from '../engine/report-content.ts';
import { loadSolver } from '../solve/highs.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { estimateMemoryFit } from '../model/mining.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { PATHS } from '../analysis/horizon.ts';
import { byPaidUse } from '../domain/uses.ts';
import { COINS } from '../domain/types.ts';
import {
  buildCharts,
  CHART_WIDTH,
  riskChart,
  tornadoChart,
  TORNADO_COLORS,
  wrapText,
  type ChartSpec,
} from './charts.ts';
import type { ReportData } from './types.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-charts-')) });
const fleet = openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/hive-like.json'));
let cached: ReportData | null = null;
async function report(): Promise<ReportData> {
  cached ??= composeReport(ctx, decide(ctx, fleet, await loadSolver()), fleet, [], '2026-11-25T12:00:00Z');
  return cached;
}

type Plugins = { subtitle?: { display: boolean; text: string[] }; title: { text: string[] } };
const plugins = (c: ChartSpec) => (c.config.options as { plugins: Plugins }).plugins;
const datasets = (c: ChartSpec) =>
  c.config.data.datasets as { label: string; data: unknown[]; backgroundColor?: string }[];

test('every report chart says its fleet and snapshot under the title, at both widths', async () => {
  const r = await report();
  for (const width of [CHART_WIDTH.desktop, CHART_WIDTH.phone])
    for (const c of buildCharts(r, width)) {
      const sub = plugins(c).subtitle;
      assert.ok(sub?.display, `${c.id}: no subtitle`);
      assert.match(
        sub.text.join(' '),
        new RegExp(`${r.fleet.replace(/[()]/g, '\\$&')} · snapshot ${r.snapshotId}`),
      );
      assert.equal(c.width, width);
      for (const line of plugins(c).title.text)
        assert.ok(line.length * 9.5 <= width, `${c.id}: "${line}" too wide`);
    }
});

test('value by path: one bar per path per cell, the per-path valuation of the plan', async () => {
  const r = await report();
  const c = buildCharts(r).find((x) => x.id === 'path-value')!;
  assert.ok(c, 'the keep / move / sell plan gets its chart');
  assert.equal(datasets(c).length, PATHS.length);
  const rows = r.plan!.rows;
  assert.equal(c.config.data.labels!.length, rows.length);
  const i = rows.findIndex((x) => x.model === 'rtx-3090' && x.site === 'ny-west');
  PATHS.forEach((p, k) => {
    const v = rows[i]!.pathValueUsdPerCard![p];
    assert.equal(datasets(c)[k]!.data[i], v === null ? null : Math.round(v), p);
  });
  const sell = PATHS.indexOf('sell');
  assert.ok(
    datasets(c)[sell]!.data.some((v) => typeof v === 'number' && v > 0),
    'cards that can be sold have a bar',
  );
});

test('VRAM chart: usable VRAM of each fleet card size by the per-model table rule', async () => {
  const r = await report();
  const c = buildCharts(r).find((x) => x.id === 'memory')!;
  const sizes = [...new Set(r.models.map((m) => m.vramGiB).filter((v): v is number => !!v))];
  const flat = datasets(c).filter((d) => /GiB cards/.test(d.label));
  const maxNeed = Math.max(
    ...datasets(c)
      .filter((d) => /overhead/.test(d.label))
      .flatMap((d) => d.data as number[]),
  );
  const usable = (v: number) => estimateMemoryFit('RVN', 0, v, DEFAULT_CONFIG.vram).usableGiB;
  for (const v of sizes) {
    const line = flat.find((d) => d.label.startsWith(`${v} GiB cards`));
    if (!line) {
      assert.ok(usable(v) > maxNeed, `${v} GiB cards left out though they do not fit throughout`);
      assert.match(plugins(c).title.text.join(' '), new RegExp(`\\b${v}\\b.* GiB cards fit throughout`));
      continue;
    }
    assert.ok(
      Math.abs((line.data[0] as number) - usable(v)) < 1e-3,
      `${v} GiB: ${line.data[0]} vs ${usable(v)}`,
    );
    assert.ok((line.data[0] as number) < v, `${v} GiB: drawn at nominal size`);
  }
  assert.ok(flat.length >= 3, `${flat.length} card sizes drawn`);
});

/** Hue of a #rrggbb colour in degrees. */
function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return 0;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return Math.round((h * 60 + 360) % 360);
}

test('tornado colours say direction (blue lower, orange higher), not good or bad', () => {
  const c = tornadoChart({
    fleet: 'f',
    snapshotId: '2026-11-25',
    step: 0.2,
    baseNetUsdPerDay: 100,
    bars: [{ label: 'x', lowValue: 1, highValue: 2, unit: 'u', lowNetUsdPerDay: 90, highNetUsdPerDay: 120 }],
  });
  const [low, high] = datasets(c);
  assert.deepEqual(
    [low!.label, low!.backgroundColor, high!.label, high!.backgroundColor],
    ['input lower (-20%)', TORNADO_COLORS.lower, 'input higher (+20%)', TORNADO_COLORS.higher],
  );
  for (const colour of Object.values(TORNADO_COLORS)) {
    const h = hue(colour);
    assert.ok(h > 20 && h < 340 && !(h > 80 && h < 160), `${colour} (hue ${h}) reads as red or green`);
  }
  assert.match(plugins(c).subtitle!.text.join(' '), /f · snapshot 2026-11-25/);
});

test('phone layout: "model @ site" labels on two lines and every category kept', async () => {
  const r = await report();
  const c = buildCharts(r, CHART_WIDTH.phone).find((x) => x.id === 'net-by-model')!;
  assert.deepEqual(c.config.data.labels![0], [r.models[0]!.model, `@ ${r.models[0]!.site}`]);
  const y = (c.config.options as { scales: { y: { ticks: { autoSkip: boolean } } } }).scales.y;
  assert.equal(y.ticks.autoSkip, false);
  assert.ok(c.height >= r.models.length * 40, `${c.height} px for ${r.models.length} two-line rows`);
});

test('wrapText keeps words whole and lines within the limit', () => {
  assert.deepEqual(wrapText('one two three four', 9), ['one two', 'three', 'four']);
  assert.deepEqual(wrapText('averyveryverylongword x', 5), ['averyveryverylongword', 'x']);
});

test('risk chart: a bar and legend entry per use the risk model bands, none for selling', () => {
  const band = (p50: number) => ({ p10: p50 - 10, p50, p90: p50 + 10 });
  const uses = { ...byPaidUse(() => null), [COINS[0]]: band(100), AI: band(200) };
  const c = riskChart({
    horizonDays: 90,
    paths: 1000,
    aiUtilisation: null,
    models: [{ modelId: 'm', siteId: 's', uses }],
  });
  assert.deepEqual(
    datasets(c).map((d) => d.label),
    [`${COINS[0]} P10-P90`, 'AI P10-P90'],
  );
  assert.deepEqual(datasets(c)[1]!.data, [[190, 210]]);
});
