import { Command } from 'commander';
import { lazyAction } from './lazy-action.ts';
import { CURRENCY_FLAG, SNAPSHOT_DATE_FLAG } from '../flags.ts';

export function adviseCommand(): Command {
  return new Command('advise')
    .description(
      'Recommended allocation of a fleet (GPUs per site to RVN, ERG, AI or idle), maximising expected ' +
        'net USD/day under site power caps (kW), AI demand caps (GPUs per VRAM class) and switching ' +
        'costs, solved with HiGHS; with shadow prices (USD/day for one more kW per site, one more AI ' +
        'customer per class).',
    )
    .option('--fleet <file>', 'fleet file (default: data/fleets/hive-like.json)')
    .option(...SNAPSHOT_DATE_FLAG)
    .option('--json', 'machine-readable output')
    .option(...CURRENCY_FLAG)
    .option('--csv', 'one CSV table, a row per site x model (RFC 4180, units in the column names)')
    .option('--out <file>', 'with --csv: write the CSV here instead of stdout')
    .action(lazyAction(() => import('./advise.action.ts'), 'adviseAction'));
}
