import { z } from 'zod';
import type { AdviceService } from '../engine/index.ts';
import { readReportFile, RISK_DEFAULTS, type AdviceRequest, type RiskRequest } from '../engine/index.ts';
import { listAssumptions } from '../config/schema.ts';
import type { AnswerCache } from './answers.ts';
import { checkRisk, checkWhatIf, type CostLimits } from './cost.ts';
import { answerOf, type ComputeTask } from './compute-task.ts';
import type { ComputePool } from './pool.ts';
import { HttpError, hidePaths } from './http.ts';
import { answer, file, json, type FileReply, type Route } from './route-table.ts';
import {
  adviceQuery,
  allocationBody,
  collectBody,
  doc,
  errorSchema,
  errors,
  computeErrors,
  historyQuery,
  incomeParams,
  incomeQuery,
  reportParams,
  riskQuery,
  sensitivityQuery,
} from './schemas.ts';

/** What the handlers work with: the engine, the server's version, and the collection hook with its lock. */
export interface RouteContext {
  service: AdviceService;
  /** The byte cache of the answers (its stats are in /health). */
  answers: AnswerCache;
  version: string;
  /** Runs a collection (POST /api/v1/collect); absent = the route answers 404. */
  collect?: (req: z.infer<typeof collectBody>) => Promise<unknown>;
  jobs: { collecting: boolean };
  /** Cost limits of the routes that compute. */
  limits: CostLimits;
  /** The worker pool (its load is in /health), or null when answers compute in-process. */
  pool: ComputePool | null;
}

const unauthorized = {
  401: doc('API key missing or wrong', errorSchema),
};

/**
 * Every route of /api/v1: its path (written once), per method the request schemas, the documented
 * responses, the cache behaviour and the handler. api/app.ts mounts it; api/schemas.ts documents it.
 */
export const ROUTES: readonly Route<RouteContext>[] = [
  {
    path: '/health',
    get: json({
      summary: "Process status, snapshot age and each source's freshness tier",
      responses: { 200: doc('status') },
      cacheControl: 'no-store',
      handle: (_i, { service, answers, version, pool }: RouteContext) => {
        const snapshot = service.snapshotSummary();
        const store = service.storeHealth();
        const storeOk = store.status !== 'damaged';
        return {
          status: !storeOk ? 'unhealthy' : 'error' in snapshot ? 'degraded' : 'ok',
          version,
          uptimeS: Math.round(process.uptime()),
          decisionDate: service.today(),
          snapshot: 'error' in snapshot ? { error: hidePaths(snapshot.error) } : snapshot,
          store: 'error' in store ? { status: store.status, error: hidePaths(store.error) } : store,
          sources: (storeOk ? service.sourceStatus() : []).map((s) => ({
            ...s,
            lastError: s.lastError === null ? null : hidePaths(s.lastError),
          })),
          cache: answers.stats(),
          pool: pool?.stats() ?? null,
        };
      },
    }),
  },
  {
    path: '/market',
    get: answer({
      summary:
        'The current snapshot: every input with value, unit, as-of, source, ' +
        'kind (measured/approximate/derived/assumed) and freshness tier',
      responses: { 200: doc('market inputs'), ...errors },
      handle: (_i, { service }: RouteContext) => service.market(),
    }),
  },
  {
    path: '/gpus',
    get: answer({
      summary: 'The GPU/ASIC catalogue with specs and sources',
      responses: { 200: doc('catalogue') },
      handle: (_i, { service }: RouteContext) => service.gpus(),
    }),
  },
  {
    path: '/gpus/:model/income',
    get: answer({
      summary: 'Net USD per device per day for RVN, ERG and AI of one model at a site',
      params: incomeParams,
      query: incomeQuery,
      responses: { 200: doc('income'), ...errors },
      handle: ({ params, query }, { service }: RouteContext) =>
        service.income(params.model, query.site, query.cmpPatched ?? false),
    }),
  },
  {
    path: '/allocation',
    get: answer({
      summary: 'Advice for the configured fleet (cached per snapshot; ETag)',
      query: adviceQuery,
      responses: {
        200: doc(
          'moves (per site, model and from -> to use: count and USD/day after switching cost, largest ' +
            'first; gain: the one gain figure, after switching cost, with the before figure as its ' +
            'companion; cells: a reason for every choice the per-model incomes do not explain) + ' +
            'warnings (uncertain inputs whose break-even would change the advice; null in the summary view ' +
            'until view=full ran that search for the same request) + warningsCheck (searched or not-run, ' +
            "the decision's own warnings, a note) + meta (snapshot, as-of, " +
            'stale inputs) + allocation (summary, with plan: keep / move / sell over the horizon per cell, ' +
            'cash from sales, capex, net; payback days and sell date in view=full) or advice (the report ' +
            'data, view=full) ' +
            '[+ charts]',
        ),
        304: { description: 'not modified (If-None-Match)' },
        ...errors,
        ...computeErrors,
      },
      handle: (i, { service }: RouteContext) => answerOf(service, allocationTask(i)),
      offload: allocationTask,
    }),
    post: answer({
      summary: 'What-if: advice for a fleet and overrides sent in the body',
      guarded: true,
      query: adviceQuery,
      body: allocationBody,
      cacheControl: 'no-store',
      responses: {
        200: doc('as GET'),
        ...unauthorized,
        413: doc(
          'body too large, or COST_LIMIT: more cells (fleet.gpus entries) than a what-if takes ' +
            '(RIGPIVOT_WHATIF_MAX_CELLS, default 3,000)',
          errorSchema,
        ),
        415: doc('not JSON', errorSchema),
        422: doc('no feasible allocation', errorSchema),
        ...errors,
        ...computeErrors,
      },
      handle: ({ query: q, body: b }, { service, limits }: RouteContext) => {
        checkWhatIf(b.fleet, limits, b.overrides?.addGpus?.length ?? 0);
        return answerOf(service, whatIfTask(q, b));
      },
      offload: ({ query: q, body: b }) => whatIfTask(q, b),
    }),
  },
  {
    path: '/risk',
    get: answer({
      summary:
        'Monte Carlo P10/P50/P90 of net income per device over a horizon, per model and use, ' +
        'and P(AI beats mining) (block bootstrap of coin returns, seeded)',
      query: riskQuery,
      responses: {
        200: doc('bands'),
        ...errors,
        400: doc(
          'bad request: the message names the field; COST_LIMIT: catalogue models x paths x horizon ' +
            'over the budget (RIGPIVOT_RISK_MAX_COST, default 40,000,000 path-days)',
          errorSchema,
        ),
        ...computeErrors,
      },
      handle: ({ query: q }, { service, limits }: RouteContext) => {
        const r = riskRequest(q);
        checkRisk(
          service.reference.models.size + service.fleet.customModels.length,
          r.paths ?? RISK_DEFAULTS.paths,
          r.horizonDays ?? RISK_DEFAULTS.horizonDays,
          limits,
        );
        return answerOf(service, { call: 'risk', args: [r] });
      },
      offload: ({ query: q }) => ({ call: 'risk', args: [riskRequest(q)] }),
    }),
  },
  {
    path: '/sensitivity',
    get: answer({
      summary:
        "Tornado for the server's fleet: fleet net USD/day when each input (coin prices, difficulty, " +
        'tariffs, AI price, utilisation, AI demand) alone moves by -step/+step, re-optimised each time; ' +
        'with a chart.js spec',
      query: sensitivityQuery,
      responses: { 200: doc('bars, largest swing first'), ...errors, ...computeErrors },
      handle: (i, { service }: RouteContext) => answerOf(service, sensitivityTask(i)),
      offload: sensitivityTask,
    }),
  },
  {
    path: '/assumptions',
    get: json({
      summary: 'Every model assumption with its value, unit and reason',
      responses: { 200: doc('assumptions') },
      handle: (_i, { service }: RouteContext) => ({ assumptions: listAssumptions(service.config) }),
    }),
  },
  {
    path: '/history',
    get: json({
      summary: 'Dated history (coin prices, cloud GPU prices); without series: the list of series',
      query: historyQuery,
      cacheControl: 'private, max-age=60',
      responses: { 200: doc('points with date, value, source'), ...errors },
      handle: ({ query: q }, { service }: RouteContext) =>
        q.series === undefined ? service.historySeries() : service.historyRows(q.series, q.key, q.from, q.to),
    }),
  },
  {
    path: '/reports',
    get: json({
      summary: 'Report dates and their files',
      responses: { 200: doc('list') },
      handle: (_i, { service }: RouteContext) => ({ reports: service.reports() }),
    }),
  },
  {
    path: '/reports/:date',
    get: file({
      summary: 'report.json of a day',
      params: reportParams,
      responses: { 200: doc('report'), ...errors },
      handle: ({ params }, { service }: RouteContext) => ({
        bytes: readReportFile(service.reportsDir, params.date, 'report.json'),
        type: 'application/json; charset=utf-8',
      }),
    }),
  },
  {
    path: '/reports/:date/*file',
    get: file({
      summary: 'report.html, report.md or charts/<name>.png of a day',
      params: reportParams.extend({ file: z.string() }),
      responses: { 200: { description: 'the file' }, ...errors },
      handle: ({ params }, { service }: RouteContext) =>
        reportFile(readReportFile(service.reportsDir, params.date, params.file), params.file),
    }),
  },
  {
    path: '/collect',
    post: json({
      summary:
        "Collect today's market data into the store (offline by default), " +
        'then serve advice from the new snapshot',
      guarded: true,
      body: collectBody,
      cacheControl: 'no-store',
      responses: {
        200: doc('per-source results'),
        ...unauthorized,
        409: doc('a collection is already running', errorSchema),
        ...errors,
      },
      handle: async ({ body }, ctx: RouteContext) => {
        if (!ctx.collect)
          throw new HttpError(
            404,
            'NOT_AVAILABLE',
            'this server was started without collection: ' +
              'run `rigpivot collect` on its host, or serve with `rigpivot serve`',
          );
        if (ctx.jobs.collecting)
          throw new HttpError(409, 'BUSY', 'a collection is already running; try again when it has finished');
        ctx.jobs.collecting = true;
        try {
          const result = await ctx.collect(body);
          ctx.service.invalidate();
          return result;
        } finally {
          ctx.jobs.collecting = false;
        }
      },
    }),
  },
];

function whatIfRequest(q: z.infer<typeof adviceQuery>, b: z.infer<typeof allocationBody>): AdviceRequest {
  return { fleet: b.fleet, whatIf: b.overrides, charts: q.charts ?? false, view: q.view };
}

/** The computing routes' tasks: `handle` runs them in-process, `offload` hands them to the worker pool. */
function allocationTask({ query: q }: { query: z.infer<typeof adviceQuery> }): ComputeTask {
  return { call: 'adviceIn', args: [{ charts: q.charts ?? false, view: q.view }, q.currency] };
}

function whatIfTask(q: z.infer<typeof adviceQuery>, b: z.infer<typeof allocationBody>): ComputeTask {
  return { call: 'adviceIn', args: [whatIfRequest(q, b), b.currency ?? q.currency] };
}

function sensitivityTask({ query: q }: { query: z.infer<typeof sensitivityQuery> }): ComputeTask {
  return { call: 'sensitivity', args: [q.step] };
}

function riskRequest(q: z.infer<typeof riskQuery>): RiskRequest & { site?: string } {
  return { site: q.site, paths: q.paths, horizonDays: q.horizon, blockDays: q.block, seed: q.seed };
}

function reportFile(bytes: Buffer, name: string): FileReply {
  if (name.endsWith('.png')) return { bytes, type: 'image/png' };
  if (name.endsWith('.md')) return { bytes, type: 'text/markdown; charset=utf-8' };
  if (!name.endsWith('.html')) return { bytes, type: 'application/json; charset=utf-8' };
  // report HTML is self-contained: it loads nothing, runs no script
  const csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
  return { bytes, type: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': csp } };
}
