import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowLayout } from './rows.ts';

test('blocks are laid out one after another; row(i) and rowUpper follow the add order', () => {
  const layout = new RowLayout();
  const cells = layout.add('cell', 3, (i) => [10, 20, 30][i]!);
  const empty = layout.add('none', 0, () => 1);
  const sites = layout.add('site-power', 2, (i) => 0.5 * (i + 1));
  const ai = layout.add('ai-demand', 1, () => Infinity);
  assert.equal(layout.nRows, 6);
  assert.deepEqual([cells.row(0), cells.row(2), sites.row(0), sites.row(1), ai.row(0)], [0, 2, 3, 4, 5]);
  assert.deepEqual([cells.start, empty.start, sites.start, ai.start], [0, 3, 3, 5]);
  assert.deepEqual([...layout.rowUpper()], [10, 20, 30, 0.5, 1, Infinity]);
  assert.equal(layout.block('site-power'), sites);
});

test('a per-row vector (duals, activity) reads back per block, by block or by name', () => {
  const layout = new RowLayout();
  const cells = layout.add('cell', 2, () => 1);
  const sites = layout.add('site-power', 3, () => 1);
  layout.add('ai-demand', 1, () => 1);
  const duals = Float64Array.from([0.1, 0.2, 15, 0, 7, 4]);
  assert.deepEqual(cells.read(duals), [0.1, 0.2]);
  assert.deepEqual(sites.read(duals), [15, 0, 7]);
  assert.deepEqual(layout.read('ai-demand', duals), [4]);
  assert.deepEqual(layout.add('late', 0, () => 1).read(duals), []);
});

test('rowUpper is a copy: changing it does not change the layout', () => {
  const layout = new RowLayout();
  layout.add('cell', 1, () => 5);
  layout.rowUpper()[0] = 99;
  assert.deepEqual([...layout.rowUpper()], [5]);
});

test('misuse is refused with the block named', () => {
  const layout = new RowLayout();
  const cells = layout.add('cell', 2, () => 1);
  assert.throws(() => layout.add('cell', 1, () => 1), /row block "cell" is already in the layout/);
  assert.throws(() => layout.add('', 1, () => 1), /non-empty/);
  assert.throws(() => layout.add('x', 1.5, () => 1), /row block "x": count must be a non-negative integer/);
  assert.throws(() => layout.add('y', -1, () => 1), /row block "y": count must be/);
  assert.throws(() => layout.add('z', 2, (i) => (i === 1 ? NaN : 1)), /row block "z" row 1: upper bound/);
  assert.throws(() => cells.row(2), /row block "cell": row 2 is outside 0\.\.1/);
  assert.throws(() => cells.row(-1), /outside/);
  assert.throws(() => cells.read([1, 2, 3]), /per-row vector has 3 entries, the layout 2 rows/);
  assert.throws(() => layout.block('capex'), /no row block "capex" \(have: cell\)/);
  assert.equal(layout.nRows, 2, 'refused blocks add no rows');
});
