import { Command } from 'commander';
import { dateFlag } from '../flags.ts';

export function aiRatesCommand(): Command {
  return new Command('ai-rates')
    .description(
      'AI rental rate per catalogue model, USD per GPU-hour: the hyperscaler-equivalent after the ' +
        'discount, the marketplace median (community/marketplace quotes only, config ai.marketTiers), ' +
        'the secure-cloud list median shown apart (ai.listTiers), our rate and how it was reached.',
    )
    .option('--date <YYYY-MM-DD>', 'use the newest snapshot on or before this date', dateFlag)
    .option('--json', 'machine-readable output')
    .action(async function (this: Command) {
      const { aiRatesAction } = await import('./ai-rates.action.ts');
      await aiRatesAction.call(this);
    });
}
