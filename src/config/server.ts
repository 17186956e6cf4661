import { InputError } from '../errors.ts';

/** API server settings from the environment (config/ is the only reader of process.env). */
export interface ServerConfig {
  apiKey: string | null;
  corsOrigins: string[];
  rateLimitPerMin: number;
  postRateLimitPerMin: number;
  bodyLimitBytes: number;
  bodyMaxDepth: number;
  /** With apiKey: the GET routes that compute need it too. */
  apiKeyForCostlyGets: boolean;
  /** Compute worker threads (null = one fewer than the cores, at least 1), queue, time budget. */
  workers: number | null;
  workerQueue: number;
  timeBudgetMs: number;
  /** Cost limits: cells per what-if, models x paths x days per /risk, new computations per client a minute. */
  whatIfMaxCells: number;
  riskMaxCost: number;
  computePerMin: number;
}

export const SERVER_ENV = {
  RIGPIVOT_API_KEY:
    'API key required by POST routes (what-if, collect); unset = open (the default host is 127.0.0.1)',
  RIGPIVOT_CORS_ORIGINS:
    'comma-separated origins allowed to call the API from a browser ("*" = any); unset = CORS off',
  RIGPIVOT_RATE_LIMIT: 'requests per minute per client IP, all routes but /health (default 1200; 0 = off)',
  RIGPIVOT_POST_RATE_LIMIT: 'requests per minute per client IP on POST routes (default 60; 0 = off)',
  RIGPIVOT_BODY_LIMIT: 'largest JSON body in bytes (default 1000000)',
  RIGPIVOT_BODY_MAX_DEPTH: 'deepest nesting of objects and arrays in a JSON body (default 32, at most 256)',
  RIGPIVOT_KEY_FOR_GETS:
    '1 = with RIGPIVOT_API_KEY, the GET routes that compute (/allocation, /risk, /sensitivity) need it too',
  RIGPIVOT_WORKERS: 'compute worker threads (default: cores - 1, at least 1)',
  RIGPIVOT_WORKER_QUEUE:
    'computations that may wait for a worker; one more answers 503 + Retry-After (default 8)',
  RIGPIVOT_TIME_BUDGET_MS: 'budget of one computation, queue wait included; past it 503 (default 30000)',
  RIGPIVOT_WHATIF_MAX_CELLS: 'most fleet.gpus entries (cells) in a what-if; more answers 413 (default 3000)',
  RIGPIVOT_RISK_MAX_COST:
    'most catalogue models x paths x horizon days per /risk request; more answers 400 (default 40000000)',
  RIGPIVOT_COMPUTE_PER_MIN:
    'new computations (answers not cached) per client IP a minute; more answers 429 (default 30; 0 = off)',
} as const;

function int(
  env: NodeJS.ProcessEnv,
  name: keyof typeof SERVER_ENV,
  dflt: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const v = /^\d{1,12}$/.test(raw.trim()) ? Number(raw) : NaN; // decimal digits: not 0x10, 1e3, -1
  if (!Number.isInteger(v) || v < min || v > max)
    throw new InputError(name, `expected an integer from ${min} to ${max}, got "${raw}"`);
  return v;
}

export function loadServerConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const key = env.RIGPIVOT_API_KEY;
  if (key !== undefined && key !== '' && key.length < 16)
    throw new InputError('RIGPIVOT_API_KEY', 'expected at least 16 characters (e.g. `openssl rand -hex 24`)');
  const origins = (env.RIGPIVOT_CORS_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of origins)
    if (o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o))
      throw new InputError(
        'RIGPIVOT_CORS_ORIGINS',
        `expected origins like https://ops.example.com (scheme://host[:port], no path), got "${o}"`,
      );
  return {
    apiKey: key ? key : null,
    corsOrigins: origins,
    rateLimitPerMin: int(env, 'RIGPIVOT_RATE_LIMIT', 1200, 0, 1e9),
    postRateLimitPerMin: int(env, 'RIGPIVOT_POST_RATE_LIMIT', 60, 0, 1e9),
    bodyLimitBytes: int(env, 'RIGPIVOT_BODY_LIMIT', 1_000_000, 1024, 100_000_000),
    bodyMaxDepth: int(env, 'RIGPIVOT_BODY_MAX_DEPTH', 32, 4, 256),
    apiKeyForCostlyGets: int(env, 'RIGPIVOT_KEY_FOR_GETS', 0, 0, 1) === 1,
    workers: env.RIGPIVOT_WORKERS ? int(env, 'RIGPIVOT_WORKERS', 1, 1, 64) : null,
    workerQueue: int(env, 'RIGPIVOT_WORKER_QUEUE', 8, 0, 10_000),
    timeBudgetMs: int(env, 'RIGPIVOT_TIME_BUDGET_MS', 30_000, 100, 3_600_000),
    whatIfMaxCells: int(env, 'RIGPIVOT_WHATIF_MAX_CELLS', 3_000, 1, 1e7),
    riskMaxCost: int(env, 'RIGPIVOT_RISK_MAX_COST', 40_000_000, 1, 1e12),
    computePerMin: int(env, 'RIGPIVOT_COMPUTE_PER_MIN', 30, 0, 1e9),
  };
}
