import { createHash, timingSafeEqual } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import swaggerUi from 'swagger-ui-express';
import type { AdviceService } from '../engine/index.ts';
import { buildOpenApi } from './schemas.ts';
import { errorHandler, limitDepth, sendError } from './http.ts';
import { fastGets, mount } from './route-table.ts';
import { AnswerCache } from './answers.ts';
import { ROUTES, type RouteContext } from './routes.ts';
import { accessLog } from './access-log.ts';
import { logger, type Log } from '../lib/log.ts';
import { ComputeQuota, DEFAULT_COST_LIMITS, type CostLimits } from './cost.ts';
import type { ComputePool } from './pool.ts';

const apiLog = logger('api');

export interface ApiOptions {
  version: string;
  /** When set, POST routes need it (X-API-Key or Authorization: Bearer). */
  apiKey?: string | null;
  /** With apiKey: the GET routes that compute (/allocation, /risk, /sensitivity) need it too. */
  apiKeyForCostlyGets?: boolean;
  /**
   * Where answers that compute are computed when not cached: the worker pool (the caller owns it and
   * closes it), or absent/null = in the server process (blocks the event loop while it runs).
   */
  pool?: ComputePool | null;
  /** What one request may cost and how many computations a client may start a minute. */
  costLimits?: Partial<CostLimits>;
  /** Origins allowed to call the API from a browser; empty = CORS off. "*" allows any. */
  corsOrigins?: string[];
  /** Requests per minute per client IP on all routes, and on the expensive POST routes. 0 = no limit. */
  rateLimitPerMin?: number;
  postRateLimitPerMin?: number;
  /** Largest JSON body accepted, bytes. */
  bodyLimitBytes?: number;
  /** Deepest nesting of a JSON body accepted (objects and arrays), levels (default 32). */
  bodyMaxDepth?: number;
  /** Runs a collection (POST /api/v1/collect); absent = the route answers 404. */
  collect?: RouteContext['collect'];
  /** How long the serialised answers are kept, seconds (default 3600), and at most how many (default 500). */
  cacheTtlS?: number;
  maxCachedAnswers?: number;
  /** Where server errors (5xx) are written; default the `api` logger at error level. */
  log?: (line: string) => void;
  /** When set, one access-log line per request (api/access-log.ts); `serve` passes the `access` logger. */
  accessLog?: Log;
}

const require = createRequire(import.meta.url);
const CHART_JS_DIR = dirname(require.resolve('chart.js'));
// The dashboard's static files stay in src/ (the build compiles TypeScript only): the same folder whether
// this module runs from src/api/ or build/api/.
const DASHBOARD_DIR = join(import.meta.dirname, '../../src/dashboard');
// The CSV field writer the dashboard shares with the CLI (plain JavaScript in src/lib).
const CSV_FIELD_JS = join(import.meta.dirname, '../../src/lib/csv-field.js');
export const HELMET_OPTIONS = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } };

/** The express app: JSON API under /api/v1, OpenAPI and docs, the dashboard at /. Listening is the caller's. */
export function createApp(service: AdviceService, o: ApiOptions): express.Express {
  const log = o.log ?? ((l: string) => apiLog.error(l));
  const app = express();
  if (o.accessLog) app.use(accessLog(o.accessLog)); // first: it times and counts every answer
  app.disable('x-powered-by');
  app.set('etag', false); // cacheable answers carry their own ETag (hash computed once, with the answer)
  app.set('query parser', 'simple');
  app.use(staticHeaders(helmet(HELMET_OPTIONS)));
  app.use(cors(o.corsOrigins ?? []));
  const perMin = o.rateLimitPerMin ?? 1200;
  if (perMin > 0) app.use(limiter(perMin, isHealth)); // a rate-limited client can still see /health
  const postLimit = o.postRateLimitPerMin ?? 60;
  const postGuard = [
    requireKey(o.apiKey ?? null),
    ...(postLimit > 0 ? [limiter(postLimit)] : []),
    requireJson,
    express.json({ limit: o.bodyLimitBytes ?? 1_000_000, strict: true }),
    limitDepth(o.bodyMaxDepth ?? 32),
  ];

  const openapi = buildOpenApi(o.version, ROUTES);
  const v1 = express.Router();
  const answers = new AnswerCache({ ttlS: o.cacheTtlS ?? 3600, maxKeys: o.maxCachedAnswers ?? 500 });
  service.onStale(() => answers.flush()); // a new snapshot (or a collection) makes every cached answer stale
  const limits: CostLimits = { ...DEFAULT_COST_LIMITS, ...o.costLimits };
  const ctx: RouteContext = {
    service,
    answers,
    version: o.version,
    collect: o.collect,
    jobs: { collecting: false },
    limits,
    pool: o.pool ?? null,
  };
  const quota = new ComputeQuota(limits.computePerMin);
  const pool = o.pool ?? null;
  const cachedGets = mount(v1, ROUTES, ctx, {
    guard: postGuard,
    answers,
    costlyGuard: o.apiKeyForCostlyGets && o.apiKey ? [requireKey(o.apiKey)] : [],
    compute: async (req, a, task) => {
      quota.take(ipKeyGenerator(req.socket.remoteAddress ?? 'unknown'), a.key);
      if (!pool) return answers.bytes(a).enc;
      const bytes = await pool.run(a.key, task);
      answers.put(a.key, bytes);
      return bytes;
    },
  });
  app.use(fastGets('/api/v1', cachedGets)); // the cached answers without the router's walk
  app.use('/api/v1', v1);
  app.get('/api/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(openapi);
  });
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(openapi, { customSiteTitle: 'rigpivot API' }));
  app.use('/api', (req, res) =>
    sendError(
      res,
      404,
      'NOT_FOUND',
      `no route ${req.method} ${req.originalUrl.slice(0, 200)}; see /api/openapi.json`,
    ),
  );
  app.get('/vendor/chart.umd.min.js', (_req, res) =>
    res.sendFile(join(CHART_JS_DIR, 'chart.umd.min.js'), { maxAge: '1d' }),
  );
  app.get('/lib/csv-field.js', (_req, res) => res.sendFile(CSV_FIELD_JS, { maxAge: 0 }));
  app.use(dashboard());
  app.use((req, res) => sendError(res, 404, 'NOT_FOUND', `nothing at ${req.originalUrl.slice(0, 200)}`));
  app.use(errorHandler(log));
  return app;
}

/** GET/HEAD /api/v1/health, as express routes it (case-insensitive, optional trailing slash). */
function isHealth(req: Request): boolean {
  return /^\/api\/v1\/health\/?$/i.test(req.path);
}

/**
 * The dashboard's page, script and styles: only files with a web extension that are not tests
 * (the folder also holds the browser test, which must never be served), listed once at start-up.
 */
function dashboard() {
  const files = new Set(
    readdirSync(DASHBOARD_DIR)
      .filter((f) => /\.(html|js|css|svg|png|ico)$/.test(f) && !/\.test\./.test(f))
      .map((f) => `/${f}`),
  );
  const serve = express.static(DASHBOARD_DIR, {
    index: 'index.html',
    maxAge: 0,
    dotfiles: 'deny',
    redirect: false,
  });
  return (req: Request, res: Response, next: NextFunction) =>
    req.path === '/' || files.has(req.path) ? serve(req, res, next) : next();
}

function limiter(perMin: number, skip: (req: Request) => boolean = () => false) {
  return rateLimit({
    skip,
    windowMs: 60_000,
    limit: perMin,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // The client is the socket's peer (trust proxy is off, so req.ip is the same address, found more slowly;
    // behind a reverse proxy every client shares its address). IPv6 clients are keyed by their /56.
    keyGenerator: (req: Request) => ipKeyGenerator(req.socket.remoteAddress ?? 'unknown'),
    // The double-count check allocates two maps per request on the hot path; each limiter here is mounted once.
    validate: { singleCount: false },
    handler: (_req, res, _next, opts) =>
      sendError(
        res,
        opts.statusCode,
        'RATE_LIMITED',
        `more than ${perMin} requests a minute from this client; slow down: try again after the ` +
          'Retry-After seconds',
      ),
  });
}

function requireKey(key: string | null) {
  const want = key ? createHash('sha256').update(key).digest() : null;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!want) return next();
    const auth = req.headers.authorization;
    const given =
      (typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined) ??
      (auth?.startsWith('Bearer ') ? auth.slice(7) : undefined);
    if (given !== undefined && timingSafeEqual(createHash('sha256').update(given).digest(), want))
      return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="rigpivot"');
    sendError(
      res,
      401,
      'UNAUTHORIZED',
      given === undefined
        ? 'this route needs the API key (X-API-Key header or Authorization: Bearer)'
        : 'wrong API key',
    );
  };
}

function requireJson(req: Request, res: Response, next: NextFunction) {
  if (req.is('application/json')) return next();
  sendError(
    res,
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `expected Content-Type: application/json, ` +
      `got ${req.headers['content-type'] ? `"${String(req.headers['content-type']).slice(0, 80)}"` : 'none'}`,
  );
}

function cors(origins: string[]) {
  const any = origins.includes('*');
  return (req: Request, res: Response, next: NextFunction) => {
    if (origins.length === 0) return next();
    res.vary('Origin'); // the answer depends on it: a shared cache must not hand one origin's to another
    const origin = req.headers.origin;
    if (!origin || (!any && !origins.includes(origin))) return next();
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-API-Key, Authorization, If-None-Match');
      res.setHeader('Access-Control-Max-Age', '600');
      return void res.status(204).end();
    }
    next();
  };
}

/**
 * helmet's headers do not depend on the request: run its middleware once at start-up against a recorder,
 * then set the recorded headers per request in one step (same headers, a fraction of the per-request cost).
 */
export function staticHeaders(mw: (req: Request, res: Response, next: (err?: unknown) => void) => void) {
  const headers = new Map<string, string | number | readonly string[]>();
  const recorder = {
    setHeader: (k: string, v: string) => void headers.set(k.toLowerCase(), v),
    removeHeader: (k: string) => void headers.delete(k.toLowerCase()),
    getHeader: (k: string) => headers.get(k.toLowerCase()),
  };
  let called = false;
  mw(
    { headers: {}, method: 'GET', url: '/' } as unknown as Request,
    recorder as unknown as Response,
    (err) => {
      if (err) throw err;
      called = true;
    },
  );
  if (!called) throw new Error('helmet did not finish synchronously: its headers cannot be precomputed');
  const list = [...headers];
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const [k, v] of list) res.setHeader(k, v);
    next();
  };
}
