// Types of csv-field.js (plain JavaScript, shared with the dashboard that loads it in the browser).

export type CsvCell = string | number | boolean | null | undefined;

/** One RFC 4180 field; text a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvField(v: CsvCell): string;

/** A whole RFC 4180 table, CRLF line ends; throws when a row's length is not the header's. */
export function toCsv(headers: readonly string[], rows: readonly CsvCell[][]): string;
