/**
 * The unit tier in one process per core instead of one per file. Starting node, tsx and the engine's
 * import graph (and warming the JIT and HiGHS) costs 0.3-1 s of CPU per file, most of the tier; a shard
 * pays it once. Each file runs as one suite named by its path, so its top-level `before`/`after` hooks stay
 * its own and a failure names the file. Files share a process: a test must leave no state behind (restore
 * env vars, never mutate a shared or cached object); a file that leaves an env var or the working folder
 * changed fails, named. To rule sharing out, run the file alone:
 * `TZ=UTC node --import tsx --test <file>`.
 */
import { after, before, describe } from 'node:test';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = /^unit-(\d+)\.ts$/;

/** Is this path a unit test file (`*.test.ts`, not `*.int.test.ts` or `*.e2e.test.ts`)? */
export function isUnitTestFile(path: string): boolean {
  return path.endsWith('.test.ts') && !path.endsWith('.int.test.ts') && !path.endsWith('.e2e.test.ts');
}

/** Every unit test file under src/, relative to the repository root, sorted. */
export function unitTestFiles(root = ROOT): string[] {
  return ['src']
    .flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)),
    )
    .filter(isUnitTestFile)
    .sort();
}

/** Shard `index` of `count`: every count-th file, so the slow files spread over the shards. */
export function shardFiles(files: readonly string[], index: number, count: number): string[] {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`shard count: expected an integer >= 1, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new Error(`shard index: expected an integer from 0 to ${count - 1}, got ${index}`);
  return files.filter((_, i) => i % count === index);
}

/** What a test file left changed in the process it shares: env vars set, changed or removed, the folder. */
export function leftBehind(
  before: { env: Record<string, string | undefined>; cwd: string },
  now: { env: Record<string, string | undefined>; cwd: string },
): string[] {
  const names = [...new Set([...Object.keys(before.env), ...Object.keys(now.env)])].sort();
  const env = names.filter((n) => before.env[n] !== now.env[n]).map((n) => `env ${n}`);
  return before.cwd === now.cwd ? env : [...env, `working folder ${before.cwd} -> ${now.cwd}`];
}

const processState = () => ({ env: { ...process.env }, cwd: process.cwd() });

/** Runs the shard that a `unit-<index>.ts` entry beside this file stands for; the count is the number of entries. */
export function runShard(entryUrl: string): void {
  const entry = fileURLToPath(entryUrl);
  const count = readdirSync(dirname(entry)).filter((f) => ENTRY.test(f)).length;
  const index = Number(ENTRY.exec(basename(entry))?.[1]);
  for (const file of shardFiles(unitTestFiles(), index, count))
    describe(file, async () => {
      let atStart = processState();
      before(() => (atStart = processState())); // runs first: registered before the file's own hooks
      await import(join(ROOT, file));
      after(() => {
        const changed = leftBehind(atStart, processState());
        if (changed.length) throw new Error(`${file} left the shared process changed: ${changed.join(', ')}`);
      });
    });
}
