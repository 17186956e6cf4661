import { escapeHtml } from './html.ts';

/** Anything tabular: row objects, or a frame with columns and row values (a danfo DataFrame has both). */
export type Tabular =
  readonly Record<string, unknown>[] | { columns: string[]; values: unknown[][] | unknown[] };

export interface TableOptions {
  /** Significant digits for numbers (default 6); integers are shown whole with thousands separators. */
  digits?: number;
  caption?: string;
  /** Show at most this many rows (default 200), saying how many were left out. */
  maxRows?: number;
}

function cell(v: unknown, digits: number): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString('en-US');
    if (Math.abs(v) >= 1e9 || Math.abs(v) < 1e-4) return Number(v.toPrecision(digits)).toExponential();
    return Number(v.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 12 });
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** An HTML table of rows or a frame, every value escaped (for notebooks: `tslab.display.html(tableHtml(df))`). */
export function tableHtml(data: Tabular, o: TableOptions = {}): string {
  const digits = o.digits ?? 6;
  const max = o.maxRows ?? 200;
  let headers: string[];
  let rows: unknown[][];
  if (Array.isArray(data)) {
    const list = data as readonly Record<string, unknown>[];
    headers = [...new Set(list.flatMap((r) => Object.keys(r)))];
    rows = list.map((r) => headers.map((h) => r[h]));
  } else {
    const f = data as { columns: string[]; values: unknown[] };
    headers = f.columns;
    rows = f.values.map((r) => (Array.isArray(r) ? r : [r]));
  }
  const shown = rows.slice(0, max);
  const num = (v: unknown) => typeof v === 'number';
  const td = (v: unknown) =>
    `<td${num(v) ? ' style="text-align:right"' : ''}>${escapeHtml(cell(v, digits))}</td>`;
  const body = shown.map((r) => `<tr>${r.map((v) => td(v)).join('')}</tr>`).join('');
  const more = rows.length > max ? `<p>${rows.length - max} more rows not shown.</p>` : '';
  const caption = o.caption ? `<caption>${escapeHtml(o.caption)}</caption>` : '';
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`;
}
