import type { CalcOpts } from './calc.ts';
import { Command } from 'commander';
import { calculate, openContext } from '../../engine/index.ts';
import { globals } from '../globals.ts';
import { printJson, table, usd, num } from '../format.ts';

export async function calcAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<CalcOpts>();
  const ctx = openContext(globals(o));
  const r = calculate(
    {
      coin: o.coin,
      hashrateMhs: o.hashrateMhs,
      difficulty: o.difficulty,
      blockReward: o.blockReward,
      height: o.height,
      priceUsd: o.priceUsd,
      poolFee: o.poolFee,
      minerDevFee: o.minerDevFee,
      uptime: o.uptime,
      powerW: o.powerW,
      pue: o.pue,
      electricityUsdKwh: o.electricityUsdKwh,
    },
    ctx.snapshot,
    ctx.config,
  );
  if (o.json) return printJson(r);
  console.log(`${r.coin} mining calculator (snapshot ${r.snapshotDate})\n`);
  console.log(
    table(
      ['result', 'value', 'unit'],
      [
        ['coins per day (after uptime, pool and dev fee)', num(r.coinsPerDay, 6), `${r.coin}/day`],
        ['block reward', num(r.blockReward, 4), `${r.coin}/block`],
        ['revenue (before fees)', usd(r.revenueUsdPerDay, 4), 'USD/day'],
        ['fees (pool + miner dev)', usd(r.feesUsdPerDay, 4), 'USD/day'],
        ['power cost', usd(r.powerCostUsdPerDay, 4), 'USD/day'],
        ['profit (= income net)', usd(r.profitUsdPerDay, 4), 'USD/day'],
        ['network hashrate', num(r.networkHashrateHs / 1e12, 3), 'TH/s'],
      ],
    ),
  );
  console.log('\nInputs');
  console.log(
    table(
      ['input', 'value', 'unit', 'from', 'as of', 'kind'],
      Object.entries(r.inputs).map(([k, v]) => [
        k,
        String(v.value),
        v.unit,
        v.origin,
        v.asOf ?? '-',
        v.kind ?? '-',
      ]),
    ),
  );
  for (const [k, v] of Object.entries(r.inputs))
    if (v.kind === 'assumed')
      console.log(`\nNote: ${k} is an ASSUMPTION, not an observation: ${v.method ?? ''}`);
}
