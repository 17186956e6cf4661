import type { DeviceModel, Fleet, FleetEntry, TakeOrPay } from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import type { DepreciationFit, ResaleTable, ResaleValue } from '../domain/resale.ts';
import { loadResaleTable } from '../store/resale.ts';
import { fitDepreciation, projectResale, resaleNetCurve } from '../analysis/resale.ts';
import { sellUsdPerDay } from '../model/paths.ts';
import { HOURS_PER_DAY } from '../lib/num.ts';

/** What the allocation needs of the horizon for one fleet entry (one card of it). */
export interface EntryHorizon {
  /** Net resale per card now and at the horizon's end, USD (null: the model has no price). */
  resaleNowUsd: number | null;
  resaleEndUsd: number | null;
  resale: ResaleValue;
  /** Sell option: (now - end) / days + the fixed cost a sale saves, USD/day (null: cannot be sold here). */
  sellUsdPerDay: number | null;
  /** Capex to move one card that is not AI-ready into an AI server, USD. */
  rehostCapexUsd: number;
  /** The card's share of its site's fixed costs, USD/day. */
  fixedUsdPerDay: number;
}

export interface FleetHorizon {
  days: number;
  /** Fraction of a card's fixed-cost share a sale saves (config costs.fixedAvoidableOnSale). */
  fixedAvoidableOnSale: number;
  entries: EntryHorizon[];
  /** Per site (fleet order): fixed costs USD/day, and the take-or-pay minimum as kW at the meter. */
  sites: { id: string; fixedUsdPerDay: number; takeOrPayKw: number | null; tariffUsdPerKwh: number }[];
}

/** The horizon terms of every entry and site of a fleet on `date` (resale, capex, fixed costs, take-or-pay). */
export function fleetHorizon(
  fleet: Fleet,
  models: Map<string, DeviceModel>,
  cfg: Config,
  date: string,
): FleetHorizon {
  const days = cfg.horizon.days;
  const { table, fit } = resaleFit();
  const sites = fleet.sites.map((s) => ({
    id: s.id,
    fixedUsdPerDay: s.fixedUsdPerDay ?? cfg.costs.siteFixedUsdPerDay,
    takeOrPayKw: s.takeOrPay ? takeOrPayKw(s.takeOrPay, s.tariffUsdPerKwh) : null,
    tariffUsdPerKwh: s.tariffUsdPerKwh,
  }));
  const cards = new Map<string, number>();
  for (const e of fleet.entries) cards.set(e.site, (cards.get(e.site) ?? 0) + e.count);
  const siteOf = new Map(sites.map((s) => [s.id, s]));
  const resales = new Map<string, { resale: ResaleValue; curve: ((day: number) => number) | null }>();
  const resaleOf = (id: string) => {
    let r = resales.get(id);
    if (!r) {
      const resale = projectResale(table.models.get(id), id, fit, date, cfg.resale);
      r = { resale, curve: resaleNetCurve(resale, fit, cfg.resale) };
      resales.set(id, r);
    }
    return r;
  };
  const entries = fleet.entries.map((e: FleetEntry): EntryHorizon => {
    const model = models.get(e.model)!;
    const { resale, curve } = resaleOf(model.id);
    const fixedUsdPerDay = siteOf.get(e.site)!.fixedUsdPerDay / Math.max(1, cards.get(e.site) ?? 0);
    const resaleNowUsd = curve ? curve(0) : null;
    const resaleEndUsd = curve ? curve(days) : null;
    return {
      resaleNowUsd,
      resaleEndUsd,
      resale,
      sellUsdPerDay: sellUsdPerDay(
        resaleNowUsd,
        resaleEndUsd,
        days,
        fixedUsdPerDay * cfg.costs.fixedAvoidableOnSale,
      ),
      rehostCapexUsd: rehostCapexUsd(model, cfg.rehost),
      fixedUsdPerDay,
    };
  });
  return { days, fixedAvoidableOnSale: cfg.costs.fixedAvoidableOnSale, entries, sites };
}

const fits = new WeakMap<ResaleTable, DepreciationFit>();

/** The shipped resale table and its depreciation fit, fitted once per table read (not per decision). */
export function resaleFit(): { table: ResaleTable; fit: DepreciationFit } {
  const table = loadResaleTable();
  let fit = fits.get(table);
  if (!fit) {
    fit = fitDepreciation(table);
    fits.set(table, fit);
  }
  return { table, fit };
}

/** Average draw at the meter of a use costing `powerCostUsdPerDay` at a tariff, kW (0 at a zero tariff). */
export function meterKw(powerCostUsdPerDay: number, tariffUsdPerKwh: number): number {
  return tariffUsdPerKwh > 0 ? powerCostUsdPerDay / (HOURS_PER_DAY * tariffUsdPerKwh) : 0;
}

/** Minimum of a take-or-pay contract as average kW at the meter (a USD/day minimum at the site tariff). */
export function takeOrPayKw(t: TakeOrPay, tariffUsdPerKwh: number): number {
  if ('kw' in t) return t.kw;
  return tariffUsdPerKwh > 0 ? t.usdPerDay / (HOURS_PER_DAY * tariffUsdPerKwh) : 0;
}

export function rehostCapexUsd(model: DeviceModel, cfg: Config['rehost']): number {
  switch (model.deviceClass) {
    case 'consumer':
      return cfg.consumerUsdPerGpu;
    case 'workstation':
      return cfg.workstationUsdPerGpu;
    case 'datacenter':
      return cfg.datacenterUsdPerGpu;
    case 'cmp':
      return cfg.cmpUsdPerGpu;
    case 'asic':
      return 0;
  }
}
