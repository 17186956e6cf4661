import { Command } from 'commander';
import { openContext, openFleet, siteOrDefault, incomeTable } from '../../engine/index.ts';
import { dateFlag, numberFlag } from '../flags.ts';
import { printHorizon } from './horizon-table.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table, usd } from '../format.ts';
import { PAID_USES } from '../../domain/uses.ts';

export function incomeCommand(): Command {
  return new Command('income')
    .description(
      'Net USD per device per day for each use (RVN, ERG, AI rental) of every catalogue model at one ' +
        'site: revenue minus power (device W x 24 h x tariff x PUE), pool/platform fees and downtime; ' +
        'the best use and its margin over the runner-up, and why a use is not possible.',
    )
    .option(
      '--site <id>',
      'a site of the fleet file (default: the config default site, US industrial average tariff)',
    )
    .option('--fleet <file>', 'fleet file whose sites --site refers to (default: data/fleets/hive-like.json)')
    .option('--date <YYYY-MM-DD>', 'use the newest snapshot on or before this date', dateFlag)
    .option('--cmp-patched', 'price CMP cards as community-unlocked for AI')
    .option(
      '--horizon <days>',
      'value each path over this many days instead (mine each coin, re-host for AI, idle, sell now), ' +
        "USD per card; the fleet's site costs, take-or-pay and AI-ready servers apply (config horizon.days)",
      numberFlag({ min: 1, max: 3650, integer: true, what: 'a whole number of days, 1-3650' }),
    )
    .option('--json', 'machine-readable output')
    .action(function (this: Command) {
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
    });
}
