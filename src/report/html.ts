import type { ReportDocument, Block } from './document.ts';

/** Escape text for HTML: nothing from data is ever inserted as markup. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A chart as the page shows it: the desktop PNG, and a phone-width PNG for narrow screens. */
export interface ChartImage {
  src: string;
  width: number;
  height: number;
  phone?: { src: string; width: number; height: number };
}

/** Below this width wide tables become one card per row and charts switch to their phone drawing. */
const NARROW = 640;

const CSS = `
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;\
margin:0 auto;max-width:1100px;padding:12px;color:#1d2330;overflow-wrap:anywhere}
h1{font-size:1.5em;margin:.4em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #dde;padding-bottom:.2em}
.sub{color:#566}.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
nav.toc{font-size:.9em;margin:.6em 0}nav.toc a{margin-right:.9em;display:inline-block;max-width:100%}
table{border-collapse:collapse;font-size:.88em;margin:.6em 0;overflow-wrap:normal}\
th,td{border:1px solid #dde;padding:3px 6px;text-align:left;vertical-align:top}
td.num{text-align:right;white-space:nowrap}
th{background:#f2f4f8}tr.warn td{background:#fff7e0}tr.bad td{background:#fde2e2;font-weight:600}
p.warn,p.bad{background:#fff7e0;border-left:4px solid #e0a800;padding:6px 10px}
figure{margin:.8em 0}img{max-width:100%;height:auto;display:block;border:1px solid #eee}
@media (max-width:${NARROW}px){body{padding:8px;font-size:14px}
table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards thead{display:none}
table.cards tr{border:1px solid #dde;border-radius:6px;margin:0 0 .6em;padding:4px 6px}
table.cards td{border:none;padding:1px 0;display:grid;grid-template-columns:42% 1fr;gap:8px;text-align:left;\
white-space:normal;overflow-wrap:anywhere}
table.cards td::before{content:attr(data-label);color:#566}
table.cards td:first-child{font-weight:600;display:block;border-bottom:1px solid #eef;margin-bottom:2px}
table.cards td:first-child::before{content:none}}
@media print{body{max-width:none;font-size:10pt;padding:0}nav.toc{display:none}\
.scroll{overflow:visible}h2{break-after:avoid}\
thead{display:table-header-group}tr,img,figure{break-inside:avoid}\
img{max-width:100%;max-height:24cm;width:auto;border:none}\
table{font-size:8pt;width:100%}th,td{padding:1px 3px}td{overflow-wrap:anywhere}}
`;

/** Tables this wide become stacked cards on a phone; narrower ones stay tables (in a scroll box). */
const CARD_COLUMNS = 5;
const NUMERIC = /^[-+]?[$]?[\d,.]+( × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?( ?%)?$/;

function image(c: ChartImage, alt: string): string {
  const img =
    `<img src="${escapeHtml(c.src)}" width="${c.width}" height="${c.height}" ` + `alt="${escapeHtml(alt)}">`;
  if (!c.phone) return `<figure>${img}</figure>`;
  const source =
    `<source media="(max-width: ${NARROW}px)" srcset="${escapeHtml(c.phone.src)}" ` +
    `width="${c.phone.width}" height="${c.phone.height}">`;
  return `<figure><picture>${source}${img}</picture></figure>`;
}

function tableHtml(b: Extract<Block, { kind: 'table' }>): string {
  const head = b.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = b.rows.map((r, i) => {
    const cells = r.map((c, j) => {
      const label = escapeHtml(b.headers[j] ?? '');
      return `<td data-label="${label}"${NUMERIC.test(c) ? ' class="num"' : ''}>${escapeHtml(c)}</td>`;
    });
    return `<tr${b.tones?.[i] ? ` class="${b.tones[i]}"` : ''}>${cells.join('')}</tr>`;
  });
  const cards = b.headers.length >= CARD_COLUMNS ? ' class="cards"' : '';
  const table = `<table${cards}><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `<div class="scroll">${table}</div>`;
}

function block(b: Block, chart: (id: string) => ChartImage): string {
  switch (b.kind) {
    case 'p':
      return `<p${b.tone ? ` class="${b.tone}"` : ''}>${escapeHtml(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'img':
      return image(chart(b.chartId), b.alt);
    case 'table':
      return tableHtml(b);
  }
}

/** One self-contained page: inline CSS, charts as data: URIs, no script, no network. */
export function renderHtml(doc: ReportDocument, chart: (id: string) => ChartImage): string {
  const sections = doc.sections.map(
    (s) =>
      `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>` +
      `${s.blocks.map((b) => block(b, chart)).join('\n')}</section>`,
  );
  // short names: a title up to its colon ("Sensitivity: which input ..." -> "Sensitivity")
  const toc = doc.sections
    .map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title.split(':')[0]!)}</a>`)
    .join(' ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">\
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.title)}</title><style>${CSS}</style></head><body>
<h1>${escapeHtml(doc.title)}</h1><p class="sub">${escapeHtml(doc.subtitle)}</p>
<nav class="toc" aria-label="Sections">${toc}</nav>
${sections.join('\n')}
</body></html>
`;
}
