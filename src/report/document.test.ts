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
import { buildDocument, type Block } from './document.ts';
import type { ReportData, ReportInput } from './types.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-doc-')) });
const fleet = openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/hive-like.json'));

let shared: Promise<ReportData> | undefined;
/** The hive-like report, composed once; each call gets its own copy (tests change theirs). */
async function report(): Promise<ReportData> {
  shared ??= loadSolver().then((highs) =>
    composeReport(ctx, decide(ctx, fleet, highs), fleet, [], '2026-11-25T12:00:00Z'),
  );
  return structuredClone(await shared);
}

function inputsTable(r: ReportData): Extract<Block, { kind: 'table' }> {
  const s = buildDocument(r, []).sections.find((x) => x.id === 'inputs')!;
  return s.blocks.find(
    (b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table' && b.headers.includes('tier'),
  )!;
}

test('inputs section: approximate rows are amber like assumed ones and counted with them', async () => {
  const r = await report();
  const row = (name: string, kind: string, tier: ReportInput['tier']): ReportInput => ({
    name,
    value: 1,
    unit: 'USD/GPU-hour',
    asOf: '2026-11-25',
    ageDays: 0,
    kind,
    tier,
    source: 'test',
  });
  r.inputs = [
    row('a measured quote', 'measured', 'fresh'),
    row('a guide price', 'approximate', 'fresh'),
    row('an estimate', 'assumed', 'fresh'),
    row('an old list price', 'measured', 'too-old'),
  ];
  assert.deepEqual(inputsTable(r).tones, [undefined, 'warn', 'warn', 'bad']);
  const p = buildDocument(r, [])
    .sections.find((x) => x.id === 'inputs')!
    .blocks.find((b) => b.kind === 'p') as { text: string; tone?: string };
  assert.match(p.text, /^1 of 4 inputs are not fresh and 2 are approximate or assumed/);
  assert.equal(p.tone, 'warn');
});

test('warnings come first: a section before the headline, a key before it in report.json', async () => {
  const r = await report();
  assert.deepEqual(r.warnings, [], 'no search was run: no warnings');
  assert.notEqual(buildDocument(r, []).sections[0]!.id, 'check-first');
  r.warnings = [
    'RVN price 0.0055 USD/RVN: measured (243 days old: too-old). The advice changes below 0.0053.',
  ];
  const first = buildDocument(r, []).sections[0]!;
  assert.equal(first.id, 'check-first');
  assert.deepEqual(first.blocks[0], { kind: 'p', tone: 'bad', text: r.warnings[0] });
  const keys = Object.keys(r);
  assert.ok(keys.indexOf('warnings') < keys.indexOf('headline'), keys.join(','));
});

test('inputs section: the difficulty at which each card nets zero, beside today', async () => {
  const r = await report();
  const s = buildDocument(r, []).sections.find((x) => x.id === 'inputs')!;
  const t = s.blocks.find(
    (b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table' && b.headers[0] === 'model @ site',
  )!;
  assert.deepEqual(t.headers.slice(2), [
    'RVN difficulty at zero net (x today)',
    'ERG difficulty at zero net (x today)',
  ]);
  assert.equal(t.rows.length, r.models.length);
  const rvn = r.difficultyBreakEvens[0]!;
  const i = rvn.cells.findIndex((c) => c.atZeroNet !== null);
  assert.match(t.rows[i]![2]!, new RegExp(`\\(x${(rvn.cells[i]!.atZeroNet! / rvn.current).toFixed(2)}\\)$`));
});
