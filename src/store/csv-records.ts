import { DataError } from '../errors.ts';

/**
 * A strict CSV reader for the data files we ship: RFC 4180 quoting, every record keeps its line number, and
 * every field accessor fails with the file, the line, the field and what was expected.
 */
export interface CsvRecord {
  file: string;
  line: number;
  cells: ReadonlyMap<string, string>;
}

/** Split one CSV line; quoted fields may hold commas and doubled quotes. */
export function splitCsvLine(text: string, file: string, line: number): string[] {
  if (!text.includes('"')) return text.split(',');
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && ch === '"') quoted = false;
    else if (!quoted && ch === '"' && cell === '') quoted = true;
    else if (!quoted && ch === ',') {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw new DataError(file, `line ${line}: unterminated quoted field`, { line });
  out.push(cell);
  return out;
}

/** Records of a CSV text; the header must contain `required`; every row must have the header's width. */
export function csvRecords(text: string, file: string, required: readonly string[]): CsvRecord[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  if (lines.length < 2) throw new DataError(file, 'CSV has no data rows');
  const header = splitCsvLine(lines[0]!, file, 1);
  for (const name of required)
    if (!header.includes(name))
      throw new DataError(file, `line 1: column "${name}" missing (have: ${header.join(', ')})`, { line: 1 });
  return lines.slice(1).map((l, i) => {
    const line = i + 2;
    const cells = splitCsvLine(l, file, line);
    if (cells.length !== header.length)
      throw new DataError(file, `line ${line}: expected ${header.length} fields, got ${cells.length}`, {
        line,
      });
    return { file, line, cells: new Map(header.map((h, j) => [h, cells[j]!])) };
  });
}

export function fieldError(r: CsvRecord, field: string, expected: string): DataError {
  const got = r.cells.get(field) ?? '';
  return new DataError(r.file, `line ${r.line}, field "${field}": expected ${expected}, got "${got}"`, {
    line: r.line,
    field,
  });
}

export function textField(r: CsvRecord, field: string, pattern = /^.+$/, expected = 'a value'): string {
  const v = r.cells.get(field) ?? '';
  if (!pattern.test(v)) throw fieldError(r, field, expected);
  return v;
}

export function intField(r: CsvRecord, field: string): number {
  const v = Number(textField(r, field, /^\d+$/, 'a non-negative integer'));
  if (!Number.isSafeInteger(v)) throw fieldError(r, field, 'an integer below 2^53');
  return v;
}

/** A plain decimal number (no exponent, no sign), > 0 unless `allowZero`. */
export function decimalField(r: CsvRecord, field: string, allowZero = false): number {
  const v = Number(textField(r, field, /^\d+(\.\d+)?$/, 'a decimal number'));
  if (!(v > 0 || (allowZero && v === 0)))
    throw fieldError(r, field, allowZero ? 'a number >= 0' : 'a number > 0');
  return v;
}

export function bigIntField(r: CsvRecord, field: string): bigint {
  return BigInt(textField(r, field, /^[1-9]\d*$/, 'a positive integer'));
}
