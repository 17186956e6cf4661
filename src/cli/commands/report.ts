import { Command } from 'commander';
import { lazyAction } from './lazy-action.ts';
import { CURRENCY_FLAG, dateFlag, REPORTS_OUT_FLAG } from '../flags.ts';

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
    .option(...REPORTS_OUT_FLAG)
    .option('--json', 'machine-readable summary')
    .option(...CURRENCY_FLAG)
    .action(lazyAction(() => import('./report.action.ts'), 'reportAction'));
}

export function dailyCommand(): Command {
  return new Command('daily')
    .description(
      "The daily job: take today's market data (the newest snapshot on or before today, today in config " +
        '`timezone`, default UTC; live ' +
        "collection arrives with `rigpivot collect`) and write today's report. `npm start` runs this.",
    )
    .option('--fleet <file>', 'fleet file (default: data/fleets/hive-like.json)')
    .option(...REPORTS_OUT_FLAG)
    .option('--json', 'machine-readable summary')
    .option('--no-alerts', 'do not evaluate or send alerts after the run (config `alerts`)')
    .option('--dry-run-alerts', 'print the alerts each target would receive (stderr) instead of sending')
    .option(...CURRENCY_FLAG)
    .action(lazyAction(() => import('./report.action.ts'), 'dailyAction'));
}
