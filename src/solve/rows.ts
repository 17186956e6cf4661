import { SolveError } from '../errors.ts';

/** A named run of consecutive constraint rows (e.g. one row per site power cap). */
export interface RowBlock {
  readonly name: string;
  /** Index of the block's first row in the whole model. */
  readonly start: number;
  readonly count: number;
  /** Model row index of the block's i-th row. */
  row(i: number): number;
  /** The block's slice of a per-row vector over the whole model (row duals, row activities). */
  read(perRow: ArrayLike<number>): number[];
}

/**
 * The constraint rows of an LP, laid out block by block: a constraint family is one `add` call, and every
 * row index, upper bound and dual read goes through its block, so no caller computes offsets by hand.
 * All rows are `<= upper` (lower bound -Infinity).
 */
export class RowLayout {
  private readonly blocks = new Map<string, RowBlock>();
  private readonly uppers: number[] = [];

  /** Appends `count` rows named `name`; `upperOf(i)` is row i's upper bound (Infinity for none). */
  add(name: string, count: number, upperOf: (i: number) => number): RowBlock {
    if (name === '') throw new SolveError('row block name must be a non-empty string');
    if (this.blocks.has(name)) throw new SolveError(`row block "${name}" is already in the layout`);
    if (!Number.isInteger(count) || count < 0)
      throw new SolveError(`row block "${name}": count must be a non-negative integer, got ${count}`);
    const uppers = Array.from({ length: count }, (_, i) => {
      const upper = upperOf(i);
      if (typeof upper !== 'number' || Number.isNaN(upper))
        throw new SolveError(`row block "${name}" row ${i}: upper bound must be a number, got ${upper}`);
      return upper;
    });
    const start = this.uppers.length;
    for (const u of uppers) this.uppers.push(u); // no spread: blocks can exceed the argument limit
    const block: RowBlock = {
      name,
      start,
      count,
      row: (i) => {
        if (!Number.isInteger(i) || i < 0 || i >= count)
          throw new SolveError(`row block "${name}": row ${i} is outside 0..${count - 1}`);
        return start + i;
      },
      read: (perRow) => {
        if (perRow.length !== this.nRows)
          throw new SolveError(
            `row block "${name}": per-row vector has ${perRow.length} entries, the layout ${this.nRows} rows`,
          );
        return Array.from({ length: count }, (_, i) => perRow[start + i]!);
      },
    };
    this.blocks.set(name, block);
    return block;
  }

  get nRows(): number {
    return this.uppers.length;
  }

  /** Upper bounds of all rows in model order (a fresh copy). */
  rowUpper(): Float64Array {
    return Float64Array.from(this.uppers);
  }

  block(name: string): RowBlock {
    const b = this.blocks.get(name);
    if (!b) throw new SolveError(`no row block "${name}" (have: ${[...this.blocks.keys()].join(', ')})`);
    return b;
  }

  /** The named block's slice of a per-row vector (e.g. `read('site-power', lp.rowDual)`). */
  read(name: string, perRow: ArrayLike<number>): number[] {
    return this.block(name).read(perRow);
  }
}
