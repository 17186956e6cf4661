/** Round to `digits` decimals (half away from zero), for display and stable JSON. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return (Math.sign(value) * Math.round(Math.abs(value) * f)) / f;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function sum(values: Iterable<number>): number {
  let t = 0;
  for (const v of values) t += v;
  return t;
}

export const GIB = 1024 ** 3;
export const HOURS_PER_DAY = 24;
export const SECONDS_PER_DAY = 86_400;

/**
 * A plain decimal number as a person types it: digits, an optional fraction and an optional decimal
 * exponent (`0.5`, `-3`, `.25`, `1e3`, `2.5E-2`). Not hex, octal or binary (`0x10`, `0o7`, `0b1`), not
 * `Infinity`, not digit separators: JavaScript's Number() accepts several of those silently.
 */
export function isDecimalNumber(text: string): boolean {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim());
}
