import { Command } from 'commander';
import {
  gainSentence,
  openContext,
  openFleet,
  operatorToday,
  writeReport,
  withHistory,
  loadSolver,
  DEFAULT_REPORTS_DIR,
  type ReportRun,
} from '../../engine/index.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, usd, num } from '../format.ts';
import { USES } from '../../domain/types.ts';
import { alertDaily, type AlertFlags } from '../alert-hooks.ts';
import { formatMoney } from '../../domain/currency.ts';

/** Where reports go: --out, else $RIGPIVOT_REPORTS_DIR, else reports/ beside data/. */
export function reportsRoot(out: string | undefined): string {
  return out ?? process.env.RIGPIVOT_REPORTS_DIR ?? DEFAULT_REPORTS_DIR;
}

export interface ReportOpts extends GlobalOpts {
  fleet?: string;
  out?: string;
  /** IANA zone in place of config `timezone` (schedule --tz). */
  tz?: string;
}

const openOptions = (o: ReportOpts, date?: string) => ({ ...globals({ ...o, date }), timezone: o.tz });

/** Shared by `report`, `daily` and `schedule`; `now` is the clock (injected by tests). */
export async function runReport(
  o: ReportOpts,
  date: string | undefined,
  now = new Date(),
): Promise<ReportRun> {
  const ctx = openContext(openOptions(o, date));
  const fleet = openFleet(ctx, o.fleet);
  const highs = await loadSolver();
  return withHistory(ctx.dataDir, (history) =>
    writeReport(ctx, fleet, highs, reportsRoot(o.out), now, history, { currency: o.currency }),
  );
}

/** The daily job at instant `now`: the report for the operator's date (config `timezone`, or --tz). */
export async function runDaily(o: ReportOpts, now = new Date()): Promise<ReportRun> {
  return runReport(o, operatorToday(openOptions(o), now), now);
}

export function printRun(run: ReportRun, json: boolean | undefined): void {
  for (const w of run.warnings) process.stderr.write(`rigpivot: warning: ${w}\n`);
  if (json)
    return printJson({
      dir: run.dir,
      files: run.files,
      date: run.report.date,
      snapshotId: run.report.snapshotId,
      netUsdPerDay: run.report.headline.netUsdPerDay,
      gain: run.report.moves?.gain ?? null,
      warnings: run.report.warnings,
      ...(run.report.display ? { display: run.report.display } : {}),
    });
  const h = run.report.headline;
  console.log(
    `Report for ${run.report.date} (market snapshot ${run.report.snapshotId}): ${run.dir}/report.html`,
  );
  // the decision first (the one gain figure, as the report states it), then the checks
  const moves = run.report.moves;
  if (moves) console.log(`  ${gainSentence(moves.gain, (x) => usd(x))}`);
  for (const w of run.report.warnings) console.log(`  CHECK: ${w}`);
  console.log(
    `  net ${usd(h.netUsdPerDay)}/day for ${num(h.devices)} devices; ` +
      USES.map((u) => `${u} ${num(h.byUse[u])}`).join(', '),
  );
  const dc = run.report.display;
  if (dc) console.log(`  in ${dc.code}: net ${formatMoney(h.netUsdPerDay, dc)}/day (${dc.note})`);
  console.log(
    `  also: report.md, report.json, ${run.files.filter((f) => /charts\/[^.]+\.png$/.test(f)).length} charts ` +
      'in charts/ (each also as <id>.phone.png, laid out for a phone)',
  );
  const old = run.report.inputs.filter((i) => i.tier === 'too-old').length;
  if (old) console.log(`  ${old} inputs are too old to act on without checking (see the Inputs section).`);
}

export async function reportAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<ReportOpts>();
  printRun(await runReport(o, o.date), o.json);
}

export async function dailyAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<ReportOpts & AlertFlags>();
  const run = await runDaily(o);
  printRun(run, o.json);
  await alertDaily(o, run); // never changes the exit status
}
