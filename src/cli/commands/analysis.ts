import { Command, InvalidArgumentError } from 'commander';
import { lazyAction } from './lazy-action.ts';
import { POLICIES, RISK_DEFAULTS, type PolicyName } from '../../engine/names.ts';
import { dateFlag, numberFlag, SNAPSHOT_DATE_FLAG } from '../flags.ts';

function policiesFlag(raw: string): PolicyName[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of list)
    if (!(POLICIES as readonly string[]).includes(p))
      throw new InvalidArgumentError(`unknown policy "${p}"; policies: ${POLICIES.join(', ')}`);
  return list as PolicyName[];
}

export function backtestCommand(): Command {
  return new Command('backtest')
    .description(
      'Replay a fleet day by day with the real decision code and score policies (always-RVN, ' +
        'always-ERG, always-AI, mining-optimum, daily-optimum, hysteresis): total and per-GPU net USD, ' +
        'GPU moves, switching cost, worst month, a cumulative-income chart. Inputs on day t are only ' +
        'those dated on or before t: real coin prices, real RVN difficulty (KawPow era), ERG difficulty ' +
        'between its real points by a parity model (leave-one-out error printed), AI rental prices from ' +
        'the newest dated price table. A policy is refused on days without the inputs it needs, with ' +
        'the reason.',
    )
    .option(
      '--from <YYYY-MM-DD>',
      'first day (default 2021-01-01: RVN difficulty is real from 2020-05-08, ERG from 2021-04-20)',
      dateFlag,
      '2021-01-01',
    )
    .option(
      '--to <YYYY-MM-DD>',
      'last day (default 2024-02-29: the last ERG daily price)',
      dateFlag,
      '2024-02-29',
    )
    .option('--fleet <file>', 'fleet file (default: data/fleets/hive-like.json)')
    .option('--policy <list>', `comma-separated policies (default all: ${POLICIES.join(', ')})`, policiesFlag)
    .option(
      '--out <dir>',
      'write backtest.json and cumulative.png to <dir>/backtest-<from>_<to>/ (default: reports/)',
    )
    .option('--json', 'machine-readable output')
    .option(
      '--csv',
      'print one CSV table to stdout, a row per policy x day (RFC 4180, units in the column names); ' +
        'backtest.csv is also written beside backtest.json',
    )
    .action(lazyAction(() => import('./analysis.action.ts'), 'backtestAction'));
}

export function riskCommand(): Command {
  return new Command('risk')
    .description(
      'Monte Carlo of net income per device over a horizon for every catalogue model: mining revenue ' +
        'per hash moved by seeded block-bootstrapped real daily changes of price and difficulty (both ' +
        'coins on the same dates), AI utilisation drawn within ai.utilisation +- ai.utilisationSpread ' +
        '(rental price flat); P10/P50/P90 per use and the probability that AI rental beats the better ' +
        'mining use.',
    )
    .option(
      '--paths <n>',
      'simulated paths',
      numberFlag({ min: 100, max: 1_000_000, integer: true, what: 'an integer from 100 to 1,000,000' }),
      RISK_DEFAULTS.paths,
    )
    .option(
      '--horizon <days>',
      'days',
      numberFlag({ min: 1, max: 3650, integer: true, what: 'an integer from 1 to 3650' }),
      RISK_DEFAULTS.horizonDays,
    )
    .option(
      '--block <days>',
      'bootstrap block length',
      numberFlag({ min: 1, max: 365, integer: true, what: 'an integer from 1 to 365' }),
      RISK_DEFAULTS.blockDays,
    )
    .option(
      '--seed <n>',
      'random seed',
      numberFlag({ min: 0, max: 2 ** 31 - 1, integer: true, what: 'a non-negative integer' }),
      RISK_DEFAULTS.seed,
    )
    .option('--site <id>', 'a site of the fleet file (default: the config default site)')
    .option('--fleet <file>', 'fleet file whose sites --site refers to')
    .option('--json', 'machine-readable output')
    .action(lazyAction(() => import('./analysis.action.ts'), 'riskAction'));
}

export function forecastCommand(): Command {
  return new Command('forecast')
    .description(
      'Known schedule changes (RVN halvings, ERG emission steps and re-emission), the date each model loses ' +
        "each coin (KawPow DAG and Autolykos table growth), and each model's net income per use summed over " +
        'the next 90 and 180 days under flat prices.',
    )
    .option('--site <id>', 'a site of the fleet file (default: the config default site)')
    .option(
      '--fleet <file>',
      "fleet file whose sites --site refers to; mining income is then a card of this fleet's (its network share)",
    )
    .option(...SNAPSHOT_DATE_FLAG)
    .option('--json', 'machine-readable output')
    .action(lazyAction(() => import('./analysis.action.ts'), 'forecastAction'));
}

export function sensitivityCommand(): Command {
  return new Command('sensitivity')
    .description(
      'Tornado: which input moves fleet income most. Each input the operator does not control ' +
        '(RVN/ERG price and difficulty, electricity tariff, AI rental price, AI utilisation, AI demand) ' +
        'moves alone by -step and +step; the fleet is re-optimised by the same solver each time. ' +
        'Writes sensitivity.json and tornado.png.',
    )
    .option('--fleet <file>', 'fleet file (default: data/fleets/hive-like.json)')
    .option(...SNAPSHOT_DATE_FLAG)
    .option(
      '--step <fraction>',
      'relative move of each input',
      numberFlag({ gt: 0, max: 0.9, what: 'a fraction > 0 and <= 0.9' }),
      0.2,
    )
    .option('--out <dir>', 'write to <dir>/sensitivity-<date>/ (default: reports/)')
    .option('--json', 'machine-readable output')
    .action(lazyAction(() => import('./analysis.action.ts'), 'sensitivityAction'));
}
