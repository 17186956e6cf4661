import { Command, Option } from 'commander';
import { lazyAction } from './lazy-action.ts';
import { numberFlag, type NumberRule } from '../flags.ts';
import type { GlobalOpts } from '../globals.ts';
import type { Coin } from '../../domain/types.ts';
import { COINS } from '../../domain/types.ts';
import { COIN_INFO } from '../../domain/coins.ts';

export type CalcOpts = GlobalOpts & {
  coin: Coin;
  hashrateMhs: number;
  difficulty?: number;
  blockReward?: number;
  height?: number;
  priceUsd?: number;
  poolFee?: number;
  minerDevFee?: number;
  uptime?: number;
  powerW?: number;
  electricityUsdKwh?: number;
  pue?: number;
};

/** The optional number flags, in help order: flag, help, accepted range (commander checks each). */
const NUMBER_FLAGS: [flag: string, help: string, rule: NumberRule][] = [
  [
    '--difficulty <d>',
    `network difficulty (${COINS.map((c) => `${c}: ${COIN_INFO[c].difficultyNote}`).join('; ')})`,
    { gt: 0, what: 'a difficulty > 0' },
  ],
  [
    '--block-reward <r>',
    'coins per block the miner can spend (ERG: net of EIP-27)',
    { min: 0, max: 1e6, what: 'coins per block, >= 0' },
  ],
  [
    '--height <h>',
    'block height; alone it sets the block reward from our schedule rules',
    { min: 0, max: 1e9, integer: true, what: 'a whole block height >= 0' },
  ],
  ['--price-usd <p>', 'coin price, USD per coin', { gt: 0, max: 1e7, what: 'a price in USD > 0' }],
  [
    '--pool-fee <f>',
    'pool fee as a fraction (0.02 = 2%); default config mining.poolFee',
    { min: 0, max: 0.5, what: 'a fraction between 0 and 0.5 (0.02 = 2%)' },
  ],
  [
    '--miner-dev-fee <f>',
    'miner software dev fee as a fraction; default config mining.minerDevFee',
    { min: 0, max: 0.5, what: 'a fraction between 0 and 0.5 (0.01 = 1%)' },
  ],
  [
    '--uptime <f>',
    'fraction of the day hashing; default config mining.uptime',
    { gt: 0, max: 1, what: 'a fraction > 0 and <= 1' },
  ],
  ['--power-w <w>', 'power draw of the miner at the card, W', { min: 0, max: 1e6, what: 'watts >= 0' }],
  [
    '--electricity-usd-kwh <e>',
    'electricity price, USD per kWh; default config defaultSite.tariffUsdPerKwh',
    { min: 0, max: 5, what: 'USD/kWh between 0 and 5' },
  ],
  [
    '--pue <x>',
    'facility overhead (facility W / IT W); default config defaultSite.pue',
    { min: 1, max: 3, what: 'a PUE between 1 and 3' },
  ],
];

export function calcCommand(): Command {
  const command = new Command('calc')
    .description(
      'What-if mining calculator for one miner, with the same rule and defaults as `income`: ' +
        'revenue = coins/day x uptime x price, fees = pool + miner dev fee, ' +
        'power = W x uptime x 24 h x tariff x PUE. Market inputs not given come from the embedded snapshot ' +
        '(or, for the block reward with --height, from our protocol rules); fees, uptime, tariff and PUE ' +
        'from config (mining.*, defaultSite.*); the output says which. It prices a hashrate, not a card: ' +
        'no VRAM check (see `income`).',
    )
    .addOption(
      new Option('--coin <coin>', COINS.map((c) => `${c} (${COIN_INFO[c].algorithmName})`).join(' or '))
        .choices(COINS)
        .makeOptionMandatory(),
    )
    .requiredOption(
      '--hashrate-mhs <n>',
      'your hashrate in MH/s',
      numberFlag({ gt: 0, max: 1e9, what: 'a hashrate in MH/s, > 0' }),
    );
  for (const [flag, help, rule] of NUMBER_FLAGS) command.option(flag, help, numberFlag(rule));
  return command
    .option('--json', 'machine-readable output')
    .action(lazyAction(() => import('./calc.action.ts'), 'calcAction'));
}
