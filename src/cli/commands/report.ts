import { Command } from 'commander';
import {
  openContext,
  openFleet,
  operatorToday,
  writeReport,
  withHistory,
  loadSolver,
  DEFAULT_REPORTS_DIR,
  type ReportRun,
} from '../../engine/index.ts';
import { dateFlag } from '../flags.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson } from '../format.ts';
import { USES } from '../../domain/types.ts';

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
    writeReport(ctx, fleet, highs, reportsRoot(o.out), now, history),
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
      warnings: run.report.warnings,
    });
  const h = run.report.headline;
  console.log(
    `Report for ${run.report.date} (market snapshot ${run.report.snapshotId}): ${run.dir}/report.html`,
  );
  for (const w of run.report.warnings) console.log(`  CHECK: ${w}`);
  console.log(
    `  net $${h.netUsdPerDay.toFixed(2)}/day for ${h.devices} devices; ` +
      USES.map((u) => `${u} ${h.byUse[u]}`).join(', '),
  );
  console.log(
    `  also: report.md, report.json, ${run.files.filter((f) => f.endsWith('.png')).length} charts in charts/`,
  );
  const old = run.report.inputs.filter((i) => i.tier === 'too-old').length;
  if (old) console.log(`  ${old} inputs are too old to act on without checking (see the Inputs section).`);
}

export function reportCommand(): Command {
  return new Command('report')
    .description(
      'Write the daily report to <out>/<date>/: report.html (self-contained), report.md, report.json ' +
        'and charts/*.png: the allocation, per-model incomes, break-evens, inputs with provenance and ' +
        'freshness, the counterfactual, coming reward steps and VRAM cut-offs.',
    )
    .option(
      '--date <YYYY-MM-DD>',
      "report day (uses the newest snapshot on or before it); default: the newest snapshot's day",
      dateFlag,
    )
    .option('--fleet <file>', 'fleet file (default: data/fleets/hive-like.json)')
    .option('--out <dir>', 'reports folder (default: $RIGPIVOT_REPORTS_DIR or reports/)')
    .option('--json', 'machine-readable summary')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals<ReportOpts>();
      printRun(await runReport(o, o.date), o.json);
    });
}

export function dailyCommand(): Command {
  return new Command('daily')
    .description(
      "The daily job: take today's market data (the newest snapshot on or before today, today in config " +
        '`timezone`, default UTC; live ' +
        "collection arrives with `rigpivot collect`) and write today's report. `npm start` runs this.",
    )
    .option('--fleet <file>', 'fleet file (default: data/fleets/hive-like.json)')
    .option('--out <dir>', 'reports folder (default: $RIGPIVOT_REPORTS_DIR or reports/)')
    .option('--json', 'machine-readable summary')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals<ReportOpts>();
      printRun(await runDaily(o), o.json);
    });
}
