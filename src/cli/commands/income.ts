import { Command } from 'commander';
import { dateFlag, numberFlag } from '../flags.ts';

export function incomeCommand(): Command {
  return new Command('income')
    .description(
      'Net USD per device per day for each use (RVN, ERG, AI rental) of every catalogue model at one ' +
        'site: revenue minus power (device W x 24 h x tariff x PUE), pool/platform fees and downtime; ' +
        'the best use and its margin over the runner-up, and why a use is not possible.',
    )
    .option(
      '--site <id>',
      'a site of the fleet file (default: the config default site, US industrial average tariff)',
    )
    .option('--fleet <file>', 'fleet file whose sites --site refers to (default: data/fleets/hive-like.json)')
    .option('--date <YYYY-MM-DD>', 'use the newest snapshot on or before this date', dateFlag)
    .option('--cmp-patched', 'price CMP cards as community-unlocked for AI')
    .option(
      '--horizon <days>',
      'value each path over this many days instead (mine each coin, re-host for AI, idle, sell now), ' +
        "USD per card; the fleet's site costs, take-or-pay and AI-ready servers apply (config horizon.days)",
      numberFlag({ min: 1, max: 3650, integer: true, what: 'a whole number of days, 1-3650' }),
    )
    .option('--json', 'machine-readable output')
    .action(async function (this: Command) {
      const { incomeAction } = await import('./income.action.ts');
      await incomeAction.call(this);
    });
}
