import type { DeviceModel, Fleet, FleetEntry, MarketSnapshot, ModelIncome, Site } from '../domain/types.ts';
import type { NetworkShare } from '../domain/decision.ts';
import { incomeInFleet, usdPerMhsDayAt } from './network.ts';
import { issuedUsdPerDay } from '../model/network.ts';
import type { Config } from '../config/schema.ts';
import type { DepreciationFit, ResaleValue } from '../domain/resale.ts';
import { computeAiRates, incomeInputsFor, modelsWith, type EngineContext, type SiteLike } from './decide.ts';
import { estimateModelIncome } from '../model/income.ts';
import { PAID_USES, type PaidUse } from '../domain/uses.ts';
import { HOURS_PER_DAY } from '../lib/num.ts';
import { rehostCapexUsd, takeOrPayKw } from './paths.ts';

export { rehostCapexUsd, takeOrPayKw };
import { loadResaleTable } from '../store/resale.ts';
import { fitDepreciation, projectResale, resaleNetCurve } from '../analysis/resale.ts';
import {
  horizonSnapshots,
  projectDailyIncome,
  valuePaths,
  type HorizonTerms,
  type HorizonValuation,
} from '../analysis/horizon.ts';

export interface HorizonRow {
  modelId: string;
  modelName: string;
  /** Cards of this model at the site in the fleet (0: a catalogue model the fleet does not hold there). */
  cards: number;
  /** Of those, how many already sit in AI-ready servers (the AI path carries no capex for them). */
  aiReadyCards: number;
  /** The costs the valuation used, per card. */
  terms: Omit<HorizonTerms, 'resaleNetUsdAt' | 'startDate' | 'reasons'>;
  resaleNow: ResaleValue;
  valuation: HorizonValuation;
}

export interface HorizonValues {
  snapshotId: string;
  startDate: string;
  days: number;
  site: SiteLike;
  /** The site's take-or-pay minimum and its draw at the fleet's current allocation, kW at the meter. */
  takeOrPay: { minimumKw: number; currentDrawKw: number } | null;
  depreciation: DepreciationFit;
  /** How the coin paths value a card's hashrate (see HorizonMining). */
  mining: HorizonMining;
  rows: HorizonRow[];
  assumptions: string[];
}

/**
 * The rule the coin columns use. `lone`: a card alone on each network (the income model's figure, as
 * `income` shows it). `fleet-margin`: what one card more or less of the fleet earns where its allocation
 * ends, R'(F) = kept B N / (N + F)^2 per MH/s, the rate the allocation's last choices are made at, so the
 * best path is what advise would do with one card at the margin (within the AI demand and power caps,
 * which the per-card valuation does not see). AI, idle and sell do not depend on the networks.
 */
export interface HorizonMining {
  rule: 'lone' | 'fleet-margin';
  /** Per coin (fleet-margin only): N, F and revenue per effective MH/s before fees on the first day. */
  networks: { coin: string; externalMhs: number; fleetMhs: number; usdPerMhsDay: number }[];
  method: string;
}

export interface HorizonOptions {
  /**
   * A decision's networks (decide(...).networks): value mining at the fleet's marginal share where the
   * allocation ends instead of as a lone card. Default: lone card.
   */
  networks?: readonly NetworkShare[];
  /** Days of the horizon (default: config horizon.days). */
  days?: number;
  /** The fleet whose site costs, take-or-pay contract, counts and AI-ready servers apply. */
  fleet?: Fleet | null;
  customModels?: readonly DeviceModel[];
  cmpPatched?: boolean;
  /** Value only these models (default: every catalogue and custom model). */
  modelIds?: readonly string[];
}

/**
 * For each model at a site: the value over the horizon of each path (mine each coin, re-host for AI, idle,
 * sell now), the best path, re-hosting payback and the day to sell. Site fixed costs are shared over the
 * site's cards; a take-or-pay minimum makes the headroom below it sunk energy for the model's cards.
 */
export function computeHorizonValues(
  ctx: EngineContext,
  site: SiteLike,
  o: HorizonOptions = {},
): HorizonValues {
  const days = o.days ?? ctx.config.horizon.days;
  const startDate = ctx.date ?? ctx.snapshot.date;
  const fleet = o.fleet ?? null;
  const fleetSite: Site | undefined = fleet?.sites.find((s) => s.id === site.id);
  const models = modelsWith(ctx.reference, [...(o.customModels ?? []), ...(fleet?.customModels ?? [])]);
  const rates = computeAiRates(ctx, models);
  const cmpPatched = o.cmpPatched ?? false;
  const snapshots = horizonSnapshots(ctx.snapshot, days);
  const resale = loadResaleTable();
  const fit = fitDepreciation(resale);
  const entries = fleet?.entries.filter((e) => e.site === site.id) ?? [];
  const draw = siteDrawKw(ctx, site, entries, models, rates);
  const minimumKw = fleetSite?.takeOrPay ? takeOrPayKw(fleetSite.takeOrPay, site.tariffUsdPerKwh) : null;
  const siteCards = entries.reduce((a, e) => a + e.count, 0);
  const fixedPerCard =
    (fleetSite?.fixedUsdPerDay ?? ctx.config.costs.siteFixedUsdPerDay) / Math.max(1, siteCards);
  const only = o.modelIds ? new Set(o.modelIds) : null;
  const networks = o.networks;
  const uptime = ctx.config.mining.uptime;
  const revalue = networks
    ? (income: ModelIncome, day: MarketSnapshot) => incomeInFleet(income, day, networks, uptime, 'margin')
    : undefined;
  const valued = [...models.values()].filter((m) => !only || only.has(m.id));
  const rows = valued.map((model): HorizonRow => {
    const entry = entries.find((e) => e.model === model.id && e.cmpPatched === cmpPatched);
    const cards = entry?.count ?? 0;
    const aiReadyCards = entry ? (entry.aiReady ?? entry.current.AI ?? 0) : 0;
    const x = incomeInputsFor(ctx, site, model, rates, cmpPatched);
    const today = estimateModelIncome(x);
    const othersKw = draw.totalKw - (draw.byEntry.get(entry ?? null) ?? 0);
    const sunkKw = minimumKw === null ? 0 : Math.max(0, minimumKw - othersKw) / Math.max(1, cards);
    const resaleNow = projectResale(resale.models.get(model.id), model.id, fit, startDate, ctx.config.resale);
    const resaleNetUsdAt = resaleNetCurve(resaleNow, fit, ctx.config.resale);
    const terms: HorizonTerms = {
      startDate,
      fixedUsdPerDay: fixedPerCard,
      fixedAvoidableOnSale: ctx.config.costs.fixedAvoidableOnSale,
      sunkKw,
      tariffUsdPerKwh: site.tariffUsdPerKwh,
      rehostCapexUsd: cards > 0 && aiReadyCards >= cards ? 0 : rehostCapexUsd(model, ctx.config.rehost),
      resaleNetUsdAt,
      ...(resaleNow.missing ? { resaleMissing: resaleNow.missing } : {}),
      reasons: Object.fromEntries(
        PAID_USES.filter((u) => !today.uses[u].eligible).map((u) => [u, today.uses[u].reason ?? '']),
      ) as Partial<Record<PaidUse, string>>,
    };
    const { resaleNetUsdAt: _r, startDate: _s, reasons: _w, ...shown } = terms;
    return {
      modelId: model.id,
      modelName: model.name,
      cards,
      aiReadyCards,
      terms: shown,
      resaleNow,
      valuation: valuePaths(projectDailyIncome(x, snapshots, revalue), terms),
    };
  });
  const mining = horizonMining(ctx.snapshot, networks);
  return {
    snapshotId: ctx.snapshot.id,
    startDate,
    days,
    site,
    takeOrPay: minimumKw === null ? null : { minimumKw, currentDrawKw: draw.totalKw },
    depreciation: fit,
    mining,
    rows,
    assumptions: [
      ...horizonAssumptions(fit, days, ctx.config),
      `Coin paths (${mining.rule}): ${mining.method}.`,
    ],
  };
}

/** The site's average draw at the meter under the fleet's current allocation, in total and per entry. */
function siteDrawKw(
  ctx: EngineContext,
  site: SiteLike,
  entries: readonly FleetEntry[],
  models: Map<string, DeviceModel>,
  rates: ReturnType<typeof computeAiRates>,
): { totalKw: number; byEntry: Map<FleetEntry | null, number> } {
  const byEntry = new Map<FleetEntry | null, number>();
  let totalKw = 0;
  if (site.tariffUsdPerKwh <= 0) return { totalKw, byEntry };
  for (const e of entries) {
    const model = models.get(e.model)!;
    const r = estimateModelIncome(incomeInputsFor(ctx, site, model, rates, e.cmpPatched));
    const usdPerDay = PAID_USES.reduce(
      (a, u) => a + (e.current[u] ?? 0) * (r.uses[u].eligible ? r.uses[u].powerCostUsdPerDay : 0),
      0,
    );
    const kw = usdPerDay / (HOURS_PER_DAY * site.tariffUsdPerKwh);
    byEntry.set(e, kw);
    totalKw += kw;
  }
  return { totalKw, byEntry };
}

function horizonMining(snapshot: MarketSnapshot, networks?: readonly NetworkShare[]): HorizonMining {
  if (!networks)
    return {
      rule: 'lone',
      networks: [],
      method:
        'a lone card (revenue per MH/s = issuance / the hashrate the difficulty implies), ' +
        "as income shows it; a fleet's own share of a network is not counted",
    };
  return {
    rule: 'fleet-margin',
    networks: networks.map((n) => ({
      coin: n.coin,
      externalMhs: n.externalMhs,
      fleetMhs: n.fleetMhs,
      usdPerMhsDay: usdPerMhsDayAt(n, issuedUsdPerDay(snapshot.coins[n.coin]), 'margin'),
    })),
    method:
      "one card at the margin of the fleet's allocation, revenue per MH/s = B N / (N + F)^2 " +
      "(B issued USD/day on each day of the horizon, N other miners, F the allocation's hashrate), the " +
      'rate the allocation decides its last cards at; AI demand and site power caps are not in the per-card ' +
      'values',
  };
}

function horizonAssumptions(fit: DepreciationFit, days: number, cfg: Config): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  return [
    `Horizon ${days} days from the decision date. Coin prices, difficulty and AI rates held at the ` +
      "snapshot's values; heights advance at the observed block time, rewards and VRAM eligibility " +
      'follow the protocol rules (a coin path earns nothing after its cut-off).',
    `Resale: the newest used-market price of the card moved by one fitted depreciation, ` +
      `${pct(fit.ratePerMonth)}/month (${fit.method}; IQR ${pct(fit.rateIqrPerMonth[0])} to ` +
      `${pct(fit.rateIqrPerMonth[1])}; ${fit.holdout.monthsAhead}-month out-of-sample RMSE ` +
      `${pct(fit.holdout.rmseLog)} in log price), x resale.priceFactor ${cfg.resale.priceFactor}, less ` +
      `resale.sellingFee ${pct(cfg.resale.sellingFee)} and $${cfg.resale.logisticsUsdPerCard} logistics ` +
      'per card. Projecting past the checked range (years beyond the newest price) is an assumption.',
    'Holding paths (mine, AI, idle) keep the card: its net resale at the horizon end is part of their ' +
      'value. Sell now: net resale today less the fixed-cost share a sale does not save ' +
      '(costs.fixedAvoidableOnSale).',
    'Re-hosting capex (rehost.* by device class) is paid up front unless every card of the model at the ' +
      'site is AI-ready (fleet gpus[].aiReady; default: the cards renting today); the servers have no ' +
      'salvage value here. Payback days = capex / the AI path average net per day.',
    'Site fixed costs (sites[].fixedUsdPerDay, else costs.siteFixedUsdPerDay) are shared evenly over ' +
      "the site's cards. Take-or-pay: the minimum less the draw of the site's other cards at the " +
      "current allocation, shared over this model's cards, is energy paid for anyway (sunk).",
  ];
}
