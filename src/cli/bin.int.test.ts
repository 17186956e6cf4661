import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');

/**
 * A checkout in a temp folder with the real bin/rigpivot.js and two stand-in CLIs that say which one ran:
 * build/cli/main.js prints BUILT, src/cli/main.ts prints SRC (so the test sees bin's choice, not the CLI).
 */
function checkout(opts: { built: boolean; tsx: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-bin-'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(REPO, 'bin/rigpivot.js'), join(dir, 'bin/rigpivot.js'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  mkdirSync(join(dir, 'src/cli'), { recursive: true });
  writeFileSync(
    join(dir, 'src/cli/main.ts'),
    "export async function main(argv: string[]): Promise<number> { console.log('SRC', argv.join(' ')); return 0; }\n",
  );
  writeFileSync(join(dir, 'src/cli/x.test.ts'), '// a test file: not built\n');
  setAge(join(dir, 'src/cli/main.ts'), 60);
  setAge(join(dir, 'src/cli/x.test.ts'), 60);
  if (opts.built) {
    mkdirSync(join(dir, 'build/cli'), { recursive: true });
    writeFileSync(
      join(dir, 'build/cli/main.js'),
      "export async function main(argv) { console.log('BUILT', argv.join(' ')); return 0; }\n",
    );
    setAge(join(dir, 'build/cli/main.js'), 30);
  }
  if (opts.tsx) symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Set a file's mtime to `minutesAgo` minutes before now. */
function setAge(file: string, minutesAgo: number): void {
  const t = new Date(Date.now() - minutesAgo * 60_000);
  utimesSync(file, t, t);
}

function run(dir: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(dir, 'bin/rigpivot.js'), 'gpus'], {
    encoding: 'utf8',
    env: { ...process.env, RIGPIVOT_FROM_SRC: '', ...env },
  });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

function withCheckout(opts: { built: boolean; tsx: boolean }, fn: (dir: string) => void): void {
  const dir = checkout(opts);
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('bin runs build/ when it is newer than every source file, with the arguments', () => {
  withCheckout({ built: true, tsx: true }, (dir) => {
    assert.deepEqual(run(dir), { status: 0, out: 'BUILT gpus', err: '' });
    setAge(join(dir, 'src/cli/x.test.ts'), 0); // tests are not built: a newer one does not matter
    assert.equal(run(dir).out, 'BUILT gpus');
    assert.equal(run(dir, { RIGPIVOT_FROM_SRC: '1' }).out, 'SRC gpus');
  });
});

test('bin runs src/ through tsx when build/ is older than a source file or missing', () => {
  withCheckout({ built: true, tsx: true }, (dir) => {
    setAge(join(dir, 'src/cli/main.ts'), 0);
    assert.equal(run(dir).out, 'SRC gpus');
    rmSync(join(dir, 'build'), { recursive: true });
    assert.equal(run(dir).out, 'SRC gpus');
  });
});

test('bin without build/ and without tsx says to run npm run prepare', () => {
  withCheckout({ built: false, tsx: false }, (dir) => {
    const r = run(dir);
    assert.equal(r.status, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /^rigpivot: build\/ is missing and tsx .* run `npm run prepare`/);
  });
});
