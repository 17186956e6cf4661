import { Command } from 'commander';
import { openContext, aiRateTable } from '../../engine/index.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table, usd } from '../format.ts';
import { AI_RATE_METHODS } from '../../domain/ai.ts';

export async function aiRatesAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<GlobalOpts>();
  const ctx = openContext(globals(o));
  const rows = aiRateTable(ctx);
  if (o.json) return printJson({ snapshotDate: ctx.snapshot.date, unit: 'USD per GPU-hour', models: rows });
  const median = (x: number | null, n: number) => (x === null ? '-' : `${usd(x, 3)} (${n})`);
  console.log(`AI rental rates, USD per GPU-hour, snapshot ${ctx.snapshot.date}\n`);
  console.log(
    table(
      [
        'model',
        'class',
        'hyperscaler-eq.',
        'marketplace median (n)',
        'secure-cloud list median (n)',
        'our rate',
        'method',
        'rentable',
      ],
      rows.map((r) => [
        r.model,
        r.aiClass,
        usd(r.askingUsdPerGpuHour, 3),
        median(r.marketMedianUsdPerGpuHour, r.marketQuotes),
        median(r.listMedianUsdPerGpuHour, r.listQuotes),
        usd(r.rateUsdPerGpuHour, 3),
        r.method,
        r.rentable ? 'yes' : 'no',
      ]),
    ),
  );
  console.log(
    `\nMarketplace median: tiers ${ctx.config.ai.marketTiers.join(', ')} (what an ex-mining host clears at).` +
      `\nSecure-cloud list median: tiers ${ctx.config.ai.listTiers.join(', ')}, shown apart.` +
      `\nMethods: ${Object.entries(AI_RATE_METHODS)
        .map(([k, v]) => `${k} = ${v}`)
        .join('; ')}.` +
      '\nWhy a card is not rentable, and every quote with its source: --json, rigpivot advise --json "inputs".',
  );
}
