import { readFileSync, readdirSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
 * Write a folder of files (relative path -> contents) complete or not at all: into a hidden temporary
 * sibling first, then swapped in place of `dir`; if the swap fails the previous folder is put back.
 */
export function writeFolder(dir: string, files: Record<string, string | Uint8Array>): string[] {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.tmp-${basename(dir)}-${process.pid}-${Date.now()}`);
  const old = `${tmp}.old`;
  let replaced = false;
  try {
    for (const [rel, data] of Object.entries(files)) {
      mkdirSync(dirname(join(tmp, rel)), { recursive: true });
      writeFileSync(join(tmp, rel), data);
    }
    if (existsSync(dir)) {
      renameSync(dir, old);
      replaced = true;
    }
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
    return Object.keys(files).map((rel) => join(dir, rel));
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (replaced && !existsSync(dir)) renameSync(old, dir); // the previous complete folder comes back
    throw e;
  }
}
