import { z } from 'zod';
import { InputError } from '../errors.ts';
import { formatIssues } from '../domain/schemas.ts';
import { SERIES_UNITS, type Series } from '../domain/observations.ts';

const SERIES_NAMES = Object.keys(SERIES_UNITS) as [Series, ...Series[]];
const boundSchema = z
  .object({ min: z.number().finite(), max: z.number().finite() })
  .strict()
  .refine((b) => b.min < b.max, { message: 'min must be below max' });
export const inputGuardsSchema = z
  .object({
    bounds: z.record(z.enum(SERIES_NAMES), boundSchema),
    /** Allowed factor between a value and the last good one in one day, per series (none: no jump rule). */
    jumpPerDay: z.partialRecord(z.enum(SERIES_NAMES), z.number().min(1.01).max(1_000)),
  })
  .strict();

/**
 * Source settings: endpoints, regions, credentials. Read from the environment here (config/ is the only
 * reader of process.env); credentials never go into files or logs.
 */
export const sourcesConfigSchema = z.object({
  whattomineBaseUrl: z.string().url(),
  coingeckoBaseUrl: z.string().url(),
  coingeckoApiKey: z.string().optional(),
  ergoNodeUrl: z.string().url().optional(),
  ergoExplorerUrl: z.string().url(),
  ravencoinRpcUrl: z.string().url().optional(),
  ravencoinRpcUser: z.string().optional(),
  ravencoinRpcPassword: z.string().optional(),
  azureBaseUrl: z.string().url(),
  azureRegions: z.array(z.string().regex(/^[a-z0-9]+$/)).min(1),
  awsPricingBaseUrl: z.string().url(),
  awsSpotUrl: z.string().url(),
  awsRegions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/)).min(1),
  marketplaceFile: z.string().optional(),
  marketplaceUrl: z.string().url().optional(),
  /** A value that moved more than this factor against its 24 h reference is rejected. */
  maxJumpFactor: z.number().min(1.01).max(100),
  /** Reported block reward vs our rules: relative difference above which a warning is recorded. */
  rewardTolerance: z.number().min(0).max(1),
  /** Overall deadline of one HTTP request (retries included), seconds: a trickling upstream fails here. */
  httpDeadlineS: z.number().int().min(1).max(86_400),
  /** Largest JSON answer accepted from a source, MB (10^6 bytes, after decompression). */
  httpMaxMB: z.number().int().min(1).max(4_000),
  /** Overall deadline and size cap of a streamed download (the AWS offer files, ~482 MB each). */
  httpStreamDeadlineS: z.number().int().min(1).max(86_400),
  httpStreamMaxMB: z.number().int().min(1).max(100_000),
  /** Plausibility bounds and the jump rule every collected value passes before the store uses it. */
  inputGuards: inputGuardsSchema,
});

export type InputGuards = z.infer<typeof inputGuardsSchema>;

/**
 * The default input guards. Bounds per series, in its unit (SERIES_UNITS): far wider than any real value,
 * they only catch impossible ones (price 1e9 or -1, difficulty 0, height -1). The jump rule compares a
 * value with the store's last good value of the same series and key: a move by more than the factor
 * (either way) in a day is quarantined. Over d days since the last good value the allowed factor grows
 * linearly, 1 + (factor - 1) x d (prices x3 in a day, x5 in two, x21 in ten; difficulty x2, x3, x11).
 */
export const DEFAULT_INPUT_GUARDS: InputGuards = {
  bounds: {
    'coin.priceUsd': { min: 1e-7, max: 1e5 },
    'coin.priceBtc': { min: 1e-12, max: 1 },
    'btc.priceUsd': { min: 100, max: 1e8 },
    'coin.difficulty': { min: 1e-6, max: 1e22 },
    'coin.height': { min: 1, max: 1e9 },
    'coin.blockRewardReported': { min: 1e-6, max: 1e6 },
    'cloud.usdPerInstanceHour': { min: 1e-4, max: 1_000 },
    'market.usdPerGpuHour': { min: 1e-4, max: 100 },
    'fx.perUsd': { min: 1e-4, max: 1e6 },
  },
  jumpPerDay: {
    'coin.priceUsd': 3,
    'coin.priceBtc': 3,
    'btc.priceUsd': 3,
    'coin.difficulty': 2,
    'cloud.usdPerInstanceHour': 3,
    'market.usdPerGpuHour': 3,
    'fx.perUsd': 1.5,
  },
};

export type SourcesConfig = z.infer<typeof sourcesConfigSchema>;

export const DEFAULT_SOURCES: SourcesConfig = {
  whattomineBaseUrl: 'https://whattomine.com',
  coingeckoBaseUrl: 'https://api.coingecko.com/api/v3',
  ergoExplorerUrl: 'https://api.ergoplatform.com',
  azureBaseUrl: 'https://prices.azure.com/api/retail/prices',
  azureRegions: ['eastus'],
  awsPricingBaseUrl: 'https://pricing.us-east-1.amazonaws.com',
  awsSpotUrl: 'https://website.spot.ec2.aws.a2z.com/spot.json',
  awsRegions: ['us-east-1'],
  maxJumpFactor: 3,
  rewardTolerance: 0.05,
  httpDeadlineS: 120,
  httpMaxMB: 32,
  httpStreamDeadlineS: 1_800,
  httpStreamMaxMB: 2_000,
  inputGuards: DEFAULT_INPUT_GUARDS,
};

const ENV: Record<string, keyof SourcesConfig> = {
  RIGPIVOT_WHATTOMINE_URL: 'whattomineBaseUrl',
  RIGPIVOT_COINGECKO_URL: 'coingeckoBaseUrl',
  RIGPIVOT_COINGECKO_API_KEY: 'coingeckoApiKey',
  RIGPIVOT_ERGO_NODE_URL: 'ergoNodeUrl',
  RIGPIVOT_ERGO_EXPLORER_URL: 'ergoExplorerUrl',
  RIGPIVOT_RVN_RPC_URL: 'ravencoinRpcUrl',
  RIGPIVOT_RVN_RPC_USER: 'ravencoinRpcUser',
  RIGPIVOT_RVN_RPC_PASSWORD: 'ravencoinRpcPassword',
  RIGPIVOT_AZURE_URL: 'azureBaseUrl',
  RIGPIVOT_AZURE_REGIONS: 'azureRegions',
  RIGPIVOT_AWS_PRICING_URL: 'awsPricingBaseUrl',
  RIGPIVOT_AWS_SPOT_URL: 'awsSpotUrl',
  RIGPIVOT_AWS_REGIONS: 'awsRegions',
  RIGPIVOT_MARKETPLACE_FILE: 'marketplaceFile',
  RIGPIVOT_MARKETPLACE_URL: 'marketplaceUrl',
  RIGPIVOT_HTTP_DEADLINE_S: 'httpDeadlineS',
  RIGPIVOT_HTTP_MAX_MB: 'httpMaxMB',
  RIGPIVOT_HTTP_STREAM_DEADLINE_S: 'httpStreamDeadlineS',
  RIGPIVOT_HTTP_STREAM_MAX_MB: 'httpStreamMaxMB',
};

/** The HTTP limits' variables, for --help and the README. */
export const HTTP_LIMITS_ENV = {
  RIGPIVOT_HTTP_DEADLINE_S:
    'overall deadline of one request to a source, retries included, seconds ' +
    `(default ${DEFAULT_SOURCES.httpDeadlineS})`,
  RIGPIVOT_HTTP_MAX_MB: `largest JSON answer from a source, MB (default ${DEFAULT_SOURCES.httpMaxMB})`,
  RIGPIVOT_HTTP_STREAM_DEADLINE_S:
    'deadline of one streamed AWS offer file download, seconds ' +
    `(default ${DEFAULT_SOURCES.httpStreamDeadlineS})`,
  RIGPIVOT_HTTP_STREAM_MAX_MB: `largest streamed AWS offer file, MB (default ${DEFAULT_SOURCES.httpStreamMaxMB})`,
} as const;

const NUMERIC = new Set<keyof SourcesConfig>([
  'httpDeadlineS',
  'httpMaxMB',
  'httpStreamDeadlineS',
  'httpStreamMaxMB',
]);

/** Defaults <- environment (RIGPIVOT_*) <- explicit overrides. */
export function loadSourcesConfig(
  env: NodeJS.ProcessEnv = {},
  overrides: Partial<SourcesConfig> = {},
): SourcesConfig {
  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    if (NUMERIC.has(key) && !/^\d{1,9}$/.test(v.trim()))
      throw new InputError(name, `expected a whole number (decimal digits), got "${v.slice(0, 40)}"`);
    fromEnv[key] =
      key === 'azureRegions' || key === 'awsRegions'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : NUMERIC.has(key)
          ? Number(v)
          : v;
  }
  const r = sourcesConfigSchema.safeParse({ ...DEFAULT_SOURCES, ...fromEnv, ...overrides });
  if (!r.success)
    throw new InputError('sources config (RIGPIVOT_* environment)', formatIssues(r.error).join('; '));
  return r.data;
}
