import {
  readFileSync,
  readdirSync,
  readlinkSync,
  existsSync,
  lstatSync,
  mkdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { DataError } from '../errors.ts';
import { formatIssues } from '../domain/schemas.ts';

/** The project's shipped data/ folder (reference tables, embedded snapshots, example fleets, price histories). */
export const SHIPPED_DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../data');

/** Default data dir for what rigpivot writes (history store, collected snapshots): data/store/, git-ignored. */
export const DEFAULT_STORE_DIR = join(SHIPPED_DATA_DIR, 'store');

/** Read and validate a JSON file; every problem names the file and the JSON path. */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  if (!existsSync(file)) throw new DataError(file, 'file not found');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(file, `not valid JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new DataError(
      file,
      `does not match the expected format:\n  ${formatIssues(parsed.error).join('\n  ')}`,
    );
  return parsed.data;
}

export function listFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Write a folder of files (relative path -> contents) complete or not at all, in one atomic step:
 * `dir` is a symbolic link to a hidden versioned sibling (`.<name>.v-<pid>-<ms>`). The files are
 * written in `.<name>.tmp-<pid>-<ms>`, renamed to a versioned name (a versioned folder is always
 * complete), then a new link is renamed over `dir` (rename replaces a link atomically: a reader sees
 * the old or the new folder, never none). Afterwards the versions, temporary folders and links that
 * `dir` no longer points to are removed, except those of another live process.
 * A `dir` that is still a real folder (written before links) is moved to a versioned name first:
 * between those two renames it is missing; the next run puts the newest version back (recoverFolder).
 */
export function writeFolder(dir: string, files: Record<string, string | Uint8Array>): string[] {
  const parent = dirname(dir);
  const name = basename(dir);
  try {
    mkdirSync(parent, { recursive: true });
    recoverFolder(dir);
  } catch (e) {
    throw writeFailure(e, dir);
  }
  const tag = swapTag();
  const tmp = join(parent, `.${name}.tmp-${tag}`);
  const version = `.${name}.v-${tag}`;
  const link = join(parent, `.${name}.link-${tag}`);
  try {
    for (const [rel, data] of Object.entries(files)) {
      mkdirSync(dirname(join(tmp, rel)), { recursive: true });
      writeFileSync(join(tmp, rel), data);
    }
    renameSync(tmp, join(parent, version));
    symlinkSync(version, link);
    if (isRealFolder(dir)) renameSync(dir, join(parent, `.${name}.v-${process.pid}-0-legacy`));
    renameSync(link, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(link, { force: true });
    recoverFolder(dir);
    throw writeFailure(e, dir);
  }
  removeStale(dir);
  return Object.keys(files).map((rel) => join(dir, rel));
}

let lastTagMs = 0;
/**
 * `<pid>-<ms>` naming one swap: the ms is the clock's, moved on by one when this process already used it,
 * so two writes of one folder within a millisecond do not rename onto the same version.
 */
function swapTag(): string {
  lastTagMs = Math.max(Date.now(), lastTagMs + 1);
  return `${process.pid}-${lastTagMs}`;
}

/** Where else to write: the callers (reports, analyses) take an --out folder or RIGPIVOT_REPORTS_DIR. */
const ELSEWHERE = 'write elsewhere (--out / RIGPIVOT_REPORTS_DIR)';
const NOT_A_FOLDER = `a part of the path is a file, not a folder: ${ELSEWHERE}`;
const DENIED = `permission denied: make the folder writable or ${ELSEWHERE}`;
const WRITE_FAILURES: Record<string, string> = {
  EACCES: DENIED,
  EPERM: DENIED,
  EROFS: `the file system is read-only: ${ELSEWHERE}`,
  ENOSPC: 'the disk is full: free space and run again',
  EDQUOT: 'the disk quota is used up: free space and run again',
  ENOTDIR: NOT_A_FOLDER,
  EEXIST: NOT_A_FOLDER,
};

/** A file-system failure writing a folder, as an error that names it and says what to do (no stack). */
export function writeFailure(e: unknown, dir: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  const what = code ? WRITE_FAILURES[code] : undefined;
  if (!what) return e;
  return new DataError(dir, `cannot write (${code}): ${what}. The previous folder, if any, is kept.`, {
    errno: code,
  });
}

/** The entries a folder swap leaves beside `dir`: versions, temporary folders and links (any pid). */
type SwapEntry = { file: string; kind: 'v' | 'tmp' | 'link' | 'old'; pid: number };
function swapEntries(dir: string): SwapEntry[] {
  const parent = dirname(dir);
  const name = basename(dir);
  if (!existsSync(parent)) return [];
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ours = new RegExp(`^\\.${esc}\\.(v|tmp|link)-(\\d+)-\\d+(-legacy)?$`);
  const before = new RegExp(`^\\.tmp-${esc}-(\\d+)-\\d+(\\.old)?$`); // the two-rename swap's leftovers
  return readdirSync(parent).flatMap((f): SwapEntry[] => {
    const m = ours.exec(f);
    if (m) return [{ file: join(parent, f), kind: m[1] as 'v' | 'tmp' | 'link', pid: Number(m[2]) }];
    const b = before.exec(f);
    return b
      ? [{ file: join(parent, f), kind: b[2] ? ('old' as const) : ('tmp' as const), pid: Number(b[1]) }]
      : [];
  });
}

/** When `dir` is missing or a dangling link (a swap was killed mid-way), point it at the newest version. */
export function recoverFolder(dir: string): void {
  if (existsSync(dir)) return;
  const versions = swapEntries(dir)
    .filter((e) => e.kind === 'v' || e.kind === 'old')
    .sort((a, b) => versionTime(b.file) - versionTime(a.file));
  const newest = versions[0];
  if (!newest) return;
  if (isLink(dir)) rmSync(dir, { force: true });
  if (newest.kind === 'old') renameSync(newest.file, dir);
  else symlinkSync(basename(newest.file), dir);
}

/** Remove the swap entries `dir` does not point to, except those of another process still running. */
function removeStale(dir: string): void {
  const current = isLink(dir) ? join(dirname(dir), readlinkSync(dir)) : null;
  for (const e of swapEntries(dir))
    if (e.file !== current && (e.pid === process.pid || !processAlive(e.pid)))
      rmSync(e.file, { recursive: true, force: true });
}

function versionTime(file: string): number {
  const m = /-(\d+)-(\d+)(-legacy|\.old)?$/.exec(file);
  return m ? Number(m[2]) : 0;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function isRealFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a process with this id exists on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
