import { writeFileSync } from 'node:fs';

// The one field and table writer, shared with the dashboard: plain JavaScript in src/lib, which the build
// does not copy, so it is named from the project root: the same file whether this runs from src/ or build/.
import { csvField, toCsv, type CsvCell } from '../../src/lib/csv-field.js';

export { csvField, toCsv, type CsvCell };

/** Write CSV to `out`, or to stdout when no file is given. */
export function writeCsv(text: string, out: string | undefined): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}
