import { Command } from 'commander';
import {
  openContext,
  openFleet,
  siteOrDefault,
  incomeTable,
  fleetIncomeTables,
  type FleetSiteIncome,
} from '../../engine/index.ts';
import { dateFlag, numberFlag } from '../flags.ts';
import { printHorizon } from './horizon-table.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table, usd } from '../format.ts';
import { PAID_USES } from '../../domain/uses.ts';
import type { ModelIncome } from '../../domain/types.ts';
import { toCsv, writeCsv, type CsvCell } from '../csv.ts';

interface IncomeOpts extends GlobalOpts {
  site?: string;
  fleet?: string;
  cmpPatched?: boolean;
  horizon?: number;
  csv?: boolean;
  out?: string;
}

export function incomeCommand(): Command {
  return new Command('income')
    .description(
      'Net USD per device per day for each use (RVN, ERG, AI rental): revenue minus power (device W x ' +
        '24 h x tariff x PUE), pool/platform fees and downtime; the best use and its margin over the ' +
        'runner-up, and why a use is not possible. Without --fleet: every catalogue model at one site; ' +
        "with --fleet: the fleet's own models at each of its sites (or --site).",
    )
    .option(
      '--site <id>',
      'a site of the fleet file (default: every fleet site, or without --fleet the config default site)',
    )
    .option('--fleet <file>', 'fleet file: price its own models at its own sites')
    .option('--date <YYYY-MM-DD>', 'use the newest snapshot on or before this date', dateFlag)
    .option('--cmp-patched', 'price CMP cards as community-unlocked for AI')
    .option(
      '--horizon <days>',
      'value each path over this many days instead (mine each coin, re-host for AI, idle, sell now), ' +
        "USD per card; the fleet's site costs, take-or-pay and AI-ready servers apply (config horizon.days)",
      numberFlag({ min: 1, max: 3650, integer: true, what: 'a whole number of days, 1-3650' }),
    )
    .option('--json', 'machine-readable output')
    .option('--csv', 'one CSV table, a row per site x model (RFC 4180, units in the column names)')
    .option('--out <file>', 'with --csv: write the CSV here instead of stdout')
    .action(function (this: Command) {
      const o = this.optsWithGlobals<IncomeOpts>();
      const ctx = openContext(globals(o));
      const fleet = o.site !== undefined || o.fleet !== undefined ? openFleet(ctx, o.fleet) : null;
      if (o.horizon !== undefined)
        return printHorizon(
          ctx,
          siteOrDefault(fleet, ctx.config, o.site),
          { fleet, days: o.horizon, cmpPatched: o.cmpPatched },
          o.json,
        );
      if (o.site !== undefined) siteOrDefault(fleet, ctx.config, o.site); // unknown --site: exit 2, named
      const sites: FleetSiteIncome[] | null =
        fleet && o.fleet !== undefined
          ? fleetIncomeTables(ctx, fleet, { siteId: o.site, cmpPatched: o.cmpPatched })
          : null;
      const site = siteOrDefault(fleet, ctx.config, o.site);
      const groups = sites ?? [
        {
          site,
          models: incomeTable(ctx, site, { customModels: fleet?.customModels, cmpPatched: o.cmpPatched }).map(
            (r) => ({ ...r, cmpPatched: o.cmpPatched ?? false }),
          ),
        },
      ];
      if (o.csv) return writeCsv(incomeCsv(ctx.snapshot.date, groups), o.out);
      if (o.json) return printIncomeJson(ctx.snapshot.date, fleet?.name, sites, groups[0]!);
      for (const g of groups) printSite(ctx.snapshot.date, g);
    });
}

function printIncomeJson(
  snapshotDate: string,
  fleetName: string | undefined,
  sites: FleetSiteIncome[] | null,
  one: { site: unknown; models: ModelIncome[] },
): void {
  const unit = 'USD per device per day';
  if (sites) return printJson({ snapshotDate, fleet: fleetName, unit, sites });
  printJson({ snapshotDate, site: one.site, unit, models: one.models });
}

type Group = {
  site: { id?: string; name: string; tariffUsdPerKwh: number; pue: number };
  models: ModelIncome[];
};

function printSite(snapshotDate: string, g: Group): void {
  const { site, models: rows } = g;
  console.log(
    `Net income per device per day, site ${site.name} (${site.tariffUsdPerKwh} USD/kWh, PUE ` +
      `${site.pue}), snapshot ${snapshotDate}\n`,
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
  console.log('');
}

/** The income CSV: one row per site x model; a use's net is empty where the use is not possible. */
export function incomeCsv(snapshotDate: string, groups: Group[]): string {
  const headers = [
    'snapshot_date',
    'site_id',
    'site_name',
    'tariff_usd_per_kwh',
    'pue',
    'model_id',
    'model_name',
    'cmp_patched',
    'count',
    ...PAID_USES.flatMap((u) => [
      `${u}_net_usd_per_day`,
      `${u}_revenue_usd_per_day`,
      `${u}_power_cost_usd_per_day`,
    ]),
    'best_use',
    'margin_usd_per_day',
    'runner_up_use',
  ];
  const rows: CsvCell[][] = groups.flatMap((g) =>
    g.models.map((r) => {
      const extra = r as ModelIncome & { cmpPatched?: boolean; count?: number };
      return [
        snapshotDate,
        g.site.id ?? r.siteId,
        g.site.name,
        g.site.tariffUsdPerKwh,
        g.site.pue,
        r.modelId,
        r.modelName,
        extra.cmpPatched,
        extra.count,
        ...PAID_USES.flatMap((u) => {
          const x = r.uses[u];
          return x.eligible ? [x.netUsdPerDay, x.revenueUsdPerDay, x.powerCostUsdPerDay] : [null, null, null];
        }),
        r.best,
        r.marginUsdPerDay,
        r.runnerUp,
      ];
    }),
  );
  return toCsv(headers, rows);
}
