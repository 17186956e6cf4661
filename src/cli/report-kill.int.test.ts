import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Issue 16 item 5: `rigpivot report` SIGKILLed at random points never loses reports/<date>/: after each
 * kill a complete report (old or new) is there, and the next run succeeds and cleans up.
 * RIGPIVOT_KILL_RUNS sets the number of kills (default 20; about 60 s on 2 cores).
 */
const BIN = resolve(import.meta.dirname, '../../bin/rigpivot.js');
const KILLS = Number(process.env.RIGPIVOT_KILL_RUNS ?? 20);
const DATE = '2026-11-25';

function startReport(root: string): { done: Promise<number | null>; kill: () => void } {
  const env = {
    ...process.env,
    TZ: 'UTC',
    RIGPIVOT_DATA_DIR: join(root, 'data'),
    RIGPIVOT_REPORTS_DIR: join(root, 'reports'),
  };
  const child = spawn(process.execPath, [BIN, 'report', '--date', DATE], { env, stdio: 'ignore' });
  const done = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { done, kill: () => child.kill('SIGKILL') };
}

function assertComplete(reports: string, when: string): string {
  const dir = join(reports, DATE);
  assert.ok(existsSync(join(dir, 'report.json')), `${when}: reports/${DATE}/report.json is missing`);
  const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
    date: string;
    generatedAt: string;
  };
  assert.equal(json.date, DATE, when);
  for (const f of ['report.html', 'report.md']) assert.ok(existsSync(join(dir, f)), `${when}: ${f} missing`);
  assert.ok(readdirSync(join(dir, 'charts')).length > 0, `${when}: no charts`);
  return json.generatedAt;
}

test(`report killed at ${KILLS} random points always leaves a complete report folder`, async () => {
  const root = mkdtempSync(join(tmpdir(), 'rigpivot-report-kill-'));
  const reports = join(root, 'reports');
  mkdirSync(join(root, 'data')); // a named data dir must exist
  try {
    // the shortest of two whole runs sets the kill window (the first one pays cold caches)
    let runMs = Infinity;
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      assert.equal(await startReport(root).done, 0, `run ${i + 1} succeeds`);
      runMs = Math.min(runMs, performance.now() - t0);
    }
    let seen = new Set([assertComplete(reports, 'after the first runs')]);
    let killedMidway = 0;
    for (let i = 0; i < KILLS; i++) {
      // half anywhere in a run, half in its last fifth (where the folder is written and swapped)
      const at = runMs * (i % 2 === 0 ? 0.95 * Math.random() : 0.75 + 0.2 * Math.random());
      const run = startReport(root);
      const timer = setTimeout(run.kill, at);
      const code = await run.done;
      clearTimeout(timer);
      if (code === null) killedMidway++;
      seen = seen.add(assertComplete(reports, `after kill ${i + 1} at ${Math.round(at)} ms`));
    }
    // a run the machine happens to finish early is not killed; the test needs a real share of kills
    assert.ok(killedMidway >= KILLS / 4, `only ${killedMidway} of ${KILLS} runs were killed mid-way`);
    assert.equal(await startReport(root).done, 0, 'the next run succeeds');
    assertComplete(reports, 'after the last run');
    const left = readdirSync(reports).filter((f) => f.startsWith('.'));
    assert.equal(left.length, 1, `stale versions and temporary folders are cleaned up: ${left.join(', ')}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
