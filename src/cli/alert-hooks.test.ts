import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertCollect } from './alert-hooks.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { alertsConfigSchema } from '../config/alerts.ts';

test('a failure while evaluating alerts is one warning line, never a stack trace', async () => {
  // the data dir is a file: the store cannot open (a plain Error, not an AppError)
  const notADir = join(mkdtempSync(join(tmpdir(), 'rp-hooks-')), 'data');
  writeFileSync(notADir, 'not a folder');
  const alerts = alertsConfigSchema.parse({ targets: [{ kind: 'json', urlEnv: 'RP_TEST_HOOK_URL' }] });
  const run = {
    date: '2026-11-25',
    runId: 1,
    results: [],
    quarantined: [],
    snapshotFile: join(import.meta.dirname, '../../data/snapshots/2026-11-25.json'),
  };
  const written: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => (written.push(String(s)), true)) as typeof process.stderr.write;
  try {
    await alertCollect({ dataDir: notADir, config: { ...DEFAULT_CONFIG, alerts } }, run, {
      dryRunAlerts: true,
    });
  } finally {
    process.stderr.write = write;
  }
  const text = written.join('');
  assert.match(text, /^rigpivot: warning: alerts not evaluated: internal error: Error: EEXIST/);
  assert.equal(text.trimEnd().split('\n').length, 1, `one line, no stack: ${text}`);
  assert.doesNotMatch(text, /\n\s+at /);
});
