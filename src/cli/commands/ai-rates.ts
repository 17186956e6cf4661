import { Command } from 'commander';
import { lazyAction } from './lazy-action.ts';
import { SNAPSHOT_DATE_FLAG } from '../flags.ts';

export function aiRatesCommand(): Command {
  return new Command('ai-rates')
    .description(
      'AI rental rate per catalogue model, USD per GPU-hour: the hyperscaler-equivalent after the ' +
        'discount, the marketplace median (community/marketplace quotes only, config ai.marketTiers), ' +
        'the secure-cloud list median shown apart (ai.listTiers), our rate and how it was reached.',
    )
    .option(...SNAPSHOT_DATE_FLAG)
    .option('--json', 'machine-readable output')
    .action(lazyAction(() => import('./ai-rates.action.ts'), 'aiRatesAction'));
}
