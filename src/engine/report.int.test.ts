import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  existsSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import { writeReport } from './report.ts';
import { loadReference } from '../store/reference.ts';
import { loadSnapshot } from '../store/snapshots.ts';
import { loadFleetFile } from '../config/fleet.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { loadSolver } from '../solve/highs.ts';
import type { ReportData } from '../report/types.ts';

const reference = loadReference();
const snapshot = loadSnapshot('2026-11-25');
const fleet = loadFleetFile(join(SHIPPED_DATA_DIR, 'fleets/hive-like.json'), reference.models);
const visible = (root: string) =>
  readdirSync(root)
    .filter((f) => !f.startsWith('.'))
    .sort();
const hidden = (root: string) =>
  readdirSync(root)
    .filter((f) => f.startsWith('.'))
    .sort();
const CLOCK = new Date('2026-11-27T06:00:00Z');

async function pngStats(file: string): Promise<{ width: number; nonWhite: number; colours: number }> {
  const img = await loadImage(readFileSync(file));
  const c = createCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const px = g.getImageData(0, 0, img.width, img.height).data;
  let nonWhite = 0;
  const colours = new Set<number>();
  for (let i = 0; i < px.length; i += 4) {
    if (px[i]! < 245 || px[i + 1]! < 245 || px[i + 2]! < 245) nonWhite++;
    if (i % 64 === 0) colours.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
  }
  return { width: img.width, nonWhite: nonWhite / (px.length / 4), colours: colours.size };
}

test('report: complete folder with sections in order, inputs with unit and as-of, non-blank charts', async () => {
  const root = mkdtempSync(join(tmpdir(), 'rigpivot-report-'));
  try {
    const run = await writeReport(
      { reference, snapshot, config: DEFAULT_CONFIG, date: '2026-11-25' },
      fleet,
      await loadSolver(),
      root,
      CLOCK,
    );
    const dir = join(root, '2026-11-25');
    assert.equal(run.dir, dir);
    assert.deepEqual(visible(root), ['2026-11-25']);
    assert.deepEqual(hidden(root), [readlinkSync(dir)], 'one version, the one linked; no temporary folders');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    const order = [
      'moves',
      'check-first',
      'headline',
      'networks',
      'models',
      'break-evens',
      'ai-rates',
      'inputs',
      'changes',
      'coming',
      'charts',
    ];
    const positions = order.map((id) => html.indexOf(`<section id="${id}">`));
    assert.ok(
      positions.every((p) => p > 0),
      `missing sections: ${order.filter((_, i) => positions[i]! < 0)}`,
    );
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
      'sections in the required order',
    );
    assert.doesNotMatch(
      html,
      /<script|https?:\/\/[^"]*\.(js|css|png)/,
      'self-contained: no script, no remote assets',
    );
    assert.match(html, /<meta name="viewport"/);
    assert.ok((html.match(/<img src="data:image\/png;base64,/g) ?? []).length >= 6);
    const mdHeadings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(mdHeadings.slice(0, 13), [
      // the decision first: the moves, the gain after switching cost and why
      'What to do: the moves and why',
      // then because the old RVN price (2026-03-27) moved 3 % would change the advice
      'Check before acting: the advice rests on uncertain inputs',
      'The recommended allocation',
      'Keep / move / sell over 180 days',
      "The fleet's share of each mining network",
      'Per GPU model: net USD per device per day',
      'Break-evens: where each best use flips',
      'AI rental rates, USD per GPU-hour',
      'Sensitivity: which input moves fleet income most (each alone, -20% / +20%)',
      'Inputs: value, unit, as-of, source, freshness',
      'What changed, and the counterfactual',
      'Coming changes (next 180 days)',
      'Charts',
    ]);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportData;
    assert.equal(json.date, '2026-11-25');
    assert.ok(
      json.warnings.some((w) => w.startsWith('RVN price')),
      'RVN price warned',
    );
    // the first warning right after the moves, before the allocation
    const checkAt = md.indexOf('> **Check:** RVN price');
    assert.ok(md.indexOf('## What to do: the moves and why') < checkAt, 'the moves lead');
    assert.ok(checkAt > 0 && checkAt < md.indexOf('## The recommended allocation'), 'then the warnings');
    assert.match(md, /Gain from the moves, after switching cost: \$[\d,.]+\/day against keeping/);
    assert.deepEqual(
      json.networks!.map((n) => n.coin),
      ['RVN', 'ERG'],
      'every coin gets its network share row',
    );
    assert.ok(json.inputs.length > 10);
    for (const i of json.inputs) {
      assert.ok(i.unit.trim().length > 0, `${i.name}: no unit`);
      assert.match(i.asOf, /^\d{4}-\d{2}/, `${i.name}: no as-of`);
      assert.ok(i.source.length > 0 && ['fresh', 'stale', 'too-old'].includes(i.tier));
    }
    assert.ok(
      json.inputs.some((i) => i.tier === 'too-old'),
      'the embedded RVN price (2026-03) is too old',
    );
    assert.match(html, /<tr class="bad">/, 'too-old inputs stand out');
    assert.ok(
      json.comingChanges.some((e) => e.kind === 'vram-cutoff'),
      'a VRAM cut-off falls within 180 days for 8 GiB cards',
    );
    const pngs = readdirSync(join(dir, 'charts'));
    assert.ok(pngs.length >= 7 && pngs.includes('tornado.png'), `${pngs.length} charts`);
    for (const p of pngs) {
      const s = await pngStats(join(dir, 'charts', p));
      assert.ok(s.nonWhite > 0.01, `${p} looks blank (${(s.nonWhite * 100).toFixed(2)}% drawn)`);
      assert.ok(s.colours > 4, `${p} has ${s.colours} colours`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test(
  'report: the next day sees the previous report (change, counterfactual, history chart) and a ' +
    'rerun replaces the folder whole',
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'rigpivot-report-'));
    try {
      const highs = await loadSolver();
      await writeReport(
        { reference, snapshot, config: DEFAULT_CONFIG, date: '2026-11-25' },
        fleet,
        highs,
        root,
        CLOCK,
      );
      const ctx2 = {
        reference,
        snapshot,
        config: { ...DEFAULT_CONFIG, ai: { ...DEFAULT_CONFIG.ai, utilisation: 0.5 } },
        date: '2026-11-26',
      };
      const second = await writeReport(ctx2, fleet, highs, root, CLOCK);
      assert.equal(second.report.headline.previous?.date, '2026-11-25');
      assert.equal(second.report.counterfactual.baseline, 'previous report');
      assert.equal(second.report.history.length, 2);
      assert.ok(existsSync(join(second.dir, 'charts/history.png')));
      assert.ok(
        second.report.headline.netUsdPerDay < second.report.headline.previous!.netUsdPerDay,
        'lower utilisation earns less',
      );
      writeFileSync(join(second.dir, 'stray.txt'), 'left from an old run');
      await writeReport(ctx2, fleet, highs, root, CLOCK);
      assert.ok(!existsSync(join(second.dir, 'stray.txt')), 'a rerun replaces the whole folder');
      assert.deepEqual(visible(root), ['2026-11-25', '2026-11-26']);
      assert.equal(hidden(root).length, 2, 'the replaced version is removed');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
);

test(
  'report: a future date is refused and leaves the folder untouched; unreadable old reports are ' +
    'skipped with a warning',
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'rigpivot-report-'));
    try {
      mkdirSync(join(root, '2026-11-20'));
      writeFileSync(join(root, '2026-11-20', 'report.json'), '{ broken');
      await assert.rejects(
        writeReport(
          { reference, snapshot, config: DEFAULT_CONFIG, date: '2026-12-31' },
          fleet,
          await loadSolver(),
          root,
          CLOCK,
        ),
        /2026-12-31 is in the future/,
      );
      assert.deepEqual(visible(root), ['2026-11-20']);
      const run = await writeReport(
        { reference, snapshot, config: DEFAULT_CONFIG, date: '2026-11-25' },
        fleet,
        await loadSolver(),
        root,
        CLOCK,
      );
      assert.match(run.warnings.join('\n'), /2026-11-20\/report\.json: unreadable/);
      assert.equal(run.report.headline.previous, null);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
);
