import { formatInteger, formatNumber, formatPercent, formatUsd, NOT_AVAILABLE } from '../lib/format.ts';

/** A number cell: whole numbers with separators, others by the one rule (lib/format.ts). */
const cellText = (v: string | number) =>
  typeof v === 'string' ? v : Number.isInteger(v) ? formatInteger(v) : formatNumber(v);

/** Plain-text tables for the terminal; numbers right-aligned and formatted for people. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(cellText))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map(
    (_, i) =>
      rows.length > 0 &&
      rows.every(
        (r) =>
          typeof r[i] === 'number' ||
          /^[-+]?[$]?[\d,.]+( × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?%?$/.test(String(r[i] ?? '')) ||
          r[i] === '-' ||
          r[i] === 'n/a',
      ),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** USD by the one rule of lib/format.ts; `maxDecimals` caps it where cents do not matter (totals: 0). */
export function usd(x: number, maxDecimals?: number): string {
  return formatUsd(x, maxDecimals);
}

/** A count (no `digits`) or a figure with fixed decimals (kW, TH/s); `n/a` when not a finite number. */
export function num(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return NOT_AVAILABLE;
  if (digits === 0) return formatInteger(x);
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A measured or modelled quantity (difficulty, coin amount, input value): lib/format.ts formatNumber. */
export const qty = formatNumber;
export const percent = formatPercent;

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
