import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertUserError, runBin } from './run-bin.test-util.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'rigpivot-log-'));
after(() => rmSync(ROOT, { recursive: true, force: true }));

const run = (...args: string[]) => runBin(args, { RIGPIVOT_DATA_DIR: mkdtempSync(join(ROOT, 'data-')) });

test('--verbose writes debug JSON lines to stderr; stdout stays the --json answer; --quiet drops them', async () => {
  const v = await run('collect', '--date', '2026-11-25', '--json', '--verbose');
  assert.equal(v.code, 0, v.stderr);
  const answer = JSON.parse(v.stdout) as { results: { source: string }[] }; // nothing else on stdout
  assert.equal(answer.results[0]!.source, 'embedded');
  const lines = v.stderr
    .split('\n')
    .filter((l) => l.startsWith('{')) // beside the human line per source
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const done = lines.find((l) => l.component === 'collect' && l.source === 'embedded');
  assert.ok(done, v.stderr);
  assert.equal(done.level, 'debug');
  assert.ok(typeof done.records === 'number' && done.records > 0);
  const q = await run('collect', '--date', '2026-11-25', '--json', '--quiet');
  assert.equal(q.code, 0, q.stderr);
  assert.equal(q.stderr, '');
  const cfg = await run('collect', '--date', '2026-11-25', '--json', '--set', 'logLevel=debug');
  assert.match(cfg.stderr, /"component":"collect"/, 'config logLevel applies without a flag');
});

test('--verbose with --quiet is refused: exit 2 naming both, nothing run', async () => {
  const r = await run('--verbose', '--quiet', 'gpus', '--json');
  assertUserError(r, /option '--verbose' cannot be used with option '--quiet'/);
  assert.equal(r.stdout, '');
});
