import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/** The real entry point, as users run it (compiled build/ or tsx when build/ is stale). */
export const BIN = resolve(import.meta.dirname, '../../bin/rigpivot.js');

export interface BinRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/rigpivot.js ...args` with TZ=UTC and `env` over the process env. Never rejects: the
 * result carries the exit code (1 when the process was killed, e.g. by the 120 s timeout).
 */
export function runBin(args: string[], env: Record<string, string> = {}): Promise<BinRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, TZ: 'UTC', ...env }, timeout: 120_000 },
      (err, stdout, stderr) =>
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** A user error as the CLI must answer it: exit 2, a message matching `pattern`, and no stack trace. */
export function assertUserError(r: BinRun, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace for user errors');
}
