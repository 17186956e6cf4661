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

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;\
margin:0 auto;max-width:1100px;padding:12px;color:#1d2330}
h1{font-size:1.5em;margin:.4em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #dde;padding-bottom:.2em}
.sub{color:#566}.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;font-size:.88em;margin:.6em 0}\
th,td{border:1px solid #dde;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f2f4f8}tr.warn td{background:#fff7e0}tr.bad td{background:#fde2e2;font-weight:600}
p.warn,p.bad{background:#fff7e0;border-left:4px solid #e0a800;padding:6px 10px}
img{max-width:100%;height:auto;display:block;margin:.8em 0;border:1px solid #eee}
@media print{body{max-width:none;font-size:11px}.scroll{overflow:visible}h2{page-break-after:avoid}\
img,table{page-break-inside:avoid}}
`;

function block(b: Block, chartSrc: (id: string) => string): string {
  switch (b.kind) {
    case 'p':
      return `<p${b.tone ? ` class="${b.tone}"` : ''}>${escapeHtml(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'img':
      return `<img src="${escapeHtml(chartSrc(b.chartId))}" alt="${escapeHtml(b.alt)}">`;
    case 'table': {
      const head = b.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
      const rows = b.rows.map((r, i) => {
        const cells = r.map((c) => `<td>${escapeHtml(c)}</td>`).join('');
        return `<tr${b.tones?.[i] ? ` class="${b.tones[i]}"` : ''}>${cells}</tr>`;
      });
      const table = `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
      return `<div class="scroll">${table}</div>`;
    }
  }
}

/** One self-contained page: inline CSS, charts as data: URIs, no script, no network. */
export function renderHtml(doc: ReportDocument, chartSrc: (id: string) => string): string {
  const sections = doc.sections.map(
    (s) =>
      `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>` +
      `${s.blocks.map((b) => block(b, chartSrc)).join('\n')}</section>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">\
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.title)}</title><style>${CSS}</style></head><body>
<h1>${escapeHtml(doc.title)}</h1><p class="sub">${escapeHtml(doc.subtitle)}</p>
${sections.join('\n')}
</body></html>
`;
}
