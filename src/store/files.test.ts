import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFolder, recoverFolder, writeFailure } from './files.ts';
import { DataError } from '../errors.ts';

function withRoot(fn: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'rigpivot-files-'));
  try {
    fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

test('writeFolder: the folder is a link to a complete version, swapped whole; the old version goes', () => {
  withRoot((root) => {
    const dir = join(root, '2026-11-25');
    writeFolder(dir, { 'a.txt': 'one', 'sub/b.txt': 'one' });
    const first = readlinkSync(dir);
    writeFolder(dir, { 'a.txt': 'two' });
    assert.ok(lstatSync(dir).isSymbolicLink());
    assert.notEqual(readlinkSync(dir), first);
    assert.equal(readFileSync(join(dir, 'a.txt'), 'utf8'), 'two');
    assert.deepEqual(readdirSync(dir), ['a.txt'], 'nothing of the old folder is left in the new one');
    assert.deepEqual(readdirSync(root).sort(), [readlinkSync(dir), '2026-11-25'].sort());
  });
});

test('writeFolder: two writes of one folder in the same millisecond both land, the second one read', () => {
  const realNow = Date.now;
  Date.now = () => 1_796_174_465_947; // a frozen clock: every swap of this test in one millisecond
  try {
    withRoot((root) => {
      const dir = join(root, '2026-11-25');
      writeFolder(dir, { 'a.txt': 'one' });
      writeFolder(dir, { 'a.txt': 'two' });
      writeFolder(dir, { 'a.txt': 'three' });
      assert.equal(readFileSync(join(dir, 'a.txt'), 'utf8'), 'three');
      assert.deepEqual(readdirSync(root).sort(), [readlinkSync(dir), '2026-11-25'].sort());
    });
  } finally {
    Date.now = realNow;
  }
});

test('writeFolder: a real folder from before links is replaced; dead runs’ leftovers are cleaned', () => {
  withRoot((root) => {
    const dir = join(root, 'r');
    mkdirSync(dir);
    writeFileSync(join(dir, 'old.txt'), 'old');
    const pid = deadPid();
    mkdirSync(join(root, `.r.tmp-${pid}-5`)); // a killed run's half-written folder
    mkdirSync(join(root, `.r.v-${pid}-6`)); // a version nothing links to
    mkdirSync(join(root, `.tmp-r-${pid}-7.old`)); // the two-rename swap's leftover
    mkdirSync(join(root, `.r.tmp-${process.pid}-1`)); // this process's own leftover
    mkdirSync(join(root, 'other'));
    writeFolder(dir, { 'new.txt': 'new' });
    assert.deepEqual(readdirSync(dir), ['new.txt']);
    assert.deepEqual(readdirSync(root).sort(), [readlinkSync(dir), 'other', 'r'].sort());
  });
});

test('writeFolder: a leftover of another live process is kept (it may be mid-swap)', () => {
  withRoot((root) => {
    const live = join(root, `.r.tmp-${process.ppid}-5`);
    mkdirSync(live);
    writeFolder(join(root, 'r'), { 'x.txt': 'x' });
    assert.ok(readdirSync(root).includes(`.r.tmp-${process.ppid}-5`));
  });
});

test('recoverFolder: a folder missing after a killed swap points at the newest complete version', () => {
  withRoot((root) => {
    const dir = join(root, 'r');
    const pid = deadPid();
    for (const [v, t] of [
      ['.r.v-1-100', 'older'],
      [`.r.v-${pid}-200`, 'newer'],
    ]) {
      mkdirSync(join(root, v!));
      writeFileSync(join(root, v!, 'x.txt'), t!);
    }
    mkdirSync(join(root, `.r.tmp-${pid}-300`)); // incomplete: never chosen
    recoverFolder(dir);
    assert.equal(readFileSync(join(dir, 'x.txt'), 'utf8'), 'newer');
    rmSync(dir);
    mkdirSync(join(root, `.tmp-r-${pid}-400.old`)); // an old-style swap killed between its renames
    writeFileSync(join(root, `.tmp-r-${pid}-400.old`, 'x.txt'), 'old-style');
    recoverFolder(dir);
    assert.equal(readFileSync(join(dir, 'x.txt'), 'utf8'), 'old-style');
  });
});

test('writeFolder: an unwritable place is a DataError naming the folder and what to do, no raw errno', () => {
  withRoot((root) => {
    writeFileSync(join(root, 'file'), 'a file where a folder should be');
    assert.throws(
      () => writeFolder(join(root, 'file', '2026-11-25'), { 'a.txt': 'x' }),
      (e: unknown) =>
        e instanceof DataError &&
        e.exitCode === 2 &&
        /file\/2026-11-25: cannot write \((ENOTDIR|EEXIST)\): .*--out/.test(e.message),
    );
  });
  for (const [code, said] of [
    ['EROFS', /read-only: write elsewhere/],
    ['ENOSPC', /disk is full: free space and run again\. The previous folder, if any, is kept/],
    ['EACCES', /permission denied/],
  ] as const) {
    const e = writeFailure(Object.assign(new Error('raw'), { code }), '/r/2026-11-25');
    assert.ok(e instanceof DataError && said.test(e.message), `${code}: ${String(e)}`);
  }
  const other = new Error('something else');
  assert.equal(writeFailure(other, '/r'), other, 'other errors are left as they are');
});
