import { writeFileSync } from 'node:fs';

export type CsvCell = string | number | boolean | null | undefined;

/** One RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled; numbers in full. */
export function csvField(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole RFC 4180 table: a header row (units in the column names), CRLF line ends. */
export function toCsv(headers: readonly string[], rows: readonly CsvCell[][]): string {
  for (const [i, r] of rows.entries())
    if (r.length !== headers.length)
      throw new Error(`csv row ${i} has ${r.length} fields for ${headers.length} columns`);
  return [headers, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Write CSV to `out`, or to stdout when no file is given. */
export function writeCsv(text: string, out: string | undefined): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}
