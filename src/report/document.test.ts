import { test } from 'node:test';
import { formatUsd } from '../lib/format.ts';
import { byPaidUse } from '../domain/uses.ts';
import { COINS } from '../domain/types.ts';
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

test('the moves come first, then the warnings, then the rest; the same order in report.json', async () => {
  const r = await report();
  // no search was run: no flip warnings; only stated assumptions (its sales rest on projected prices)
  assert.deepEqual(
    r.warnings.filter((w) => !w.startsWith('ASSUMPTION:')),
    [],
  );
  r.warnings = [];
  const ids = () => buildDocument(r, []).sections.map((x) => x.id);
  assert.deepEqual(ids().slice(0, 2), ['moves', 'headline']);
  r.warnings = [
    'RVN price 0.0055 USD/RVN: measured (243 days old: too-old). The advice changes below 0.0053.',
  ];
  assert.deepEqual(ids().slice(0, 3), ['moves', 'check-first', 'headline']);
  const check = buildDocument(r, []).sections[1]!;
  assert.deepEqual(check.blocks[0], { kind: 'p', tone: 'bad', text: r.warnings[0] });
  const keys = Object.keys(r);
  assert.ok(keys.indexOf('moves') < keys.indexOf('warnings'), keys.join(','));
  assert.ok(keys.indexOf('warnings') < keys.indexOf('headline'), keys.join(','));
});

test('moves section: the one gain figure, labelled, and a reason for every row whose best is not taken', async () => {
  const r = await report();
  const moves = buildDocument(r, []).sections[0]!;
  const gain = moves.blocks[0] as { kind: 'p'; text: string };
  const g = r.moves!.gain;
  const usd = formatUsd; // the report's one money rule (whole dollars from $100)
  assert.ok(
    gain.text.startsWith(`Gain from the moves, after switching cost: ${usd(g.afterSwitchingUsdPerDay)}/day`),
    gain.text,
  );
  assert.ok(gain.text.includes(`(before switching cost: ${usd(g.beforeSwitchingUsdPerDay)}/day;`), gain.text);
  // no other section states a gain against the current allocation another way: the counterfactual
  // against the fleet file's allocation repeats the same sentence
  const all = JSON.stringify(buildDocument(r, []).sections.slice(1));
  assert.doesNotMatch(all, /the change is worth/);
  const changes = buildDocument(r, []).sections.find((x) => x.id === 'changes')!;
  assert.deepEqual(changes.blocks[0], gain);
  // the title's snapshot date comes with the age of the oldest input
  assert.match(
    buildDocument(r, []).subtitle,
    /\d+ of \d+ inputs are not fresh on 2026-11-25 \(configured tiers\); the oldest, .+, is [\d,]+ days old/,
  );
  const models = buildDocument(r, []).sections.find((x) => x.id === 'models')!;
  const t = models.blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table')!;
  const why = t.headers.indexOf('why (see the moves)');
  const best = t.headers.indexOf('best');
  r.models.forEach((m, i) => {
    const notBest = Object.entries(m.recommended).some(([u, n]) => u !== m.best && n > 0);
    if (notBest) assert.notEqual(t.rows[i]![why], '-', `${m.model} @ ${m.site}: ${t.rows[i]![best]}`);
  });
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

test('numbers for people: heights whole with separators, difficulties as powers of ten, no e+ anywhere', async () => {
  const r = await report();
  const doc = buildDocument(r, []);
  const rows = inputsTable(r).rows;
  const height = rows.find((x) => x[0] === 'RVN height')!;
  assert.match(height[1]!, /^\d{1,3}(,\d{3})+$/, `height ${height[1]}`);
  const ergDifficulty = rows.find((x) => /^ERG difficulty/.test(x[0]!))!;
  assert.match(ergDifficulty[1]!, /^\d(\.\d+)? × 10[¹²³⁴⁵⁶⁷⁸⁹⁰]+$/, `difficulty ${ergDifficulty[1]}`);
  const cells = doc.sections.flatMap((s) =>
    s.blocks.flatMap((b) => (b.kind === 'table' ? b.rows.flat() : [])),
  );
  const numeric = cells.filter((c) => /^[-$\d.,e+ ×⁰¹²³⁴⁵⁶⁷⁸⁹⁻()x%]+$/.test(c));
  assert.ok(numeric.length > 100, `${numeric.length} numeric cells`);
  for (const c of numeric) assert.doesNotMatch(c, /\d[eE][+-]?\d/, `${c}: exponent notation`);
  const text = JSON.stringify(doc);
  assert.doesNotMatch(text, /NaN/);
  assert.doesNotMatch(text, /\d\.\d{6,}/, 'a number with six or more decimals');
});

test('break-evens: each flip reads in the unit its break-even carries, utilisation as a percentage', async () => {
  const r = await report();
  const s = buildDocument(r, []).sections.find((x) => x.id === 'break-evens')!;
  const t = s.blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table')!;
  const column = (header: string) => t.rows.map((row) => String(row[t.headers.indexOf(header)]));
  const flips = (cells: string[], unit: RegExp) => {
    for (const c of cells)
      if (c !== 'no flip in range') for (const part of c.split('; ')) assert.match(part, unit);
    return cells.filter((c) => c !== 'no flip in range').length;
  };
  assert.ok(flips(column('electricity price'), /^(below|above) [\d.,]+ USD\/kWh -> \w+$/) > 0);
  flips(column('RVN price'), /^(below|above) \S+ USD\/RVN -> \w+$/);
  flips(column('AI utilisation'), /^(below|above) [\d.]+% -> \w+$/);
});

test('per-model table: a row priced as community-unlocked is marked (patched), others are not', async () => {
  const r = await report();
  r.models[0]!.cmpPatched = true;
  const s = buildDocument(r, []).sections.find((x) => x.id === 'models')!;
  const t = s.blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table')!;
  assert.equal(t.rows[0]![0], `${r.models[0]!.model} (patched)`);
  const marked = t.rows.map((row) => String(row[0]).endsWith(' (patched)'));
  assert.deepEqual(
    marked,
    r.models.map((m) => m.cmpPatched),
  );
});

test('optional blocks: the smaller-moves line, the reasons list and the AI demand table only when due', async () => {
  const r = await report();
  const texts = (id: string) =>
    JSON.stringify(buildDocument(r, []).sections.find((x) => x.id === id)!.blocks);
  assert.ok(r.moves!.moves.length > 12 && r.moves!.cells.length > 0 && r.aiDemand.length > 0, 'fixture');
  assert.match(texts('moves'), /smaller moves \([\d,]+ cards\) add/);
  assert.match(texts('moves'), /Why, where the per-model table alone would suggest otherwise/);
  assert.match(texts('headline'), /renters take \(GPUs\)/);
  r.moves!.moves = r.moves!.moves.slice(0, 12);
  r.moves!.cells = [];
  r.aiDemand = [];
  assert.doesNotMatch(texts('moves'), /smaller moves/);
  assert.doesNotMatch(texts('moves'), /Why, where/);
  assert.doesNotMatch(texts('headline'), /renters take/);
  // the moves listed stay: 12 rows, every one shown
  const table = buildDocument(r, []).sections[0]!.blocks.find((b) => b.kind === 'table');
  assert.equal(table?.kind === 'table' && table.rows.length, 12);
});

test('risk table: one header per column, P(AI beats mining) over its own figure', async () => {
  const r = await report();
  const band = (p50: number) => ({ p10: p50 - 10, p50, p90: p50 + 10, mean: p50 });
  const uses = { ...byPaidUse(() => null), [COINS[0]]: band(100), AI: band(200) };
  r.risk = {
    paths: 1000,
    horizonDays: 90,
    blockDays: 7,
    seed: 1,
    aiUtilisation: null,
    returnsWindow: { from: '2025-01-01', to: '2025-12-31', days: 365 },
    unit: 'USD net per device over 90 days',
    models: [{ modelId: 'm', siteId: 's', uses, pAiBeatsMining: 0.75 }],
    assumptions: [],
  };
  const section = buildDocument(r, []).sections.find((x) => x.id === 'risk')!;
  const table = section.blocks.find((b) => b.kind === 'table')!;
  assert.ok(table.kind === 'table');
  assert.equal(table.rows[0]!.length, table.headers.length);
  const cell = (h: string) => table.rows[0]![table.headers.indexOf(h)];
  assert.equal(cell('P(AI beats mining)'), '75%');
  assert.match(cell(COINS[0])!, /\/.*100.*\//);
  assert.equal(
    cell('AI (price flat, utilisation varies)'),
    `${formatUsd(190, 0)} / ${formatUsd(200, 0)} / ${formatUsd(210, 0)}`,
  );
});
