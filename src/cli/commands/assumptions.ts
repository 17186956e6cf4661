import { Command } from 'commander';

export function assumptionsCommand(): Command {
  return new Command('assumptions')
    .description(
      'Every model assumption in force (after --config and --set): key, value, unit and why. Change ' +
        'one with --set key=value.',
    )
    .option('--json', 'machine-readable output')
    .action(async function (this: Command) {
      const { assumptionsAction } = await import('./assumptions.action.ts');
      await assumptionsAction.call(this);
    });
}
