import { calendarDateProblem, isIanaZone } from '../lib/time.ts';
import { z } from 'zod';
import { LOG_LEVELS } from '../lib/log.ts';
import { CLOUD_PRICE_TYPES, COINS, type Coin } from '../domain/types.ts';
import { alertsConfigSchema } from './alerts.ts';

/**
 * Every tunable assumption of the models, with its default, unit and one-line reason.
 * The schema enforces physical ranges; ASSUMPTIONS documents each key for --help, reports and the API.
 */
const fraction = z.number().finite().min(0).max(1);
const usdPerDay = z.number().finite().min(0).max(1e9);
const usdPerGpu = z.number().finite().min(0).max(100_000);
const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: 'expected a 3-letter ISO 4217 code such as EUR' });
const userFxRate = z
  .object({
    perUsd: z.number().finite().gt(0).max(1e6),
    // a real calendar date: 2026-13-45 used to pass and crash the age computation (internal error)
    asOf: z.string().superRefine((s, ctx) => {
      const problem = calendarDateProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    source: z.string().min(1).max(200),
  })
  .strict();

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
        listTiers: z.array(z.string().min(1)),
        hyperscalerPriceTypes: z.array(z.enum(CLOUD_PRICE_TYPES)).min(1),
      })
      .strict()
      .refine((a) => !a.marketTiers.some((t) => a.listTiers.includes(t)), {
        message: 'a tier cannot be in both ai.marketTiers and ai.listTiers',
        path: ['listTiers'],
      }),
    vram: z
      .object({
        reserveMiB: z.number().finite().min(0).max(4096),
        overheadMiB: z
          .object(Object.fromEntries(COINS.map((c) => [c, z.number().finite().min(0).max(4096)])))
          .strict(),
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
    costs: z
      .object({
        siteFixedUsdPerDay: usdPerDay,
        fixedAvoidableOnSale: fraction,
      })
      .strict(),
    rehost: z
      .object({
        consumerUsdPerGpu: usdPerGpu,
        workstationUsdPerGpu: usdPerGpu,
        datacenterUsdPerGpu: usdPerGpu,
        cmpUsdPerGpu: usdPerGpu,
      })
      .strict(),
    resale: z
      .object({
        priceFactor: z.number().finite().min(0).max(10),
        sellingFee: fraction.max(0.9),
        logisticsUsdPerCard: z.number().finite().min(0).max(1000),
      })
      .strict(),
    horizon: z
      .object({
        days: z.number().int().min(1).max(3650),
      })
      .strict(),
    /** The operator's IANA time zone: decides "today" for daily, schedule and the report's date. */
    timezone: z.string().refine(isIanaZone, {
      message: 'expected an IANA time zone such as UTC, Asia/Tokyo or America/Los_Angeles',
    }),
    /** Webhook alerts (config/alerts.ts): not a model assumption, so absent from the defaults. */
    alerts: alertsConfigSchema.optional(),
    /** Diagnostics on stderr (JSON lines): error, warn, info, debug or silent; --verbose/--quiet win. */
    logLevel: z.enum(LOG_LEVELS),
    /** Currency advise/income/report text and HTML show money in (the engine and JSON stay USD). */
    displayCurrency: currencyCode,
    /** Rates the user gives (no collected rate, or a newer one): units of the currency per USD. */
    fx: z.record(currencyCode, userFxRate).optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export interface Assumption {
  unit: string;
  reason: string;
}

const REHOST_METHOD =
  're-hosting = moving a card off its PCIe x1 riser rig into a server renters accept: a share of a ' +
  'used 4U GPU server (x16 slots, PSU, fans), CPU cores and 32-64 GB RAM per GPU (RunPod community ' +
  'hosts offer 6-16 vCPU and 25-125 GB RAM per RTX 3090/4090/A5000, becloudready/gpu-price@64a1fca6, ' +
  '2026-02-11), ~1 TB NVMe, a 10-25 GbE port and ~1 h of labour; component prices are general ' +
  'knowledge (used server market), not verified in our sources; ';
/**
 * What a miner holds beside the coin's DAG or table (model/coins.ts memoryAt), per coin, calibrated on
 * observed 6 GiB cards with vram.reserveMiB = 200 (usable 6,144 - 200 = 5,944 MiB). A card mines a coin
 * when memoryAt(h) + overhead <= VRAM - reserve. Arithmetic in README "VRAM fit"; tests in model/income.test.ts.
 */
const VRAM_OVERHEAD: Record<Coin, { miB: number; reason: string }> = {
  RVN: {
    miB: 8,
    reason:
      'lolMiner runs a 5,944 MiB card on DAG epochs up to about 614: DAG(614) = 5,936 MiB fits, DAG(615) = ' +
      '5,944 MiB does not, so the miner holds the DAG plus 0-8 MiB (the 93 MiB light cache is not kept; ' +
      'DAG + cache at 614 = 6,029 MiB would not fit)',
  },
  ERG: {
    miB: 256,
    reason:
      'RTX A2000 6 GB failed Autolykos2 at the table step of h = 1,689,600 (N x 31 = 5,803.7 MiB) and worked ' +
      'at the step before (5,527.3 MiB) (lolMiner-releases issue 2165): with 5,944 MiB usable the overhead is ' +
      'in (140, 416] MiB; 256 is near the middle. Any value there gives the same 6 GiB cut-off; <= 214 would ' +
      'move the 8 GiB cut-off from h = 1,996,800 to 2,048,000',
  },
};

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
    unit: 'marketplace tiers whose median is the clearing price',
    reason:
      'ex-mining farms compete in the community/marketplace tiers (RunPod community, vast.ai, Salad, Novita), ' +
      'not with secure-cloud data-centre list prices, which run ~2x higher (RunPod 2025-07: 3090 0.22 vs 0.43)',
  },
  'ai.listTiers': {
    unit: 'tiers shown apart as secure-cloud list prices',
    reason:
      'secure-cloud and provider list prices ("listed": the becloudready scrape of public price pages; its RunPod ' +
      '3090 0.46 / 4090 0.59 match RunPod secure-cloud prices of Feb 2025, kixago/gpuflow-blog) are shown beside ' +
      'the marketplace median, not mixed into it',
  },
  'ai.hyperscalerPriceTypes': {
    unit: 'cloud price types used as the ceiling',
    reason: 'on-demand is the list price renters compare against; add spot for a harder ceiling',
  },
  'vram.reserveMiB': {
    unit: 'MiB of nominal VRAM the miner cannot use',
    reason:
      'driver and CUDA context: 6 GiB (6,144 MiB) cards report 5,925 MiB (RTX A2000, lolMiner-releases issue 2165) ' +
      'and 5,944 MiB (the KawPow card below) to the miner; 6,144 - 5,944 = 200',
  },
  ...Object.fromEntries(
    COINS.map((c) => [
      `vram.overheadMiB.${c}`,
      { unit: 'MiB beside the DAG or table', reason: VRAM_OVERHEAD[c].reason },
    ]),
  ),
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
  'costs.siteFixedUsdPerDay': {
    unit: 'USD per site per day',
    reason:
      'hosting, staff and rent of a site that does not state its own fixedUsdPerDay in the fleet ' +
      "file; ASSUMED 0 (unknown): set each site's figure, it is shared over the site's cards in the " +
      'horizon values',
  },
  'costs.fixedAvoidableOnSale': {
    unit: "fraction of a card's fixed-cost share saved by selling it",
    reason:
      'staff, rent and site contracts do not shrink when one card is sold, so 0 (ASSUMED); set 1 ' +
      'where hosting is billed per GPU slot, e.g. colocation',
  },
  'rehost.consumerUsdPerGpu': {
    unit: 'USD per GPU moved into an AI server',
    reason:
      REHOST_METHOD +
      'consumer cards (2-3 slots) fit 8 per 4U: chassis/PSU share ~$250, CPU ~$25, RAM ~$40, NVMe ~$55, ' +
      'NIC ~$20, labour and rack ~$20 = ~$410, rounded to $400 (ASSUMED)',
  },
  'rehost.workstationUsdPerGpu': {
    unit: 'USD per GPU moved into an AI server',
    reason:
      REHOST_METHOD + 'blower workstation cards pack 10 per 4U, a smaller chassis share: $350 (ASSUMED)',
  },
  'rehost.datacenterUsdPerGpu': {
    unit: 'USD per GPU moved into an AI server',
    reason:
      REHOST_METHOD + 'passive data-centre cards need a server with GPU airflow, 8 per 4U: $400 (ASSUMED)',
  },
  'rehost.cmpUsdPerGpu': {
    unit: 'USD per GPU moved into an AI server',
    reason:
      REHOST_METHOD + 'CMP cards have the consumer form factor (and must be patched to rent): $400 (ASSUMED)',
  },
  'resale.priceFactor': {
    unit: 'x the projected used-market price',
    reason:
      'what-if scale on every resale price (1 = the eBay series projected by the fitted decay); ' +
      'lower it for bulk lots of worn ex-mining cards, raise it if AI demand holds prices up',
  },
  'resale.sellingFee': {
    unit: 'fraction of the sale price',
    reason:
      "marketplace final-value and payment fees (~13% on eBay's general categories) or a bulk " +
      "broker's discount; 15% ASSUMED from general knowledge, not from our sources",
  },
  'resale.logisticsUsdPerCard': {
    unit: 'USD per card sold',
    reason:
      'de-racking, testing, cleaning, packing and shipping one card: ~15 min of labour plus a ' +
      'padded box and ground freight; $15 ASSUMED from general knowledge',
  },
  'horizon.days': {
    unit: 'days',
    reason:
      'half a year: long enough for a re-hosting capex to pay back and a known reward step or VRAM ' +
      'cut-off to show, short enough that flat prices and difficulty are a fair assumption',
  },
  timezone: {
    unit: 'IANA time zone name',
    reason:
      'the operator\'s zone decides "today" for `daily`, `schedule` and the report\'s date; UTC unless ' +
      'set (e.g. --set timezone=Asia/Tokyo), so a run after local midnight files under the local date',
  },
  logLevel: {
    unit: 'error | warn | info | debug | silent',
    reason:
      'how much the program says about itself on stderr (JSON lines: source requests, timings, the ' +
      "server's access log); --verbose (debug) and --quiet (error) override it for one run",
  },
  displayCurrency: {
    unit: 'ISO 4217 code',
    reason:
      'the currency advise, income and the report show money in (--currency overrides it); the engine ' +
      'and every JSON answer stay in USD. Needs a dated rate: `collect --live` (CoinGecko) or config ' +
      '`fx: {EUR: {perUsd, asOf, source}}` (shown as user-given)',
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
    marketTiers: ['community', 'marketplace'],
    listTiers: ['secure', 'listed'],
    hyperscalerPriceTypes: ['on-demand'],
  },
  vram: {
    reserveMiB: 200,
    overheadMiB: Object.fromEntries(COINS.map((c) => [c, VRAM_OVERHEAD[c].miB])),
  },
  freshness: { freshDays: 2, tooOldDays: 90 },
  defaultSite: { tariffUsdPerKwh: 0.0835, pue: 1.1 },
  costs: { siteFixedUsdPerDay: 0, fixedAvoidableOnSale: 0 },
  rehost: { consumerUsdPerGpu: 400, workstationUsdPerGpu: 350, datacenterUsdPerGpu: 400, cmpUsdPerGpu: 400 },
  resale: { priceFactor: 1, sellingFee: 0.15, logisticsUsdPerCard: 15 },
  horizon: { days: 180 },
  timezone: 'UTC',
  logLevel: 'info',
  displayCurrency: 'USD',
};
