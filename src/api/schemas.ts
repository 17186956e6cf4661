import { z } from 'zod';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { whatIfSchema } from '../engine/index.ts';

/**
 * Request schemas: the same zod objects validate requests (api/app.ts) and generate /api/openapi.json.
 * Response schemas describe the envelope; the bodies carry units, as-of and provenance field by field.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

export const adviceQuery = z
  .object({
    view: z.enum(['summary', 'full']).optional().meta({
      description:
        'summary (default): the decision, headline and per-cell allocation; full: the whole report data (incomes per use, break-evens, inputs with provenance, assumptions)',
    }),
    charts: flag
      .optional()
      .meta({ description: 'include the chart.js chart specs (the same ones the report renders)' }),
  })
  .strict();

export const allocationBody = z
  .object({
    fleet: z.unknown().optional().meta({
      description: "A fleet in the fleet-file format (see data/fleets/*.json); default: the server's fleet.",
    }),
    overrides: whatIfSchema.optional(),
  })
  .strict()
  .meta({ id: 'AllocationRequest' });

export const incomeParams = z.object({
  model: z.string().min(1).max(100).meta({ description: 'catalogue model id, e.g. rtx-3070' }),
});
export const incomeQuery = z
  .object({
    site: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: "site id of the server's fleet (default: the config default site)" }),
    cmpPatched: flag.optional().meta({ description: 'price CMP cards as community-unlocked for AI' }),
  })
  .strict();

export const historyQuery = z
  .object({
    series: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'e.g. coin.priceUsd, cloud.onDemandUsdPerGpuHour; omit to list the series' }),
    key: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'e.g. RVN; needed when the series has several keys' }),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'from must be on or before to',
    path: ['from'],
  });

const intIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
export const riskQuery = z
  .object({
    paths: intIn(100, 50_000).optional().meta({ description: 'simulated paths (default 10,000)' }),
    horizon: intIn(1, 365).optional().meta({ description: 'days (default 30)' }),
    block: intIn(1, 90).optional().meta({ description: 'bootstrap block length, days (default 10)' }),
    seed: intIn(0, 2 ** 31 - 1)
      .optional()
      .meta({ description: 'random seed (default 1)' }),
    site: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: "site id of the server's fleet (default: the config default site)" }),
  })
  .strict();

export const sensitivityQuery = z
  .object({
    step: z
      .string()
      .regex(/^0?\.\d{1,4}$/, 'expected a fraction like 0.2')
      .transform(Number)
      .pipe(z.number().min(0.01).max(0.9))
      .optional()
      .meta({ description: 'relative move of each input, 0.01 to 0.9 (default 0.2 = -20% and +20%)' }),
  })
  .strict();

export const reportParams = z.object({ date: isoDate });

export const collectBody = z
  .object({
    live: z
      .boolean()
      .default(false)
      .meta({ description: 'call the real endpoints (else load the embedded snapshot)' }),
    sources: z.array(z.string().min(1).max(40)).max(20).optional(),
    date: isoDate.optional(),
  })
  .strict()
  .meta({ id: 'CollectRequest' });

export const errorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .meta({ id: 'Error' });

const json = (description: string, schema: z.ZodType = z.object({}).passthrough()) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  400: json('bad request: the message names the field', errorSchema),
  404: json('not found', errorSchema),
  429: json('rate limited', errorSchema),
};

export function buildOpenApi(version: string): object {
  const r = new OpenAPIRegistry();
  r.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description:
      'needed for POST routes when the server has an API key (RIGPIVOT_API_KEY); `Authorization: Bearer <key>` works too',
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/health',
    summary: "Process status, snapshot age and each source's freshness tier",
    responses: { 200: json('status') },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/market',
    summary:
      'The current snapshot: every input with value, unit, as-of, source, kind (measured/derived/assumed) and freshness tier',
    responses: { 200: json('market inputs'), ...errors },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/gpus',
    summary: 'The GPU/ASIC catalogue with specs and sources',
    responses: { 200: json('catalogue') },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/gpus/{model}/income',
    summary: 'Net USD per device per day for RVN, ERG and AI of one model at a site',
    request: { params: incomeParams, query: incomeQuery },
    responses: { 200: json('income'), ...errors },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/allocation',
    summary: 'Advice for the configured fleet (cached per snapshot; ETag)',
    request: { query: adviceQuery },
    responses: {
      200: json('meta (snapshot, as-of, stale inputs) + advice (the report data) [+ charts]'),
      304: { description: 'not modified (If-None-Match)' },
      ...errors,
    },
  });
  r.registerPath({
    method: 'post',
    path: '/api/v1/allocation',
    summary: 'What-if: advice for a fleet and overrides sent in the body',
    security: [{ apiKey: [] }],
    request: { query: adviceQuery, body: { content: { 'application/json': { schema: allocationBody } } } },
    responses: {
      200: json('as GET'),
      401: json('API key missing or wrong', errorSchema),
      413: json('body too large', errorSchema),
      415: json('not JSON', errorSchema),
      422: json('no feasible allocation', errorSchema),
      ...errors,
    },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/reports',
    summary: 'Report dates and their files',
    responses: { 200: json('list') },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/reports/{date}',
    summary: 'report.json of a day',
    request: { params: reportParams },
    responses: { 200: json('report'), ...errors },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/reports/{date}/{file}',
    summary: 'report.html, report.md or charts/<name>.png of a day',
    request: { params: reportParams.extend({ file: z.string() }) },
    responses: { 200: { description: 'the file' }, ...errors },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/history',
    summary: 'Dated history (coin prices, cloud GPU prices); without series: the list of series',
    request: { query: historyQuery },
    responses: { 200: json('points with date, value, source'), ...errors },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/sensitivity',
    summary:
      "Tornado for the server's fleet: fleet net USD/day when each input (coin prices, difficulty, tariffs, AI price, utilisation, AI demand) alone moves by -step/+step, re-optimised each time; with a chart.js spec",
    request: { query: sensitivityQuery },
    responses: { 200: json('bars, largest swing first'), ...errors },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/risk',
    summary:
      'Monte Carlo P10/P50/P90 of net income per device over a horizon, per model and use, and P(AI beats mining) (block bootstrap of coin returns, seeded)',
    request: { query: riskQuery },
    responses: { 200: json('bands'), ...errors },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/assumptions',
    summary: 'Every model assumption with its value, unit and reason',
    responses: { 200: json('assumptions') },
  });
  r.registerPath({
    method: 'post',
    path: '/api/v1/collect',
    summary:
      "Collect today's market data into the store (offline by default), then serve advice from the new snapshot",
    security: [{ apiKey: [] }],
    request: { body: { content: { 'application/json': { schema: collectBody } } } },
    responses: {
      200: json('per-source results'),
      401: json('API key missing or wrong', errorSchema),
      409: json('a collection is already running', errorSchema),
      ...errors,
    },
  });
  return new OpenApiGeneratorV31(r.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'rigpivot API',
      version,
      description:
        'Mine RVN, mine ERG or rent for AI: per-GPU income and fleet allocation. Every figure carries its unit, as-of, source and kind; every advice names its snapshot.',
    },
    servers: [{ url: '/' }],
  });
}
