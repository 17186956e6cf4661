import { Command } from 'commander';
import { lazyAction } from './lazy-action.ts';

export function assumptionsCommand(): Command {
  return new Command('assumptions')
    .description(
      'Every model assumption in force (after --config and --set): key, value, unit and why. Change ' +
        'one with --set key=value.',
    )
    .option('--json', 'machine-readable output')
    .action(lazyAction(() => import('./assumptions.action.ts'), 'assumptionsAction'));
}
