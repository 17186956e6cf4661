import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContext, openFleet } from '../../engine/context.ts';
import { decide, type EngineContext } from '../../engine/decide.ts';
import { composeReport } from '../../engine/report-content.ts';
import { loadSolver } from '../../solve/highs.ts';
import { checkReason, withTiers } from '../../analysis/freshness.ts';
import { buildDocument } from '../../report/document.ts';
import { printInputsToCheck, wrap } from './advise-moves.ts';
import { printRun } from './report.action.ts';
import { gainSentence } from '../../domain/moves.ts';
import { usd } from '../format.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-advise-moves-')) });
const fleet = openFleet(ctx, undefined);

/** What `fn` prints with console.log, as one string. */
function captured(fn: () => void): string {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...xs: unknown[]) => void lines.push(xs.join(' '));
  try {
    fn();
  } finally {
    console.log = log;
  }
  return lines.join('\n');
}

test('advise and the report use the configured freshness tiers; a config change moves both', async () => {
  const d = decide(ctx, fleet, await loadSolver());
  const counts = (freshness: EngineContext['config']['freshness']) => {
    const c: EngineContext = { ...ctx, config: { ...ctx.config, freshness } };
    const text = captured(() => printInputsToCheck(d, withTiers(d.inputs, freshness), freshness));
    const advised = Number(/\): (\d+) of \d+$/m.exec(text)![1]);
    const report = composeReport(c, d, fleet, [], '2026-11-25T12:00:00Z');
    const inReport = report.inputs.filter((i) => checkReason(i) !== null).length;
    const rvn = report.inputs.find((i) => i.name === 'RVN price')!;
    const section = JSON.stringify(buildDocument(report, []).sections.find((s) => s.id === 'inputs'));
    return { text, advised, inReport, rvn, section };
  };
  const base = counts(ctx.config.freshness);
  assert.equal(base.advised, base.inReport);
  assert.equal(base.rvn.tier, 'too-old', 'the RVN price is 243 days old');
  assert.match(base.text, /RVN price .* 243 {2}too-old {2}measured/);
  assert.match(base.text, /fresh up to 2 days, too old after 90 days \(config freshness\.\*\)/);
  // a year counts as fresh: both lose the stale measured rows, the RVN price turns fresh in both
  const lax = counts({ freshDays: 365, tooOldDays: 730 });
  assert.equal(lax.advised, lax.inReport);
  assert.ok(lax.advised < base.advised, `${lax.advised} vs ${base.advised}`);
  assert.equal(lax.rvn.tier, 'fresh');
  assert.doesNotMatch(lax.text, /RVN price/);
  assert.match(lax.section, /"RVN price","[^"]+","USD\/RVN","2026-03-27","243","fresh"/);
});

test('wrap: lines at most 110 characters, continuation indented under the first', () => {
  const text = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
  const lines = wrap(text, '- ').split('\n');
  assert.ok(lines.length > 2);
  assert.ok(lines.every((l) => l.length <= 110));
  assert.ok(lines[0]!.startsWith('- word0 '));
  assert.ok(lines.slice(1).every((l) => l.startsWith('  word')));
  assert.equal(lines.join(' ').replace(/\s+/g, ' '), `- ${text}`);
});

test('daily and report print the one gain sentence before the checks, and give it in --json', async () => {
  const d = decide(ctx, fleet, await loadSolver());
  const report = composeReport(ctx, d, fleet, [], '2026-11-25T12:00:00Z');
  report.warnings = ['RVN price is old'];
  const run = { dir: '/tmp/r/2026-11-25', files: ['report.html'], report, warnings: [] };
  const lines = captured(() => printRun(run, false)).split('\n');
  assert.equal(lines[1], `  ${gainSentence(report.moves!.gain, (x) => usd(x))}`);
  assert.equal(lines[2], '  CHECK: RVN price is old');
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => out.push(chunk) > 0) as typeof process.stdout.write;
  try {
    printRun(run, true);
  } finally {
    process.stdout.write = write;
  }
  assert.deepEqual(JSON.parse(out.join('')).gain, JSON.parse(JSON.stringify(report.moves!.gain)));
});
