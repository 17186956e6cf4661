import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
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
  if (!parsed.success) throw new DataError(file, `does not match the expected format:\n  ${formatIssues(parsed.error).join('\n  ')}`);
  return parsed.data;
}

export function listFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => join(dir, f));
}
