import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertUserError, runBin } from './run-bin.test-util.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'rigpivot-fx-'));
after(() => rmSync(ROOT, { recursive: true, force: true }));

const run = (...args: string[]) => runBin(args, { RIGPIVOT_DATA_DIR: mkdtempSync(join(ROOT, 'data-')) });

test('--currency EUR without a collected or given rate: exit 2 saying how to get one', async () => {
  const r = await run('income', '--currency', 'EUR');
  assertUserError(r, /--currency: no EUR per USD rate/);
  assert.match(r.stderr, /rigpivot collect --live/);
  assert.equal(r.stdout, '');
});

test('advise and income in EUR at a user-given rate: labelled; JSON stays USD with a display field', async () => {
  const config = join(ROOT, 'fx.json');
  const fx = { EUR: { perUsd: 0.5, asOf: '2026-11-20', source: 'my bank statement' } };
  writeFileSync(config, JSON.stringify({ fx }));
  const text = await run('advise', '--config', config, '--currency', 'EUR');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /In EUR: expected net €[\d,.]+\/day/);
  assert.match(text.stdout, /EUR at 0\.5 per USD, user-given: my bank statement, as of 2026-11-20/);
  const json = await run('advise', '--config', config, '--currency', 'EUR', '--json');
  // the one gain figure (the moves' after switching cost), converted: not another "change" figure
  const usdGain = (JSON.parse(json.stdout) as { moves: { gain: { afterSwitchingUsdPerDay: number } } }).moves
    .gain.afterSwitchingUsdPerDay;
  const eur = /gain from the moves, after switching cost: €([\d,.]+)\/day/.exec(text.stdout);
  assert.ok(
    eur,
    text.stdout.split('\n').find((l) => l.startsWith('In EUR')),
  );
  assert.ok(
    Math.abs(Number(eur[1]!.replace(/,/g, '')) - usdGain * 0.5) <= 1,
    `${eur[1]} vs ${usdGain * 0.5}`,
  );
  assert.equal(json.code, 0, json.stderr);
  const a = JSON.parse(json.stdout) as {
    totals: { netUsdPerDay: number };
    display: { code: string; kind: string; figures: Record<string, number> };
  };
  assert.equal(a.display.code, 'EUR');
  assert.equal(a.display.kind, 'user-given');
  assert.ok(Math.abs(a.display.figures.netEurPerDay! - a.totals.netUsdPerDay * 0.5) < 1e-9);
  const income = await run('income', '--config', config, '--currency', 'EUR');
  assert.equal(income.code, 0, income.stderr);
  assert.match(income.stdout, /RVN EUR\/day/);
  assert.match(income.stdout, /Money in EUR: EUR at 0\.5 per USD, user-given/);
});
