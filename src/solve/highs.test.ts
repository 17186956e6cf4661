import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSolver, reserveSolverMemory } from './highs.ts';

test('reserveSolverMemory grows the WebAssembly memory in one step, and never shrinks or regrows it', async () => {
  const highs = await loadSolver();
  const bytes = () => (highs as unknown as { memoryBytes: number }).memoryBytes;
  const before = bytes();
  const target = before + 64 * 2 ** 20;
  reserveSolverMemory(highs, target);
  assert.ok(bytes() >= target, `${bytes()} bytes after reserving ${target}`);
  const after = bytes();
  reserveSolverMemory(highs, before); // already there: nothing to do
  assert.equal(bytes(), after);
  reserveSolverMemory(highs, 2 ** 33); // beyond what 32-bit WebAssembly addresses: refused quietly
  assert.equal(bytes(), after);
  // The memory still serves models.
  const model = highs.createModel({
    numCols: 1,
    numRows: 0,
    sense: highs.constants.objectiveSense.maximize,
    colCost: [1],
    colLower: [0],
    colUpper: [2],
    rowLower: [],
    rowUpper: [],
    matrix: { format: 'csc', numRows: 0, numCols: 1, starts: [0, 0], indices: [], values: [] },
  } as unknown as Parameters<typeof highs.createModel>[0]);
  model.run();
  assert.equal(model.getObjectiveValue(), 2);
  model.dispose();
});
