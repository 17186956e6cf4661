import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawResponse } from '../domain/observations.ts';

const ROOT = dirname(fileURLToPath(import.meta.url));

/** Test helper: a recorded fixture as the RawResponse the source's fetch would have produced. */
export function fixture(
  source: string,
  file: string,
  url: string,
  extra: Partial<RawResponse> = {},
): RawResponse {
  return {
    source,
    url,
    fetchedAt: '2026-11-25T06:00:00.000Z',
    status: 200,
    body: readFixture(source, file),
    ...extra,
  };
}

export function readFixture(source: string, file: string): string {
  return readFileSync(join(ROOT, source, '__fixtures__', file), 'utf8');
}

export function fixturePath(source: string, file: string): string {
  return join(ROOT, source, '__fixtures__', file);
}
