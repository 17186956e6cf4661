import { Command } from 'commander';
import { lazyAction } from './lazy-action.ts';
import { numberFlag, REPORTS_OUT_FLAG } from '../flags.ts';

const HOW =
  'Targets, rules and thresholds come from the config file section `alerts`; each webhook URL is read ' +
  'from the environment variable its target names (urlEnv), never from a file. See README "Alerts".';

/** `rigpivot alerts [--dry-run] | test | log`. */
export function alertsCommand(): Command {
  return new Command('alerts')
    .description(
      'Evaluate the alert rules over what is on disk now (the newest report against the alert state; the ' +
        'newest collection run: failed sources, quarantined values) and send them to the webhooks; ' +
        '--dry-run prints exactly what each target would receive and sends nothing. `daily` and `collect` ' +
        `do this after each run (--no-alerts to skip). ${HOW}`,
    )
    .addHelpText(
      'after',
      '\nExit status: 0 sent (or nothing to send); 1 a delivery failed (see `rigpivot alerts log`); ' +
        '2 bad flags or config (no targets, a missing environment variable).',
    )
    .option('--dry-run', 'print what each target would receive; send nothing, log nothing')
    .option('--target <name>', 'only this target (name as configured; default: the kind)')
    .option(...REPORTS_OUT_FLAG)
    .option('--json', 'machine-readable output')
    .action(lazyAction(() => import('./alerts.action.ts'), 'alertsCheckAction'))
    .addCommand(
      new Command('test')
        .description('Send a test message to every target (or --target), to check the URLs and formats.')
        .option('--json', 'machine-readable output')
        .action(lazyAction(() => import('./alerts.action.ts'), 'alertsTestAction')),
    )
    .addCommand(
      new Command('log')
        .description(
          'What was sent: the newest deliveries from <data-dir>/alerts/sent.jsonl (time, run, target, ' +
            'status, attempts, HTTP status, alerts). URLs are never logged, only the variable naming them.',
        )
        .option(
          '--limit <n>',
          'how many deliveries (default 20)',
          numberFlag({ min: 1, max: 100_000, integer: true, what: 'a whole number of deliveries >= 1' }),
        )
        .option('--json', 'machine-readable output')
        .action(lazyAction(() => import('./alerts.action.ts'), 'alertsLogAction')),
    );
}
