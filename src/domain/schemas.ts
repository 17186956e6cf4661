import { z } from 'zod';
import { CLOUD_PRICE_TYPES, COINS, KINDS } from './types.ts';
import { ALGORITHMS, byCoin, type Algorithm } from './coins.ts';

/**
 * zod schemas for the data formats rigpivot reads (catalogue, snapshots, fleets).
 * Kept beside the domain types so a format change is one edit; parse errors name the JSON path.
 */
const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const isoDate = z.string().regex(/^\d{4}-\d{2}(-\d{2})?(T[\d:.]+Z)?$/, 'expected an ISO date (YYYY-MM-DD)');

export const provenanceSchema = z.object({
  source: z.string().min(1),
  asOf: isoDate,
  kind: z.enum(KINDS),
  method: z.string().optional(),
  stale: z.string().optional(),
});

/** Kinds whose value we computed or estimated: they must say how. */
const NEEDS_METHOD: readonly string[] = ['derived', 'assumed'];

export const quantitySchema = provenanceSchema
  .extend({ value: z.number().finite(), unit: z.string().min(1) })
  .refine((q) => !NEEDS_METHOD.includes(q.kind) || (q.method ?? '').length > 0, {
    message: 'derived and assumed figures need a method',
  });

const miningProfileSchema = z.object({
  hashrateMhs: positive,
  powerW: positive,
  hashrateSource: z.string().min(1),
  powerSource: z.string().min(1),
  pairing: z.enum(['same-source', 'power-assumed']).optional(),
});

const pcieSchema = z.object({
  gen: z.number().int().min(1).max(6),
  lanes: z.number().int().min(1).max(16),
  gbps: positive,
});

const aiSpecSchema = z.object({
  fp16TensorTflops: positive.nullable(),
  fp32Tflops: positive.nullable(),
  memBandwidthGBs: positive.nullable(),
  aiLoadW: positive,
  pcie: pcieSchema.nullable(),
  pciePatched: pcieSchema.nullable(),
  source: z.string().min(1),
});

export const deviceModelSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case id (letters, digits, . _ -)'),
    name: z.string().min(1),
    vendor: z.enum(['nvidia', 'amd', 'other']),
    deviceClass: z.enum(['consumer', 'workstation', 'datacenter', 'cmp', 'asic']),
    vramGiB: nonNegative,
    boardPowerW: positive.nullable(),
    boardPowerSource: z.string().nullable().optional(),
    videoOutputs: z.number().int().nonnegative().nullable(),
    ...(Object.fromEntries(ALGORITHMS.map((a) => [a, miningProfileSchema.nullable()])) as Record<
      Algorithm,
      ReturnType<typeof miningProfileSchema.nullable>
    >),
    ai: aiSpecSchema.nullable(),
    missing: z.record(z.string(), z.string()).default({}),
    notes: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    if (m.deviceClass !== 'asic') return;
    if (m.ai !== null)
      ctx.addIssue({ code: 'custom', path: ['ai'], message: 'an ASIC has no AI use: ai must be null' });
    if (ALGORITHMS.filter((a) => m[a] !== null).length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [ALGORITHMS[0]!],
        message: `an ASIC mines exactly one algorithm: give one of ${ALGORITHMS.join(', ')}, not several or none`,
      });
    }
  });

export const catalogueSchema = z.object({ asOf: isoDate, models: z.array(deviceModelSchema).min(1) });

export const cloudGpuSpecSchema = z.object({
  id: z.string().min(1),
  fp16TensorTflops: positive,
  memBandwidthGBs: positive,
  vramGiB: positive,
  source: z.string().min(1),
});
export const cloudGpuTableSchema = z.object({ gpus: z.array(cloudGpuSpecSchema).min(1) });

const skuMapSchema = z.record(z.string(), z.object({ cloudGpu: z.string().min(1), gpuCount: positive }));
const providerId = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case provider id (e.g. azure, aws)');
/** provider id -> instance type -> GPU model and count; `_about` documents the table. */
export const cloudSkuTableSchema = z
  .object({ _about: z.string().optional() })
  .catchall(skuMapSchema)
  .transform(({ _about, ...byProvider }) => byProvider as Record<string, z.infer<typeof skuMapSchema>>);

const coinMarketSchema = z.object({
  coin: z.enum(COINS),
  priceUsd: quantitySchema,
  difficulty: quantitySchema,
  height: quantitySchema,
  blockRewardCoins: quantitySchema,
});

export const cloudOfferSchema = provenanceSchema.extend({
  provider: providerId,
  sku: z.string().min(1),
  region: z.string().min(1),
  cloudGpu: z.string().min(1),
  gpuCount: positive,
  priceType: z.enum(CLOUD_PRICE_TYPES),
  usdPerInstanceHour: positive,
  usdPerGpuHour: positive,
});

export const marketplaceQuoteSchema = provenanceSchema.extend({
  marketplace: z.string().min(1),
  tier: z.string().min(1),
  modelId: z.string().min(1),
  usdPerGpuHour: positive,
});

export const snapshotSchema = z.object({
  id: z.string().min(1),
  date: isoDate,
  notes: z.array(z.string()).default([]),
  coins: z.object(byCoin(() => coinMarketSchema)),
  cloud: z.array(cloudOfferSchema),
  marketplace: z.array(marketplaceQuoteSchema),
  fx: z.record(z.string().regex(/^[A-Z]{3}$/), quantitySchema).optional(),
});

/** Turn a zod error into "path: message" lines (paths like `sites[2].powerCapKw`). */
export function formatIssues(error: z.ZodError, root = ''): string[] {
  return error.issues.map((i) => `${joinPath(root, i.path)}: ${i.message}`);
}

export function joinPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

const usedQuoteSchema = z
  .object({
    usdPerCard: positive,
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
    source: z.string().min(1),
  })
  .strict();

/** data/reference/resale.json: per catalogue model, its names in the eBay series, newer quotes, or why none. */
export const resaleTableSchema = z.object({
  _about: z.string().optional(),
  asOf: isoDate,
  series: z.object({
    file: z.string().min(1),
    unit: z.string().min(1),
    source: z.string().min(1),
    fitFrom: z.string().regex(/^\d{4}-\d{2}$/, 'expected YYYY-MM'),
    fitNote: z.string().optional(),
  }),
  models: z.record(
    z.string(),
    z
      .object({
        ebay: z.array(z.string().min(1)),
        quotes: z.array(usedQuoteSchema),
        missing: z.string().min(1).optional(),
        note: z.string().optional(),
      })
      .strict()
      .refine((m) => m.ebay.length + m.quotes.length > 0 !== (m.missing !== undefined), {
        message: 'a model has prices (ebay names or quotes) or a `missing` reason, not both or neither',
      }),
  ),
});
