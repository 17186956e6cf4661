import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultDrawThreads } from './chart-draw.ts';

/** Runs `fn` with RIGPIVOT_DRAW_THREADS set to `value` (absent for undefined), then restores it. */
function withThreads<T>(value: string | undefined, fn: () => T): T {
  const before = process.env.RIGPIVOT_DRAW_THREADS;
  if (value === undefined) delete process.env.RIGPIVOT_DRAW_THREADS;
  else process.env.RIGPIVOT_DRAW_THREADS = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.RIGPIVOT_DRAW_THREADS;
    else process.env.RIGPIVOT_DRAW_THREADS = before;
  }
}

test('charts draw in this thread by default (measured faster on 2 cores); a bad thread count is named', () => {
  assert.equal(
    withThreads(undefined, () => defaultDrawThreads(14)),
    1,
  );
  assert.equal(
    withThreads('1', () => defaultDrawThreads(14)),
    1,
  );
  // asked for workers: never more than the jobs (and never more than the cores, nor on a saturated machine)
  assert.ok(withThreads('8', () => defaultDrawThreads(1)) === 1);
  for (const bad of ['0', '-2', 'two', '1.5', ''])
    assert.throws(
      () => withThreads(bad, () => defaultDrawThreads(14)),
      /RIGPIVOT_DRAW_THREADS: expected a whole number of threads from 1 to 99/,
      bad,
    );
});
