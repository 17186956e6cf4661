import { localDate } from '../lib/time.ts';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Fleet } from '../domain/types.ts';
import type { Highs } from '../solve/highs.ts';
import { decide, type EngineContext } from './decide.ts';
import { composeReport } from './report-content.ts';
import { buildCharts, CHART_WIDTH, type ChartSpec } from '../report/charts.ts';
import { drawCharts } from './chart-draw.ts';
import { buildDocument } from '../report/document.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { renderHtml, type ChartImage } from '../report/html.ts';
import type { ReportData } from '../report/types.ts';
import { writeFolder } from '../store/files.ts';
import { InputError } from '../errors.ts';
import type { HistoryReader } from './history.ts';
import { computeSensitivity } from './sensitivity.ts';
import { checkFragility } from './fragility.ts';
import { computeRiskFor } from './risk.ts';
import { displayCurrency } from './currency.ts';
import { PAID_USES } from '../domain/uses.ts';

export interface ReportRun {
  dir: string;
  files: string[];
  report: ReportData;
  warnings: string[];
}

/** Earlier reports in `root` (report.json of dated folders before `date`), oldest first. */
export function loadPreviousReports(
  root: string,
  date: string,
  max = 90,
): { reports: ReportData[]; warnings: string[] } {
  const warnings: string[] = [];
  // not a folder: no earlier reports (writing the new one then says why it cannot)
  if (!existsSync(root) || !statSync(root).isDirectory()) return { reports: [], warnings };
  const dates = readdirSync(root)
    .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d < date)
    .sort()
    .slice(-max);
  const reports: ReportData[] = [];
  for (const d of dates) {
    const f = join(root, d, 'report.json');
    if (!existsSync(f)) continue;
    try {
      const r = JSON.parse(readFileSync(f, 'utf8')) as ReportData;
      if (r.version === 1 && r.date === d) reports.push(r);
      else warnings.push(`${f}: not a version-1 report for ${d}; ignored`);
    } catch (e) {
      warnings.push(`${f}: unreadable (${(e as Error).message}); ignored`);
    }
  }
  return { reports, warnings };
}

/**
 * Decide, build and write reports/<date>/ (report.html, report.md, report.json, charts/*.png).
 * The folder is written in a temporary sibling and renamed into place: complete or not at all.
 */
export async function writeReport(
  ctx: EngineContext,
  fleet: Fleet,
  highs: Highs,
  outRoot: string,
  now: Date,
  history?: HistoryReader,
  o: {
    currency?: string;
    /** Threads drawing the chart PNGs (default: one per core, at most 4; 1: this thread). */
    drawThreads?: number;
  } = {},
): Promise<ReportRun> {
  const date = ctx.date ?? ctx.snapshot.date;
  const display = displayCurrency(ctx.snapshot, ctx.config, o.currency); // before any work: no rate, no report
  const today = localDate(now, ctx.config.timezone); // the operator's date, not UTC's
  if (date > today) throw new InputError('--date', `${date} is in the future (today is ${today})`);
  const decision = decide(ctx, fleet, highs);
  const { reports: previous, warnings } = loadPreviousReports(outRoot, date);
  const fragility = checkFragility(ctx, fleet, highs, decision);
  const report = composeReport(ctx, decision, fleet, previous, now.toISOString(), fragility);
  if (display.code !== 'USD') report.display = display;
  if (history) {
    try {
      report.risk = computeRiskFor(
        ctx,
        history,
        decision.cells.map((c) => c.income).filter((i) => PAID_USES.some((u) => i.uses[u].eligible)),
      );
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      warnings.push(`risk bands left out: ${e.message}`);
    }
  }
  report.sensitivity = computeSensitivity(ctx, fleet, highs, { base: decision.totals });
  const charts = await reportCharts(report, o.drawThreads);
  const doc = buildDocument(report, charts.desktop);
  const files: Record<string, string | Uint8Array> = {
    'report.json': `${JSON.stringify(report, null, 1)}\n`,
    'report.md': renderMarkdown(doc, (id) => `charts/${id}.png`),
    'report.html': renderHtml(doc, (id) => charts.images.get(id)!),
    ...charts.files,
  };
  const dir = join(outRoot, date);
  writeFolder(dir, files); // complete or not at all; yesterday's folder survives a failed write
  return { dir, files: Object.keys(files), report, warnings };
}

/**
 * Every chart twice: at the desktop page width (1 pixel per CSS px, also the PNG a Markdown reader or a
 * printer gets) and laid out for a phone at 2 pixels per CSS px (charts/<id>.phone.png), each drawn at
 * the width it is shown instead of a 1000 px image shrunk to 4 px labels.
 */
async function reportCharts(
  report: ReportData,
  threads?: number,
): Promise<{
  desktop: ChartSpec[];
  images: Map<string, ChartImage>;
  files: Record<string, Uint8Array>;
}> {
  const desktop = buildCharts(report, CHART_WIDTH.desktop);
  const phone = buildCharts(report, CHART_WIDTH.phone);
  const pngs = await drawCharts(
    [...desktop.map((spec) => ({ spec, scale: 1 })), ...phone.map((spec) => ({ spec, scale: 2 }))],
    threads,
  );
  const [big, small] = [pngs.slice(0, desktop.length), pngs.slice(desktop.length)];
  const uri = (b: Buffer) => `data:image/png;base64,${b.toString('base64')}`;
  const images = new Map<string, ChartImage>();
  const files: Record<string, Uint8Array> = {};
  desktop.forEach((c, i) => {
    const p = phone[i]!;
    images.set(c.id, {
      src: uri(big[i]!),
      width: c.width,
      height: c.height,
      phone: { src: uri(small[i]!), width: p.width, height: p.height },
    });
    files[`charts/${c.id}.png`] = big[i]!;
    files[`charts/${c.id}.phone.png`] = small[i]!;
  });
  return { desktop, images, files };
}
