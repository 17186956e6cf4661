import { Command } from 'commander';
import { openContext, openFleet, siteOrDefault, incomeTable } from '../../engine/index.ts';
import { printHorizon } from './horizon-table.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table, usd } from '../format.ts';
import { PAID_USES } from '../../domain/uses.ts';

export async function incomeAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<
    GlobalOpts & { site?: string; fleet?: string; cmpPatched?: boolean; horizon?: number }
  >();
  const ctx = openContext(globals(o));
  const fleet = o.site !== undefined || o.fleet !== undefined ? openFleet(ctx, o.fleet) : null;
  const site = siteOrDefault(fleet, ctx.config, o.site);
  if (o.horizon !== undefined)
    return printHorizon(ctx, site, { fleet, days: o.horizon, cmpPatched: o.cmpPatched }, o.json);
  const rows = incomeTable(ctx, site, { customModels: fleet?.customModels, cmpPatched: o.cmpPatched });
  if (o.json)
    return printJson({
      snapshotDate: ctx.snapshot.date,
      site,
      unit: 'USD per device per day',
      models: rows,
    });
  console.log(
    `Net income per device per day, site ${site.name} (${site.tariffUsdPerKwh} USD/kWh, PUE ` +
      `${site.pue}), snapshot ${ctx.snapshot.date}\n`,
  );
  const cell = (u: { eligible: boolean; netUsdPerDay: number }) =>
    u.eligible ? usd(u.netUsdPerDay, 3) : 'n/a';
  console.log(
    table(
      ['model', ...PAID_USES.map((u) => `${u} USD/day`), 'best', 'margin USD/day'],
      rows.map((r) => [
        r.modelId,
        ...PAID_USES.map((u) => cell(r.uses[u])),
        r.best,
        usd(r.marginUsdPerDay, 3),
      ]),
    ),
  );
  console.log('\nWhy a use is not possible (n/a):');
  for (const r of rows)
    for (const u of PAID_USES)
      if (!r.uses[u].eligible) console.log(`  ${r.modelId} ${u}: ${r.uses[u].reason}`);
}
