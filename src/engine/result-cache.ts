/**
 * A small on-disk cache of derived results under the data folder (`<dataDir>/cache/<kind>/<key>.json`), for
 * work that is a pure function of its inputs and slow to redo (the warnings search re-decides the fleet
 * dozens of times). The key hashes the inputs, a format version and the code's newest file time, so a
 * changed input or changed code misses. Failures to read or write are not errors: the caller recomputes.
 */
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

/** Newest entries kept per kind; older ones are removed on write. */
const KEEP = 32;

let stamp: number | undefined;

/** Newest modification time of the code's files (src/ under tsx, build/ when compiled), once per process. */
function codeStamp(): number {
  if (stamp !== undefined) return stamp;
  const walk = (dir: string): number => {
    let newest = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) newest = Math.max(newest, walk(path));
      else if (/\.(ts|js)$/.test(e.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
    return newest;
  };
  stamp = walk(fileURLToPath(new URL('..', import.meta.url)));
  return stamp;
}

/** Maps and sets as sorted entries, so equal inputs hash alike. */
function stable(_key: string, v: unknown): unknown {
  if (v instanceof Map)
    return { map: [...v.entries()].sort(([a], [b]) => String(a).localeCompare(String(b))) };
  if (v instanceof Set) return { set: [...v].sort() };
  return v;
}

/** The key of a result: sha256 of the inputs as JSON with a format version and the code's stamp. */
export function cacheKey(version: number, inputs: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify({ version, code: codeStamp(), inputs }, stable))
    .digest('hex');
}

/** The cached result for `key`, or undefined (absent, unreadable or not JSON). */
export function readCached<T>(dataDir: string, kind: string, key: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'cache', kind, `${key}.json`), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Stores a result (written whole, then renamed into place) and prunes the kind to its newest KEEP. */
export function writeCached(dataDir: string, kind: string, key: string, value: unknown): void {
  const dir = join(dataDir, 'cache', kind);
  try {
    mkdirSync(dir, { recursive: true });
    // the API's pool threads share a pid: the thread id keeps two writers of one key apart
    const tmp = join(dir, `${key}.${process.pid}-${threadId}.tmp`);
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, join(dir, `${key}.json`));
    const others = readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== `${key}.json`)
      .map((f) => ({ f, ms: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.ms - a.ms);
    for (const { f } of others.slice(KEEP - 1)) unlinkSync(join(dir, f));
  } catch {
    // a read-only or full data folder: the result is simply not cached
  }
}
