import {
  computeHorizonValues,
  PATHS,
  type EngineContext,
  type HorizonOptions,
  type HorizonRow,
  type SiteTerms,
} from '../../engine/index.ts';
import { printJson, table, usd } from '../format.ts';

/** `income --horizon D`: per model, the value of each path over D days, the best, payback and sell date. */
export function printHorizon(ctx: EngineContext, site: SiteTerms, o: HorizonOptions, json?: boolean): void {
  const h = computeHorizonValues(ctx, site, o);
  if (json) return printJson({ ...h, unit: `USD per card over ${h.days} days` });
  console.log(
    `Value of each path per card over ${h.days} days from ${h.startDate}, site ${site.name} ` +
      `(${site.tariffUsdPerKwh} USD/kWh, PUE ${site.pue}), snapshot ${h.snapshotId}\n` +
      'Holding paths include the net resale at the horizon end; AI includes the re-hosting capex.\n' +
      `Coin paths (${h.mining.rule}): ${h.mining.method}.\n`,
  );
  console.log(
    table(
      [
        'model',
        'cards',
        ...PATHS.map((p) => `${p} USD`),
        'best',
        'AI capex',
        'payback d',
        'sell on',
        'resale now',
      ],
      h.rows.map(row),
    ),
  );
  if (h.takeOrPay)
    console.log(
      `\nTake-or-pay: minimum ${h.takeOrPay.minimumKw.toFixed(0)} kW, draw at the current allocation ` +
        `${h.takeOrPay.currentDrawKw.toFixed(0)} kW at the meter.`,
    );
  const anchors = h.rows.flatMap((r) => (r.resaleNow.anchor ? [r.resaleNow.anchor.date] : [])).sort();
  if (anchors.length)
    console.log(
      `\nResale now is an estimate (assumed): the last observed used-market price (from ` +
        `${anchors[0]!.slice(0, 7)}) projected +N months by one fitted depreciation rate, net of fees and ` +
        'logistics (per row: --json, rows[].resaleNow.monthsProjected and .method).',
    );
  console.log('\nWhy a path is not possible (n/a):');
  for (const r of h.rows)
    for (const p of PATHS)
      if (!r.valuation.paths[p].possible) console.log(`  ${r.modelId} ${p}: ${r.valuation.paths[p].reason}`);
  console.log('\nAssumptions:');
  for (const a of h.assumptions) console.log(`  - ${a}`);
}

function row(r: HorizonRow): string[] {
  const v = r.valuation;
  const ai = v.paths.AI;
  return [
    r.modelId,
    String(r.cards),
    ...PATHS.map((p) => (v.paths[p].possible ? usd(v.paths[p].valueUsd, 0) : 'n/a')),
    v.best,
    ai.possible ? usd(ai.capexUsd, 0) : '-',
    ai.paybackDays === undefined || ai.paybackDays === null ? '-' : ai.paybackDays.toFixed(0),
    v.sellDate ?? (r.resaleNow.netUsdPerCard === null ? '-' : 'later'),
    r.resaleNow.netUsdPerCard === null
      ? 'n/a'
      : `${usd(r.resaleNow.netUsdPerCard, 0)} (+${(r.resaleNow.monthsProjected ?? 0).toFixed(0)} mo)`,
  ];
}
