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

/** The Emscripten allocator HiGHS' module exports beside its API (absent from its types). */
interface WasmHeap {
  memoryBytes?: number;
  _malloc?: (bytes: number) => number;
  _free?: (pointer: number) => void;
}

/**
 * Grows the solver's WebAssembly memory to at least `bytes` in one step. HiGHS otherwise grows it a little at
 * a time while it builds and factors a large model, and V8 answers each growth with a full garbage
 * collection of the whole JavaScript heap: at 5,000 sites (a 1.5 GB heap) seven of them took 5 s of a 6 s
 * solve. Memory reserved this way stays with the module for the next model (WebAssembly memory never
 * shrinks); pages not yet written cost no RAM.
 */
export function reserveSolverMemory(highs: Highs, bytes: number): void {
  const heap = highs as unknown as WasmHeap;
  if (!heap._malloc || !heap._free || heap.memoryBytes === undefined || bytes > MAX_WASM_BYTES) return;
  // Blocks are held until the memory reaches the target: free space inside it is taken first, then it grows.
  const held: number[] = [];
  for (let i = 0; i < 8 && heap.memoryBytes < bytes; i++) {
    const pointer = heap._malloc(Math.ceil(bytes - heap.memoryBytes) + 2 ** 20);
    if (!pointer) break;
    held.push(pointer);
  }
  for (const pointer of held) heap._free(pointer);
}

/** Never reserve beyond what a 32-bit WebAssembly memory can address with room to spare. */
const MAX_WASM_BYTES = 2 ** 31;
