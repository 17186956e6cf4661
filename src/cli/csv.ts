import { writeFileSync } from 'node:fs';

// The one field writer, shared with the dashboard: plain JavaScript in src/lib, which the build does not
// copy, so it is named from the project root: the same file whether this module runs from src/ or build/.
import { csvField, type CsvCell } from '../../src/lib/csv-field.js';

export { csvField, type CsvCell };

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
