import { test, after } from 'node:test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assertUserError, runBin } from './run-bin.test-util.ts';

/**
 * Issue 16 items 2 and 4 through the CLI: a damaged store, an implausible snapshot value, a missing data
 * dir and an unwritable reports folder each exit 2 with a message that says what to do, never a stack.
 */
const ROOT = mkdtempSync(join(tmpdir(), 'rigpivot-cli-store-'));
after(() => rmSync(ROOT, { recursive: true, force: true }));
const SHIPPED = resolve(import.meta.dirname, '../../data/snapshots/2026-11-25.json');

const run = (env: Record<string, string>, ...args: string[]) => runBin(args, env);

test('CLI: damaged store, bad snapshot value, missing data dir, unwritable reports: exit 2, no stack', async () => {
  const damaged = mkdtempSync(join(ROOT, 'damaged-'));
  writeFileSync(join(damaged, 'rigpivot.db'), 'not a database '.repeat(400));
  const badSnap = mkdtempSync(join(ROOT, 'snap-'));
  mkdirSync(join(badSnap, 'snapshots'));
  const snap = JSON.parse(readFileSync(SHIPPED, 'utf8'));
  snap.coins.RVN.difficulty.value = 0;
  writeFileSync(join(badSnap, 'snapshots', '2026-11-25.json'), JSON.stringify(snap));
  const fileAsReports = join(ROOT, 'reports-is-a-file');
  writeFileSync(fileAsReports, 'x');
  const [collect, advise, missing, report] = await Promise.all([
    run({ RIGPIVOT_DATA_DIR: damaged }, 'collect', '--date', '2026-11-25'),
    run({ RIGPIVOT_DATA_DIR: badSnap }, 'advise', '--date', '2026-11-25'),
    run({}, 'advise', '--data-dir', join(ROOT, 'no-such-dir')),
    run(
      { RIGPIVOT_DATA_DIR: mkdtempSync(join(ROOT, 'data-')), RIGPIVOT_REPORTS_DIR: fileAsReports },
      'report',
      '--date',
      '2026-11-25',
    ),
  ]);
  assertUserError(
    collect,
    /rigpivot\.db: the history store is damaged.*mv rigpivot\.db rigpivot\.db\.damaged/s,
  );
  assertUserError(advise, /2026-11-25\.json: coins\.RVN\.difficulty\.value = 0 is not plausible/);
  assertUserError(missing, /--data-dir: .*no-such-dir does not exist/);
  assertUserError(report, /reports-is-a-file\/2026-11-25: cannot write \((ENOTDIR|EEXIST)\)/);
});
