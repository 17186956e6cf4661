import { Command } from 'commander';
import { lazyAction } from './lazy-action.ts';
import { HTTP_LIMITS_ENV } from '../../config/sources.ts';
import { dateFlag } from '../flags.ts';

export function collectCommand(): Command {
  return new Command('collect')
    .description(
      'Collect a day of market data into the history store and write its snapshot ' +
        '(<data-dir>/snapshots/<date>.json). Offline by default: loads the embedded snapshot and the ' +
        'shipped price history; every input keeps its own as-of date, so a snapshot written today from ' +
        'old data stays old. --live calls the real endpoints (WhatToMine, CoinGecko, Ergo, Ravencoin RPC, ' +
        'Azure, AWS, marketplace file/URL; endpoints and credentials from RIGPIVOT_* variables) and prints ' +
        'one line per source to stderr as it finishes (ok/failed/skipped, reason, duration). ' +
        `Limits per request to a source (redirects stay on its host): ${Object.entries(HTTP_LIMITS_ENV)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ')}.`,
    )
    .addHelpText(
      'after',
      '\nExit status: 0 done; 3 partial (--live: at least one source failed and at least one succeeded); ' +
        '1 no live source succeeded (every one failed or is not configured), or the snapshot could not be ' +
        'built; 2 bad flags. A failed alert delivery is a warning and does not change it.',
    )
    .option('--live', 'call the real endpoints')
    .option(
      '--source <names>',
      'comma-separated sources to run with --live (names as `rigpivot sources` lists them)',
      (v: string) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
    )
    .option('--date <YYYY-MM-DD>', 'day to collect for (default: today)', dateFlag)
    .option('--json', 'machine-readable output')
    .option('--no-alerts', 'do not evaluate or send alerts after the collection (config `alerts`)')
    .option('--dry-run-alerts', 'print the alerts each target would receive (stderr) instead of sending')
    .action(lazyAction(() => import('./collect.action.ts'), 'collectAction'));
}

export function sourcesCommand(): Command {
  return new Command('sources')
    .description(
      'Each source: whether it is configured, its last successful collection, the as-of date of the newest ' +
        "dated figure it delivered, that figure's age and freshness tier, and the last error.",
    )
    .option('--json', 'machine-readable output')
    .action(lazyAction(() => import('./collect.action.ts'), 'sourcesAction'));
}

export function importHistoryCommand(): Command {
  return new Command('import-history')
    .description(
      'Load the real histories shipped in data/history/ (RVN daily 2018-2026, ERG daily 2019-2023 and ' +
        'samples to 2024, cloud GPU price tables 2022-2025; RVN and ERG network difficulty 2018-2026 ' +
        'as series coin.difficulty, with the points left out of it in coin.difficulty.excluded; see ' +
        'data/SOURCES.md) into the history store. Safe to repeat.',
    )
    .option('--json', 'machine-readable output')
    .action(lazyAction(() => import('./collect.action.ts'), 'importHistoryAction'));
}
