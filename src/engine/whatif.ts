import { z } from 'zod';
import type { Config } from '../config/schema.ts';
import type { Fleet, MarketSnapshot, Quantity } from '../domain/types.ts';
import { applyConfigValues } from '../config/load.ts';
import { AI_CLASSES } from '../domain/ai.ts';
import { formatIssues } from '../domain/schemas.ts';
import { InputError } from '../errors.ts';
import { COINS } from '../domain/types.ts';
import { byCoin, COIN_INFO } from '../domain/coins.ts';

const usdPerKwh = z.number().finite().min(0).max(5);
const positive = (max: number) => z.number().finite().positive().max(max);

/**
 * A what-if: changes to today's inputs, applied on top of the snapshot, the config and the fleet.
 * Every overridden market figure becomes kind "assumed" with method "what-if override", so the
 * answer still says which numbers were observed and which were the user's.
 */
export const whatIfSchema = z
  .object({
    coinPriceUsd: z
      .object(byCoin(() => positive(1e6).optional()))
      .strict()
      .optional()
      .meta({ description: 'Coin price, USD per coin, replacing the snapshot price.' }),
    difficulty: z
      .object(byCoin(() => positive(1e30).optional()))
      .strict()
      .optional()
      .meta({
        description:
          `Network difficulty replacing the snapshot value ` +
          `(${COINS.map((c) => `${c}: ${COIN_INFO[c].difficultyNote}`).join('; ')}).`,
      }),
    electricityUsdPerKwh: usdPerKwh
      .optional()
      .meta({ description: 'One tariff for every site, USD/kWh (before PUE).' }),
    siteTariffUsdPerKwh: z.record(z.string(), usdPerKwh).optional().meta({
      description: 'Tariff per site id, USD/kWh; wins over electricityUsdPerKwh for the sites it names.',
    }),
    powerCapKw: z
      .record(z.string(), positive(1e7))
      .optional()
      .meta({ description: 'Power cap per site id, kW.' }),
    aiDemandGpus: z
      .object(
        Object.fromEntries(
          AI_CLASSES.map((c) => [c, z.number().int().nonnegative().max(1e8).nullable().optional()]),
        ),
      )
      .strict()
      .optional()
      .meta({ description: 'GPUs renters take per VRAM class; null removes the cap.' }),
    aiUtilisation: z
      .number()
      .finite()
      .min(0)
      .max(1)
      .optional()
      .meta({ description: 'Fraction of hours an AI GPU is rented (config ai.utilisation).' }),
    aiPriceFactor: z.number().finite().min(0.01).max(100).optional().meta({
      description:
        'Multiplies every cloud and marketplace GPU price, so the derived AI rate scales by the same factor.',
    }),
    resalePriceFactor: z.number().finite().min(0).max(10).optional().meta({
      description:
        'Scales every resale price (config resale.priceFactor; 1 = the eBay series projected forward).',
    }),
    rehostUsdPerGpu: z
      .number()
      .finite()
      .min(0)
      .max(100_000)
      .optional()
      .meta({
        description:
          'Re-hosting capex per GPU moved into an AI server, USD, for every device class ' +
          '(config rehost.*UsdPerGpu).',
      }),
    horizonDays: z.number().int().min(1).max(3650).optional().meta({
      description: 'Days the keep / re-host / sell plan is valued over (config horizon.days).',
    }),
    addGpus: z
      .array(
        z
          .object({
            site: z.string().min(1).meta({ description: 'A site id of the fleet.' }),
            model: z.string().min(1).meta({ description: 'A catalogue model id (GET /api/v1/gpus).' }),
            count: z.number().int().positive().max(1e7),
          })
          .strict(),
      )
      .max(1000)
      .optional()
      .meta({
        description:
          'Cards added to the fleet, idle today (moving them into a use pays the switching cost). Mining ' +
          'revenue follows the fleet share rule, so each added card on a coin earns less than the one before.',
      }),
    config: z
      .record(z.string(), z.union([z.number(), z.string(), z.array(z.string())]))
      .optional()
      .meta({
        description: 'Any assumption by key, e.g. {"mining.poolFee": 0.02} (see GET /api/v1/assumptions).',
      }),
  })
  .strict()
  .meta({ id: 'WhatIf', description: "Changes to today's inputs for a what-if." });

export type WhatIf = z.infer<typeof whatIfSchema>;

/** A what-if from a script or notebook, validated: a bad one is an InputError on `field` naming each path. */
export function parseWhatIf(raw: unknown, field = 'whatIf'): WhatIf {
  const parsed = whatIfSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(field, formatIssues(parsed.error, field).join('; '));
  return parsed.data;
}

export interface WhatIfResult {
  snapshot: MarketSnapshot;
  config: Config;
  fleet: Fleet;
  applied: string[];
}

const OVERRIDE = 'what-if override';

function overridden(q: Quantity, value: number, asOf: string): Quantity {
  return {
    ...q,
    value,
    asOf,
    kind: 'assumed',
    source: 'what-if (request body)',
    method: `${OVERRIDE} (was ${q.value} ${q.unit}, ${q.kind}, as of ${q.asOf})`,
  };
}

/** Apply a what-if; pure. Unknown site ids and config keys are InputErrors naming the field. */
export function applyWhatIf(
  snapshot: MarketSnapshot,
  config: Config,
  fleet: Fleet,
  w: WhatIf,
  asOf: string,
  where = 'overrides',
  models?: ReadonlyMap<string, unknown>,
): WhatIfResult {
  const applied: string[] = [];
  const snap: MarketSnapshot = structuredClone(snapshot);
  for (const c of COINS) {
    const p = w.coinPriceUsd?.[c];
    if (p !== undefined) {
      snap.coins[c].priceUsd = overridden(snap.coins[c].priceUsd, p, asOf);
      applied.push(`${c} price ${p} USD`);
    }
    const d = w.difficulty?.[c];
    if (d !== undefined) {
      snap.coins[c].difficulty = overridden(snap.coins[c].difficulty, d, asOf);
      applied.push(`${c} difficulty ${d}`);
    }
  }
  if (w.aiPriceFactor !== undefined && w.aiPriceFactor !== 1) {
    const f = w.aiPriceFactor;
    const tag = (o: { kind: string; method?: string }) => ({
      kind: 'assumed' as const,
      method: `${OVERRIDE}: x${f} (${o.kind}${o.method ? `; ${o.method}` : ''})`,
    });
    snap.cloud = snap.cloud.map((o) => ({ ...o, usdPerGpuHour: o.usdPerGpuHour * f, ...tag(o) }));
    snap.marketplace = snap.marketplace.map((q) => ({ ...q, usdPerGpuHour: q.usdPerGpuHour * f, ...tag(q) }));
    applied.push(`cloud and marketplace GPU prices x${f}`);
  }
  const siteIds = new Set(fleet.sites.map((s) => s.id));
  const checkSites = (rec: Record<string, number> | undefined, field: string) => {
    for (const id of Object.keys(rec ?? {}))
      if (!siteIds.has(id))
        throw new InputError(
          `${where}.${field}.${id}`,
          `unknown site "${id}"; sites in ${fleet.name}: ${[...siteIds].join(', ')}`,
        );
  };
  checkSites(w.siteTariffUsdPerKwh, 'siteTariffUsdPerKwh');
  checkSites(w.powerCapKw, 'powerCapKw');
  const sites = fleet.sites.map((s) => {
    const tariff = w.siteTariffUsdPerKwh?.[s.id] ?? w.electricityUsdPerKwh;
    const cap = w.powerCapKw?.[s.id];
    if (tariff !== undefined) applied.push(`${s.id} tariff ${tariff} USD/kWh`);
    if (cap !== undefined) applied.push(`${s.id} power cap ${cap} kW`);
    return {
      ...s,
      ...(tariff !== undefined ? { tariffUsdPerKwh: tariff } : {}),
      ...(cap !== undefined ? { powerCapKw: cap } : {}),
    };
  });
  const aiDemand = { ...fleet.aiDemand };
  for (const [cls, v] of Object.entries(w.aiDemandGpus ?? {})) {
    if (v === undefined) continue;
    if (v === null) delete aiDemand[cls];
    else aiDemand[cls] = v;
    applied.push(`AI demand ${cls} ${v === null ? 'uncapped' : `${v} GPUs`}`);
  }
  const entries = fleet.entries.map((e) => ({ ...e }));
  for (const a of addedGpus(w, siteIds, fleet, where, models)) {
    const same = entries.find((e) => e.site === a.site && e.model === a.model && !e.cmpPatched);
    if (same) same.count += a.count;
    else entries.push(a);
  }
  for (const a of w.addGpus ?? []) applied.push(`+${a.count} ${a.model} at ${a.site} (idle today)`);
  const values: Record<string, unknown> = { ...(w.config ?? {}) };
  if (w.aiUtilisation !== undefined) values['ai.utilisation'] = w.aiUtilisation;
  Object.assign(values, planValues(w, config));
  const cfg = Object.keys(values).length ? applyConfigValues(config, values, `${where}.config`) : config;
  for (const [k, v] of Object.entries(values)) applied.push(`${k} = ${JSON.stringify(v)}`);
  return { snapshot: snap, config: cfg, fleet: { ...fleet, sites, entries, aiDemand }, applied };
}

/**
 * The what-if's added cards as fleet entries, idle today (merged into an unpatched entry of the same model
 * at the site, else new); unknown sites and models name the field.
 */
function addedGpus(
  w: WhatIf,
  siteIds: Set<string>,
  fleet: Fleet,
  where: string,
  models: ReadonlyMap<string, unknown> | undefined,
): Fleet['entries'] {
  return (w.addGpus ?? []).map((a, i) => {
    if (!siteIds.has(a.site))
      throw new InputError(
        `${where}.addGpus[${i}].site`,
        `unknown site "${a.site}"; sites in ${fleet.name}: ${[...siteIds].join(', ')}`,
      );
    if (models && !models.has(a.model))
      throw new InputError(
        `${where}.addGpus[${i}].model`,
        `unknown GPU model "${a.model}"; GET /api/v1/gpus (or \`rigpivot gpus\`) lists the catalogue`,
      );
    return { site: a.site, model: a.model, count: a.count, current: {}, cmpPatched: false };
  });
}

/** The plan's what-if fields as config values (the config keys they stand for). */
function planValues(w: WhatIf, config: Config): Record<string, number> {
  const out: Record<string, number> = {};
  if (w.resalePriceFactor !== undefined) out['resale.priceFactor'] = w.resalePriceFactor;
  if (w.horizonDays !== undefined) out['horizon.days'] = w.horizonDays;
  if (w.rehostUsdPerGpu !== undefined)
    for (const cls of Object.keys(config.rehost)) out[`rehost.${cls}`] = w.rehostUsdPerGpu;
  return out;
}
