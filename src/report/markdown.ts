import type { ReportDocument, Block } from './document.ts';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function block(b: Block, chartFile: (id: string) => string): string {
  switch (b.kind) {
    case 'p':
      return b.tone === 'warn' || b.tone === 'bad' ? `> **Check:** ${b.text}` : b.text;
    case 'list':
      return b.items.map((i) => `- ${i}`).join('\n');
    case 'img':
      return `![${b.alt}](${chartFile(b.chartId)})`;
    case 'table': {
      const mark = (i: number) =>
        b.tones?.[i] === 'bad' ? ' **(too old)**' : b.tones?.[i] === 'warn' ? ' *(check)*' : '';
      return [
        `| ${b.headers.map(esc).join(' | ')} |`,
        `|${b.headers.map(() => '---').join('|')}|`,
        ...b.rows.map((r, i) => `| ${r.map(esc).join(' | ')}${mark(i)} |`),
      ].join('\n');
    }
  }
}

export function renderMarkdown(doc: ReportDocument, chartFile: (id: string) => string): string {
  return (
    [
      `# ${doc.title}`,
      doc.subtitle,
      ...doc.sections.map((s) => [`## ${s.title}`, ...s.blocks.map((b) => block(b, chartFile))].join('\n\n')),
    ].join('\n\n') + '\n'
  );
}
