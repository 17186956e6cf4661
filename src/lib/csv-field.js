// One CSV field and a whole table, shared by the CLI's --csv (src/cli/csv.ts) and the dashboard's CSV
// links (src/dashboard/csv.js): plain JavaScript with no imports, so the browser loads this very file (the
// API serves it at /lib/csv-field.js) and Node imports it beside its types (csv-field.d.ts).

/** A plain decimal number as text: left as it is, a spreadsheet reads it as the number it is. */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What a spreadsheet would run as a formula or a command: =, +, -, @, tab or CR first. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field: quoted when it holds a comma, quote, CR or LF, quotes doubled; numbers in full
 * (a non-finite number is an empty field). Text a spreadsheet would run as a formula gets a leading
 * apostrophe; a number, or text that is just a number such as "-12.5", stays a number.
 * @param {string | number | boolean | null | undefined} v
 * @returns {string}
 */
export function csvField(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (FORMULA_START.test(s) && !NUMBER_TEXT.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A whole RFC 4180 table: a header row (units in the column names), CRLF line ends. A row whose length
 * is not the header's is a bug in the caller: it throws, naming the row.
 * @param {readonly string[]} headers
 * @param {readonly (string | number | boolean | null | undefined)[][]} rows
 * @returns {string}
 */
export function toCsv(headers, rows) {
  for (const [i, r] of rows.entries())
    if (r.length !== headers.length)
      throw new Error(`csv row ${i} has ${r.length} fields for ${headers.length} columns`);
  return [headers, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
