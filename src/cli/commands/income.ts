import { Command } from 'commander';
import { lazyAction } from './lazy-action.ts';
import { CURRENCY_FLAG, numberFlag, SNAPSHOT_DATE_FLAG } from '../flags.ts';

export function incomeCommand(): Command {
  return new Command('income')
    .description(
      'Net USD per device per day for each use (RVN, ERG, AI rental): revenue minus power (device W x ' +
        '24 h x tariff x PUE), pool/platform fees and downtime; the best use and its margin over the ' +
        'runner-up, and why a use is not possible. Without --fleet: every catalogue model at one site; ' +
        "with --fleet: the fleet's own models at each of its sites (or --site).",
    )
    .option(
      '--site <id>',
      'a site of the fleet file (default: every fleet site, or without --fleet the config default site)',
    )
    .option('--fleet <file>', 'fleet file: price its own models at its own sites')
    .option(...SNAPSHOT_DATE_FLAG)
    .option('--cmp-patched', 'price CMP cards as community-unlocked for AI')
    .option(
      '--horizon <days>',
      'value each path over this many days instead (mine each coin, re-host for AI, idle, sell now), ' +
        "USD per card; the fleet's site costs, take-or-pay and AI-ready servers apply (config horizon.days)",
      numberFlag({ min: 1, max: 3650, integer: true, what: 'a whole number of days, 1-3650' }),
    )
    .option('--json', 'machine-readable output')
    .option(...CURRENCY_FLAG)
    .option('--csv', 'one CSV table, a row per site x model (RFC 4180, units in the column names)')
    .option('--out <file>', 'with --csv: write the CSV here instead of stdout')
    .action(lazyAction(() => import('./income.action.ts'), 'incomeAction'));
}
