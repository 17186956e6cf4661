import type { UseCounts } from '../types.ts';
import { USES } from '../../domain/types.ts';
import { formatInteger, formatNumber, formatUsd } from '../../lib/format.ts';
import { modelLabel } from '../../domain/labels.ts';

/** A format-neutral report: sections of paragraphs, tables, lists and images. Markdown and HTML render it. */
export type Tone = 'warn' | 'bad' | 'good';
export type Block =
  | { kind: 'p'; text: string; tone?: Tone }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; headers: string[]; rows: string[][]; tones?: (Tone | undefined)[] }
  | { kind: 'img'; chartId: string; alt: string };
export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}
export interface ReportDocument {
  title: string;
  subtitle: string;
  sections: Section[];
}

// numbers for people by the one rule of lib/format.ts (report.json keeps full precision)
export const usd = formatUsd; // the second argument caps decimals where cents do not matter
export const n0 = formatInteger;
export const fmtVal = (v: number) => formatNumber(v);
export const counts = (c: UseCounts) =>
  USES.filter((u) => c[u] > 0)
    .map((u) => `${u} ${n0(c[u])}`)
    .join(', ') || '-';

export { modelLabel };
/** The first cells of a row about one fleet cell: model (marked when patched), site, card count. */
export const cellColumns = (x: { model: string; cmpPatched: boolean; site: string; count: number }) => [
  modelLabel(x),
  x.site,
  n0(x.count),
];
/** A fleet cell named in one cell of a table or a sentence: "model @ site". */
export const modelAtSite = (x: { model: string; site: string }) => `${x.model} @ ${x.site}`;

/** A paragraph. */
export const para = (text: string, tone?: Tone): Block =>
  tone ? { kind: 'p', text, tone } : { kind: 'p', text };
/** The paragraph that closes a section: how its figures were found. */
export const methodNote = (method: string): Block => para(`Method: ${method}.`);
/** The blocks, or none when `show` is false. */
export const when = (show: unknown, ...blocks: Block[]): Block[] => (show ? blocks : []);
