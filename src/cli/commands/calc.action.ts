import type { CalcOpts } from './calc.ts';
import { Command } from 'commander';
import { calculate, openContext } from '../../engine/index.ts';
import { globals } from '../globals.ts';
import { printJson, table, usd, qty } from '../format.ts';

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
        ['coins per day (after uptime, pool and dev fee)', qty(r.coinsPerDay), `${r.coin}/day`],
        ['block reward', qty(r.blockReward), `${r.coin}/block`],
        ['revenue (before fees)', usd(r.revenueUsdPerDay), 'USD/day'],
        ['fees (pool + miner dev)', usd(r.feesUsdPerDay), 'USD/day'],
        ['power cost', usd(r.powerCostUsdPerDay), 'USD/day'],
        ['profit (= income net)', usd(r.profitUsdPerDay), 'USD/day'],
        ['network hashrate', qty(r.networkHashrateHs / 1e12), 'TH/s'],
      ],
    ),
  );
  console.log('\nInputs');
  console.log(
    table(
      ['input', 'value', 'unit', 'from', 'as of', 'kind'],
      Object.entries(r.inputs).map(([k, v]) => [
        k,
        typeof v.value === 'number' ? qty(v.value) : String(v.value),
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
