import highsModule from 'highs';
import type { Highs } from 'highs';

export type { Highs };

// The package ships ESM at runtime but types written as CommonJS: under NodeNext TypeScript sees the
// default import as the module object, so name the loader's real type here once.
const loadHighs = ((highsModule as unknown as { default?: unknown }).default ??
  highsModule) as unknown as () => Promise<Highs>;

let instance: Promise<Highs> | undefined;

/** The HiGHS WebAssembly solver, loaded once per process (~40 ms). */
export function loadSolver(): Promise<Highs> {
  instance ??= loadHighs();
  return instance;
}
