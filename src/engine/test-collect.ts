import { HttpClient } from '../sources/http.ts';
import { loadSourcesConfig } from '../config/sources.ts';
import { loadReference } from '../store/reference.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import type { CollectOptions } from './collect.ts';

// Test helper for collect.test.ts and collect.int.test.ts.
const reference = loadReference();
export const clock = (iso: string) => () => new Date(iso);

/** Offline collect options on a given store; fast retries, no spacing, no cache; `over` wins. */
export function options(dir: string, store: Store, over: Partial<CollectOptions> = {}): CollectOptions {
  return {
    date: '2026-11-25',
    live: false,
    dataDir: dir,
    store,
    http: new HttpClient({
      retries: 2,
      baseDelayMs: 1,
      maxDelayMs: 50,
      timeoutMs: 300,
      spacingMs: 0,
      cacheTtlS: 0,
      spacingByHostMs: {},
    }),
    sources: loadSourcesConfig({}),
    reference,
    config: DEFAULT_CONFIG,
    now: clock('2026-11-25T07:00:00Z'),
    ...over,
  };
}
