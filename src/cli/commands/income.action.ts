import { Command } from 'commander';
import {
  openContext,
  openFleet,
  siteOrDefault,
  decide,
  loadSolver,
  incomeTable,
  fleetIncomeTables,
  type FleetSiteIncome,
  displayCurrency,
} from '../../engine/index.ts';
import { displayJson, moneyFormatter } from '../currency.ts';
import type { DisplayCurrency } from '../../domain/currency.ts';
import { printHorizon } from './horizon-table.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table } from '../format.ts';
import { PAID_USES } from '../../domain/uses.ts';
import type { Fleet, ModelIncome } from '../../domain/types.ts';
import { InputError } from '../../errors.ts';
import { toCsv, writeCsv, type CsvCell } from '../csv.ts';

interface IncomeOpts extends GlobalOpts {
  site?: string;
  fleet?: string;
  cmpPatched?: boolean;
  horizon?: number;
  csv?: boolean;
  out?: string;
}

/**
 * The site a fleet's horizon valuation is for when --site is not given: its only site, else an error. The
 * coin paths are valued at the fleet's margin, so the config's default site (none of the fleet's cards)
 * would mix two fleets' terms.
 */
function onlySite(fleet: Fleet | null, fleetFile: string | undefined): string | undefined {
  if (!fleet || fleetFile === undefined) return undefined;
  if (fleet.sites.length === 1) return fleet.sites[0]!.id;
  throw new InputError(
    '--site',
    `with --fleet and --horizon, name the site to value; the fleet's sites: ${fleet.sites.map((x) => x.id).join(', ')}`,
  );
}

export async function incomeAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<IncomeOpts>();
  const ctx = openContext(globals(o));
  const fleet = o.site !== undefined || o.fleet !== undefined ? openFleet(ctx, o.fleet) : null;
  if (o.horizon !== undefined) {
    const site = siteOrDefault(fleet, ctx.config, o.site ?? onlySite(fleet, o.fleet));
    // with a fleet, coin paths are one card at the margin of its decided allocation (as advise chooses)
    const networks = fleet ? decide(ctx, fleet, await loadSolver()).networks : undefined;
    return printHorizon(ctx, site, { fleet, days: o.horizon, cmpPatched: o.cmpPatched, networks }, o.json);
  }
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
  const dc = displayCurrency(ctx.snapshot, ctx.config, o.currency);
  if (o.json) return printIncomeJson(ctx.snapshot.date, fleet?.name, sites, groups[0]!, dc);
  for (const g of groups) printSite(ctx.snapshot.date, g, dc);
  if (dc.code !== 'USD') console.log(`Money in ${dc.code}: ${dc.note}. JSON and CSV stay in USD.`);
}

function printIncomeJson(
  snapshotDate: string,
  fleetName: string | undefined,
  sites: FleetSiteIncome[] | null,
  one: { site: unknown; models: ModelIncome[] },
  dc: DisplayCurrency,
): void {
  const unit = 'USD per device per day';
  const display = displayJson(dc, {}); // the rate (figures x perUsd); absent for USD
  if (sites) return printJson({ snapshotDate, fleet: fleetName, unit, sites, display });
  printJson({ snapshotDate, site: one.site, unit, models: one.models, display });
}

type Group = {
  site: { id?: string; name: string; tariffUsdPerKwh: number; pue: number };
  models: ModelIncome[];
};

function printSite(snapshotDate: string, g: Group, dc: DisplayCurrency): void {
  const money = moneyFormatter(dc);
  const { site, models: rows } = g;
  console.log(
    `Net income per device per day, site ${site.name} (${site.tariffUsdPerKwh} USD/kWh, PUE ` +
      `${site.pue}), snapshot ${snapshotDate}\n`,
  );
  const cell = (u: { eligible: boolean; netUsdPerDay: number }) =>
    u.eligible ? money(u.netUsdPerDay, 3) : 'n/a';
  console.log(
    table(
      ['model', ...PAID_USES.map((u) => `${u} ${dc.code}/day`), 'best', `margin ${dc.code}/day`],
      rows.map((r) => [
        r.modelId,
        ...PAID_USES.map((u) => cell(r.uses[u])),
        r.best,
        money(r.marginUsdPerDay, 3),
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
