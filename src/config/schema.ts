import { z } from 'zod';
import { CLOUD_PRICE_TYPES } from '../domain/types.ts';

/**
 * Every tunable assumption of the models, with its default, unit and one-line reason.
 * The schema enforces physical ranges; ASSUMPTIONS documents each key for --help, reports and the API.
 */
const fraction = z.number().finite().min(0).max(1);

export const configSchema = z
  .object({
    mining: z
      .object({
        poolFee: fraction.max(0.2),
        minerDevFee: fraction.max(0.2),
        uptime: fraction.min(0.01),
      })
      .strict(),
    ai: z
      .object({
        utilisation: fraction,
        utilisationSpread: fraction.max(0.5),
        platformFee: fraction.max(0.9),
        discountToHyperscaler: fraction.max(0.99),
        trainingWeight: fraction,
        minVramGiB: z.number().finite().min(0).max(1024),
        minPcieGBs: z.number().finite().min(0).max(256),
        idlePowerW: z.number().finite().min(0).max(1000),
        cmpPatchedHaircut: fraction,
        acceptedVendors: z.array(z.enum(['nvidia', 'amd', 'other'])).min(1),
        marketTiers: z.array(z.string().min(1)).min(1),
        hyperscalerPriceTypes: z.array(z.enum(CLOUD_PRICE_TYPES)).min(1),
      })
      .strict(),
    vram: z
      .object({
        reserveGiB: z.number().finite().min(0).max(4),
        kernelOverheadGiB: z.number().finite().min(0).max(4),
      })
      .strict(),
    freshness: z
      .object({
        freshDays: z.number().finite().min(0).max(3650),
        tooOldDays: z.number().finite().min(0).max(3650),
      })
      .strict()
      .refine((f) => f.tooOldDays >= f.freshDays, { message: 'tooOldDays must be >= freshDays' }),
    defaultSite: z
      .object({
        tariffUsdPerKwh: z.number().finite().min(0).max(5),
        pue: z.number().finite().min(1).max(3),
      })
      .strict(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export interface Assumption {
  unit: string;
  reason: string;
}

export const ASSUMPTIONS: Record<string, Assumption> = {
  'mining.poolFee': {
    unit: 'fraction of mined coins',
    reason: 'assumed typical PPLNS/PPS+ pool fee: RVN and ERG pools publish fees of about 0.5-2%',
  },
  'mining.minerDevFee': {
    unit: 'fraction of hashing time',
    reason: 'miner software dev fee 0.65-2%, as published by lolMiner, T-Rex and TeamRedMiner',
  },
  'mining.uptime': {
    unit: 'fraction of the day hashing',
    reason: 'reboots, stale shares and DAG rebuilds cost ~2% of a mining day',
  },
  'ai.utilisation': {
    unit: 'fraction of hours rented',
    reason:
      'ASSUMED: realised income is driven by utilisation (ownyourmind.ai "What Compute Actually Pays"); ' +
      'a 2026 mine-vs-rent comparison assumes 65% for a render node (terabytetriangle.com, 2026-05-30)',
  },
  'ai.utilisationSpread': {
    unit: 'fraction of hours, +- around ai.utilisation',
    reason:
      'marketplace occupancy is not published (vast.ai: revenue = price x occupancy, left to the host), ' +
      'so realised utilisation over a horizon is uncertain: the risk simulation draws it uniformly within ' +
      '+- this of ai.utilisation (clamped to 0-1), once per path, independent of coin prices',
  },
  'ai.platformFee': {
    unit: 'fraction of rental revenue',
    reason:
      'marketplace host take is not published for vast.ai/RunPod; Clore takes 10% on-demand ' +
      '(docs.clore.ai host-fees page): 20% is a conservative middle',
  },
  'ai.discountToHyperscaler': {
    unit: 'fraction below the hyperscaler-equivalent price',
    reason:
      'renters need a large discount to leave Azure/AWS for unmanaged consumer hardware; marketplaces ' +
      '(RunPod community, Salad) sit 2-10x below hyperscaler on-demand per FP16 TFLOP in our snapshot ' +
      'figures',
  },
  'ai.trainingWeight': {
    unit: 'weight of FP16 TFLOPS vs memory bandwidth',
    reason: 'half training/prefill (TFLOPS-bound), half decode (bandwidth-bound) demand',
  },
  'ai.minVramGiB': {
    unit: 'GiB',
    reason: 'renters rarely take cards below 8 GB: a 7B model at 4-bit plus context needs ~6-8 GB',
  },
  'ai.minPcieGBs': {
    unit: 'GB/s host link',
    reason:
      'below ~PCIe 2.0 x4 (2 GB/s) model loads crawl and renters time out; stock CMP cards run Gen1 x4 (~1 GB/s)',
  },
  'ai.idlePowerW': {
    unit: 'W per GPU while listed but not rented',
    reason: 'an idle Ampere card with a loaded driver draws ~15-30 W',
  },
  'ai.cmpPatchedHaircut': {
    unit: 'fraction of the derived rate kept',
    reason: 'marketplaces rarely list CMP cards, even patched ones: renters discount unfamiliar hardware',
  },
  'ai.acceptedVendors': {
    unit: 'GPU vendors',
    reason: 'marketplace renters expect CUDA; RDNA2 consumer cards have no official ROCm support',
  },
  'ai.marketTiers': {
    unit: 'marketplace tiers used for the reference price',
    reason:
      'ex-mining farms compete in the community/marketplace tiers, not "secure cloud" data-centre tiers',
  },
  'ai.hyperscalerPriceTypes': {
    unit: 'cloud price types used as the ceiling',
    reason: 'on-demand is the list price renters compare against; add spot for a harder ceiling',
  },
  'vram.reserveGiB': {
    unit: 'GiB',
    reason:
      'driver and context reserve: 6 GB cards show ~5.8-5.9 GiB usable ' +
      '(Lolliedieb/lolMiner-releases issue 2165: RTX A2000 6 GB, 5,925 MB free)',
  },
  'vram.kernelOverheadGiB': { unit: 'GiB', reason: 'miner kernels and buffers beside the DAG or table' },
  'freshness.freshDays': {
    unit: 'days',
    reason: 'a daily decision wants inputs from the last collection or the one before',
  },
  'freshness.tooOldDays': {
    unit: 'days',
    reason:
      'beyond a quarter, coin and rental markets have moved too far to act on (shown in red; collect before acting)',
  },
  'defaultSite.tariffUsdPerKwh': {
    unit: 'USD/kWh',
    reason:
      'US industrial average 8.35 c/kWh, 2022-05 (EIA Monthly Energy Review table 9.8), used when no site is given',
  },
  'defaultSite.pue': {
    unit: 'facility W per IT W',
    reason: 'air-cooled mining facility overhead (fans, PSU loss), used when no site is given',
  },
};

/** Every assumption in force: key, value (from `cfg`), unit and reason. Shown by the CLI, the report and the API. */
export function listAssumptions(
  cfg: Config,
): { key: string; value: unknown; unit: string; reason: string }[] {
  return Object.entries(ASSUMPTIONS).map(([key, a]) => ({
    key,
    value: key.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown>)[k], cfg),
    unit: a.unit,
    reason: a.reason,
  }));
}

export const DEFAULT_CONFIG: Config = {
  mining: { poolFee: 0.01, minerDevFee: 0.01, uptime: 0.98 },
  ai: {
    utilisation: 0.6,
    utilisationSpread: 0.2,
    platformFee: 0.2,
    discountToHyperscaler: 0.5,
    trainingWeight: 0.5,
    minVramGiB: 8,
    minPcieGBs: 1.9,
    idlePowerW: 25,
    cmpPatchedHaircut: 0.5,
    acceptedVendors: ['nvidia'],
    marketTiers: ['community', 'marketplace', 'listed'],
    hyperscalerPriceTypes: ['on-demand'],
  },
  vram: { reserveGiB: 0.15, kernelOverheadGiB: 0.1 },
  freshness: { freshDays: 2, tooOldDays: 90 },
  defaultSite: { tariffUsdPerKwh: 0.0835, pue: 1.1 },
};
