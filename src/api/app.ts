import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import swaggerUi from 'swagger-ui-express';
import type { AdviceService } from '../engine/index.ts';
import { readReportFile } from '../engine/index.ts';
import { listAssumptions } from '../config/schema.ts';
import {
  adviceQuery,
  allocationBody,
  buildOpenApi,
  collectBody,
  historyQuery,
  incomeParams,
  incomeQuery,
  reportParams,
  riskQuery,
  sensitivityQuery,
} from './schemas.ts';
import { HttpError, errorHandler, parseRequest, sendCached, sendError } from './http.ts';
import type { z } from 'zod';

export interface ApiOptions {
  version: string;
  /** When set, POST routes need it (X-API-Key or Authorization: Bearer). */
  apiKey?: string | null;
  /** Origins allowed to call the API from a browser; empty = CORS off. "*" allows any. */
  corsOrigins?: string[];
  /** Requests per minute per client IP on all routes, and on the expensive POST routes. 0 = no limit. */
  rateLimitPerMin?: number;
  postRateLimitPerMin?: number;
  /** Largest JSON body accepted, bytes. */
  bodyLimitBytes?: number;
  /** Runs a collection (POST /api/v1/collect); absent = the route answers 404. */
  collect?: (req: z.infer<typeof collectBody>) => Promise<unknown>;
  log?: (line: string) => void;
}

const require = createRequire(import.meta.url);
const CHART_JS_DIR = dirname(require.resolve('chart.js'));
const DASHBOARD_DIR = join(import.meta.dirname, '../dashboard');
export const HELMET_OPTIONS = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } };

/** The express app: JSON API under /api/v1, OpenAPI and docs, the dashboard at /. Listening is the caller's. */
export function createApp(service: AdviceService, o: ApiOptions): express.Express {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // cacheable answers carry their own ETag (hash computed once, with the answer)
  app.set('query parser', 'simple');
  app.use(staticHeaders(helmet(HELMET_OPTIONS)));
  app.use(cors(o.corsOrigins ?? []));
  const perMin = o.rateLimitPerMin ?? 1200;
  if (perMin > 0) app.use(limiter(perMin));
  const postLimit = o.postRateLimitPerMin ?? 60;
  const postGuard = [
    requireKey(o.apiKey ?? null),
    ...(postLimit > 0 ? [limiter(postLimit)] : []),
    requireJson,
    express.json({ limit: o.bodyLimitBytes ?? 1_000_000, strict: true }),
  ];

  const openapi = buildOpenApi(o.version);
  const v1 = express.Router();
  v1.get('/health', (_req, res) => {
    const snapshot = service.snapshotSummary();
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      status: 'error' in snapshot ? 'degraded' : 'ok',
      version: o.version,
      uptimeS: Math.round(process.uptime()),
      decisionDate: service.today(),
      snapshot,
      sources: service.sourceStatus(),
      cache: service.cacheStats(),
    });
  });
  v1.get('/market', (req, res) => sendCached(req, res, service.market()));
  v1.get('/gpus', (req, res) => sendCached(req, res, service.gpus()));
  v1.get('/gpus/:model/income', (req, res) => {
    const p = parseRequest(incomeParams, req.params, 'params');
    const q = parseRequest(incomeQuery, req.query, 'query');
    sendCached(req, res, service.income(p.model, q.site, q.cmpPatched ?? false));
  });
  v1.get('/allocation', (req, res) => {
    const q = req.url.includes('?') ? parseRequest(adviceQuery, req.query, 'query') : {}; // the hot path skips an empty query's validation
    sendCached(req, res, service.advice({ charts: q.charts ?? false, view: q.view }));
  });
  v1.post('/allocation', ...postGuard, (req, res) => {
    const q = parseRequest(adviceQuery, req.query, 'query');
    const b = parseRequest(allocationBody, req.body, 'body');
    sendCached(
      req,
      res,
      service.advice({ fleet: b.fleet, whatIf: b.overrides, charts: q.charts ?? false, view: q.view }),
      'no-store',
    );
  });
  v1.get('/risk', (req, res) => {
    const q = parseRequest(riskQuery, req.query, 'query');
    sendCached(
      req,
      res,
      service.risk({
        site: q.site,
        paths: q.paths,
        horizonDays: q.horizon,
        blockDays: q.block,
        seed: q.seed,
      }),
    );
  });
  v1.get('/sensitivity', (req, res) => {
    const q = parseRequest(sensitivityQuery, req.query, 'query');
    sendCached(req, res, service.sensitivity(q.step));
  });
  v1.get('/assumptions', (_req, res) => {
    res.json({ assumptions: listAssumptions(service.config) });
  });
  v1.get('/history', (req, res) => {
    const q = parseRequest(historyQuery, req.query, 'query');
    res.setHeader('Cache-Control', 'private, max-age=60');
    res.json(
      q.series === undefined ? service.historySeries() : service.historyRows(q.series, q.key, q.from, q.to),
    );
  });
  v1.get('/reports', (_req, res) => res.json({ reports: service.reports() }));
  v1.get('/reports/:date', (req, res) => {
    const p = parseRequest(reportParams, req.params, 'params');
    res
      .type('application/json; charset=utf-8')
      .send(readReportFile(service.reportsDir, p.date, 'report.json'));
  });
  v1.get('/reports/:date/*file', (req, res) => {
    const p = parseRequest(reportParams, { date: req.params.date }, 'params');
    const file = ([] as string[])
      .concat((req.params as Record<string, string | string[]>).file ?? [])
      .join('/');
    const bytes = readReportFile(service.reportsDir, p.date, file);
    res.type(
      file.endsWith('.png')
        ? 'image/png'
        : file.endsWith('.html')
          ? 'text/html; charset=utf-8'
          : file.endsWith('.md')
            ? 'text/markdown; charset=utf-8'
            : 'application/json; charset=utf-8',
    );
    if (file.endsWith('.html'))
      res.setHeader(
        'Content-Security-Policy',
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
      ); // report HTML is self-contained
    res.send(bytes);
  });
  let collecting = false;
  v1.post('/collect', ...postGuard, async (req, res) => {
    const b = parseRequest(collectBody, req.body, 'body');
    if (!o.collect)
      throw new HttpError(
        404,
        'NOT_AVAILABLE',
        'this server was started without collection: run `rigpivot collect` on its host, or serve with `rigpivot serve`',
      );
    if (collecting)
      throw new HttpError(409, 'BUSY', 'a collection is already running; try again when it has finished');
    collecting = true;
    try {
      const result = await o.collect(b);
      service.invalidate();
      res.setHeader('Cache-Control', 'no-store');
      res.json(result);
    } finally {
      collecting = false;
    }
  });
  methodNotAllowed(v1, {
    '/health': ['GET'],
    '/market': ['GET'],
    '/gpus': ['GET'],
    '/gpus/:model/income': ['GET'],
    '/allocation': ['GET', 'POST'],
    '/assumptions': ['GET'],
    '/risk': ['GET'],
    '/sensitivity': ['GET'],
    '/history': ['GET'],
    '/reports': ['GET'],
    '/reports/:date': ['GET'],
    '/collect': ['POST'],
  });

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
  app.use(
    express.static(DASHBOARD_DIR, { index: 'index.html', maxAge: 0, dotfiles: 'deny', redirect: false }),
  );
  app.use((req, res) => sendError(res, 404, 'NOT_FOUND', `nothing at ${req.originalUrl.slice(0, 200)}`));
  app.use(errorHandler(log));
  return app;
}

function limiter(perMin: number) {
  return rateLimit({
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
        `more than ${perMin} requests a minute from this client; slow down`,
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
    `expected Content-Type: application/json, got ${req.headers['content-type'] ? `"${String(req.headers['content-type']).slice(0, 80)}"` : 'none'}`,
  );
}

function cors(origins: string[]) {
  const any = origins.includes('*');
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (!origin || origins.length === 0 || (!any && !origins.includes(origin))) return next();
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-API-Key, Authorization, If-None-Match');
      res.setHeader('Access-Control-Max-Age', '600');
      return void res.status(204).end();
    }
    next();
  };
}

function methodNotAllowed(router: express.Router, routes: Record<string, string[]>) {
  for (const [path, methods] of Object.entries(routes)) {
    router.all(path, (_req, res) => {
      res.setHeader('Allow', methods.join(', '));
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `${path} accepts ${methods.join(', ')}`);
    });
  }
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
