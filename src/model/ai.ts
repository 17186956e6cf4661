import type { CloudGpuSpec, DeviceModel, MarketSnapshot, UseIncome } from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import { median, HOURS_PER_DAY } from '../lib/num.ts';
import { estimatePowerCostUsdPerDay } from './power.ts';
import { ineligible, type SiteEconomics } from './mining.ts';
import type { AiClass, AiRate, AiRateSummary } from '../domain/ai.ts';

/**
 * AI rental rate per GPU-hour for a device (price-performance normalisation as in carsonpo/gpus @ 117feccc):
 * 1. hyperscaler-equivalent = min over cloud offers of price x [w x FP16 ratio + (1 - w) x bandwidth ratio]
 *    (the cheapest cloud substitute a renter has), less a discount: our asking price;
 * 2. capped by the marketplace clearing price for the same card (median of its community/marketplace quotes);
 * 3. a data-centre card with no such quote is capped by its own secure-cloud list quotes instead;
 * 4. other cards with no marketplace quote get the asking price x the median market/asking ratio of the
 *    cards of the same group (consumer or data-centre) that have both, since marketplaces clear far below
 *    hyperscalers.
 */

/** What the rate model reads from a snapshot: its cloud offers and marketplace quotes. */
export type RentalMarket = Pick<MarketSnapshot, 'cloud' | 'marketplace'>;

interface Asking {
  usd: number;
  substitute: string;
}

export function estimateHyperscalerAsking(
  model: DeviceModel,
  snapshot: RentalMarket,
  cloudGpus: Map<string, CloudGpuSpec>,
  cfg: Config['ai'],
): Asking | null {
  const ai = model.ai;
  if (!ai || ai.memBandwidthGBs === null) return null;
  const w = ai.fp16TensorTflops === null ? 0 : cfg.trainingWeight;
  let best: Asking | null = null;
  for (const offer of snapshot.cloud) {
    if (!cfg.hyperscalerPriceTypes.includes(offer.priceType)) continue;
    const spec = cloudGpus.get(offer.cloudGpu);
    if (!spec) continue;
    const ratio =
      w * ((ai.fp16TensorTflops ?? 0) / spec.fp16TensorTflops) +
      (1 - w) * (ai.memBandwidthGBs / spec.memBandwidthGBs);
    const usd = ratio * offer.usdPerGpuHour * (1 - cfg.discountToHyperscaler);
    if (!best || usd < best.usd)
      best = {
        usd,
        substitute:
          `${offer.provider} ${offer.sku} (${offer.cloudGpu}, ${offer.priceType} ` +
          `$${offer.usdPerGpuHour.toFixed(3)}/GPU-h, ${offer.asOf})`,
      };
  }
  return best;
}

/** The card's quotes in the given tiers, USD per GPU-hour. */
function quotesFor(modelId: string, snapshot: RentalMarket, tiers: readonly string[]): number[] {
  return snapshot.marketplace
    .filter((q) => q.modelId === modelId && tiers.includes(q.tier))
    .map((q) => q.usdPerGpuHour);
}

/** Community/marketplace quotes (config ai.marketTiers): what hosts like an ex-mining farm clear at. */
export function marketQuotesFor(modelId: string, snapshot: RentalMarket, cfg: Config['ai']): number[] {
  return quotesFor(modelId, snapshot, cfg.marketTiers);
}

/** Secure-cloud / provider list quotes (config ai.listTiers): shown apart from the marketplace median. */
export function listQuotesFor(modelId: string, snapshot: RentalMarket, cfg: Config['ai']): number[] {
  return quotesFor(modelId, snapshot, cfg.listTiers);
}

/** The AI demand class of a device: renters ask for a memory size first. */
export function aiClassOf(vramGiB: number): AiClass {
  if (vramGiB >= 40) return 'vram40';
  if (vramGiB >= 24) return 'vram24';
  if (vramGiB >= 12) return 'vram12';
  return 'vram8';
}

/**
 * Calibration group: a consumer card's market/asking ratio says little about a data-centre card (on the
 * embedded snapshot 0.30-0.75 for consumer cards, 0.84 for the A100 80GB), so each group is calibrated
 * only on its own cards.
 */
function calibrationGroup(m: DeviceModel): 'datacenter' | 'consumer' {
  return m.deviceClass === 'datacenter' ? 'datacenter' : 'consumer';
}

/** Per group: the median of min(1, marketplace median / asking) over the cards that have both. */
function calibrations(
  all: DeviceModel[],
  asking: Map<string, Asking>,
  snapshot: RentalMarket,
  cfg: Config['ai'],
): Map<string, number> {
  const ratios = new Map<string, number[]>();
  for (const m of all) {
    const a = asking.get(m.id);
    const quotes = marketQuotesFor(m.id, snapshot, cfg);
    if (!a || quotes.length === 0) continue;
    const g = calibrationGroup(m);
    ratios.set(g, [...(ratios.get(g) ?? []), Math.min(1, median(quotes) / a.usd)]);
  }
  return new Map([...ratios].map(([g, r]) => [g, median(r)]));
}

/**
 * One card's rate, in order of evidence: its own marketplace median caps the asking rate; a data-centre
 * card with no marketplace quote is capped by its own secure-cloud list quotes (its market, not a
 * consumer card's); otherwise the asking rate x its group's calibration; else the asking rate alone.
 */
function rateFor(
  m: DeviceModel,
  a: Asking,
  market: number[],
  list: number[],
  calibration: number | null,
): Pick<AiRate, 'usdPerGpuHour' | 'method'> {
  if (market.length > 0) return { usdPerGpuHour: Math.min(a.usd, median(market)), method: 'market-capped' };
  if (m.deviceClass === 'datacenter' && list.length > 0)
    return { usdPerGpuHour: Math.min(a.usd, median(list)), method: 'list-capped' };
  if (calibration !== null) return { usdPerGpuHour: a.usd * calibration, method: 'calibrated' };
  return { usdPerGpuHour: a.usd, method: 'hyperscaler-only' };
}

/** Rates for every model that has the figures for one, computed together so the calibration is shared. */
export function estimateAiRates(
  models: Iterable<DeviceModel>,
  snapshot: RentalMarket,
  cloudGpus: Map<string, CloudGpuSpec>,
  cfg: Config['ai'],
): Map<string, AiRate> {
  const all = [...models];
  const asking = new Map<string, Asking>();
  for (const m of all) {
    const a = estimateHyperscalerAsking(m, snapshot, cloudGpus, cfg);
    if (a) asking.set(m.id, a);
  }
  const calibration = calibrations(all, asking, snapshot, cfg);
  const out = new Map<string, AiRate>();
  for (const m of all) {
    const a = asking.get(m.id);
    if (!a) continue;
    const market = marketQuotesFor(m.id, snapshot, cfg);
    const list = listQuotesFor(m.id, snapshot, cfg);
    const ratio = calibration.get(calibrationGroup(m)) ?? null;
    out.set(m.id, {
      ...rateFor(m, a, market, list, ratio),
      askingUsdPerGpuHour: a.usd,
      cheapestSubstitute: a.substitute,
      marketMedianUsdPerGpuHour: market.length > 0 ? median(market) : null,
      marketQuotes: market.length,
      listMedianUsdPerGpuHour: list.length > 0 ? median(list) : null,
      listQuotes: list.length,
      calibrationRatio: ratio,
    });
  }
  return out;
}

/** Why a device cannot be rented for AI, or null if it can. */
export function aiGate(model: DeviceModel, cmpPatched: boolean, cfg: Config['ai']): string | null {
  if (model.deviceClass === 'asic') return 'ASIC: mining only, no AI use';
  const ai = model.ai;
  if (!ai) return `no AI figures: ${model.missing.ai ?? 'not in the catalogue'}`;
  if (!cfg.acceptedVendors.includes(model.vendor))
    return `vendor ${model.vendor}: AI renters accept ${cfg.acceptedVendors.join(', ')} (config ai.acceptedVendors)`;
  if (model.deviceClass === 'cmp' && !cmpPatched)
    return (
      'CMP card: driver-locked (no video out, PCIe Gen1 x4, throttled FP32); set cmpPatched: true ' +
      'in the fleet if unlocked'
    );
  if (model.vramGiB < cfg.minVramGiB)
    return `${model.vramGiB} GiB VRAM is below the ${cfg.minVramGiB} GiB renters accept (config ai.minVramGiB)`;
  const link = model.deviceClass === 'cmp' && cmpPatched ? ai.pciePatched : ai.pcie;
  if (!link)
    return model.deviceClass === 'cmp'
      ? 'CMP card: no known PCIe unlock for this model'
      : 'PCIe link unknown';
  if (link.gbps < cfg.minPcieGBs)
    return (
      `PCIe Gen${link.gen} x${link.lanes} (${link.gbps} GB/s) is below the ${cfg.minPcieGBs} GB/s ` +
      `renters need (config ai.minPcieGBs)`
    );
  if (ai.memBandwidthGBs === null) return 'memory bandwidth unknown: cannot price the card';
  return null;
}

/** Net income of one device listed for AI rental for a day at a site. */
export function estimateAiIncome(
  model: DeviceModel,
  rate: AiRate | undefined,
  cmpPatched: boolean,
  site: SiteEconomics,
  cfg: Config,
): UseIncome {
  const gate = aiGate(model, cmpPatched, cfg.ai);
  if (gate) return ineligible('AI', gate);
  if (!rate) return ineligible('AI', 'no rental rate could be derived for this card');
  const ai = model.ai!;
  const util = cfg.ai.utilisation;
  const rateUsd =
    model.deviceClass === 'cmp' ? rate.usdPerGpuHour * cfg.ai.cmpPatchedHaircut : rate.usdPerGpuHour;
  /** The day's money at utilisation u: rented hours earn, the rest idle at idlePowerW. */
  const at = (u: number) => {
    const revenue = rateUsd * HOURS_PER_DAY * u;
    const fees = revenue * cfg.ai.platformFee;
    const powerCost = estimatePowerCostUsdPerDay(
      ai.aiLoadW * u + cfg.ai.idlePowerW * (1 - u),
      site.tariffUsdPerKwh,
      site.pue,
    );
    return { revenue, fees, powerCost, net: revenue - fees - powerCost };
  };
  const { revenue, fees, powerCost, net } = at(util);
  return {
    use: 'AI',
    eligible: true,
    revenueUsdPerDay: revenue,
    feesUsdPerDay: fees,
    powerCostUsdPerDay: powerCost,
    netUsdPerDay: net,
    wallPowerW: ai.aiLoadW * site.pue,
    detail: {
      rateUsdPerGpuHour: rateUsd,
      rateMethod: rate.method,
      utilisation: util,
      aiLoadW: ai.aiLoadW,
      askingUsdPerGpuHour: rate.askingUsdPerGpuHour,
      marketMedianUsdPerGpuHour: rate.marketMedianUsdPerGpuHour,
      cheapestSubstitute: rate.cheapestSubstitute,
      // net is linear in utilisation: its two ends let a simulation price any utilisation without the model
      netUsdPerDayAtZeroUtilisation: at(0).net,
      netUsdPerDayAtFullUtilisation: at(1).net,
    },
  };
}

/** The table view of a card's rate (report, `ai-rates`, the public Workbench). */
export function summariseAiRate(model: DeviceModel, r: AiRate): AiRateSummary {
  return {
    model: model.id,
    aiClass: aiClassOf(model.vramGiB),
    askingUsdPerGpuHour: r.askingUsdPerGpuHour,
    marketMedianUsdPerGpuHour: r.marketMedianUsdPerGpuHour,
    marketQuotes: r.marketQuotes,
    listMedianUsdPerGpuHour: r.listMedianUsdPerGpuHour,
    listQuotes: r.listQuotes,
    rateUsdPerGpuHour: r.usdPerGpuHour,
    method: r.method,
    cheapestSubstitute: r.cheapestSubstitute,
  };
}
