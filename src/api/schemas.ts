import { z } from 'zod';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { whatIfSchema } from '../engine/index.ts';
import { METHODS, openApiPath, type Route } from './route-table.ts';
import { calendarDateProblem } from '../lib/time.ts';

/**
 * Request schemas: the same zod objects validate requests and generate /api/openapi.json (via api/routes.ts).
 * Response schemas describe the envelope; the bodies carry units, as-of and provenance field by field.
 */
/** A calendar date YYYY-MM-DD: the shape, and a day that exists (2026-11-31 is a 400, not a 500). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .superRefine((s, ctx) => {
    const problem = /^\d{4}-\d{2}-\d{2}$/.test(s) ? calendarDateProblem(s) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** A display currency for the advice: the USD fields stay; `display` adds the headline converted. */
const currencyField = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'expected a 3-letter ISO 4217 code such as EUR, GBP or PLN')
  .optional()
  .meta({
    description:
      'show the headline also in this currency (`display`: rate, source, as-of, kind, converted figures); ' +
      'needs a rate in the snapshot (`collect --live`) or config fx; default: config displayCurrency when ' +
      'it has a rate. Every USD field stays; `currencies` lists those with a rate',
  });

export const adviceQuery = z
  .object({
    view: z
      .enum(['summary', 'full'])
      .optional()
      .meta({
        description:
          'summary (default): the moves, headline, per-cell allocation and plan, computed alone (fast); ' +
          'its warnings are null (warningsCheck.status not-run, never an empty list) unless the warnings ' +
          'search already ran for the same request. full: the whole report data (incomes per use, ' +
          'break-evens, inputs with provenance, assumptions, plan timings) with the warnings search ' +
          '(warnings: the uncertain inputs that would change the advice)',
      }),
    charts: flag
      .optional()
      .meta({ description: 'include the chart.js chart specs (the same ones the report renders)' }),
    currency: currencyField,
  })
  .strict();

export const allocationBody = z
  .object({
    fleet: z.unknown().optional().meta({
      description: "A fleet in the fleet-file format (see data/fleets/*.json); default: the server's fleet.",
    }),
    overrides: whatIfSchema.optional(),
    currency: currencyField,
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
      .regex(/^0?\.\d{1,2}$/, 'expected a fraction with at most two decimals, like 0.2 or 0.15')
      .transform(Number)
      .pipe(z.number().min(0.01).max(0.9))
      .optional()
      .meta({
        description:
          'relative move of each input, 0.01 to 0.9 in steps of 0.01 (default 0.2 = -20% and +20%); ' +
          'each new step is a new computation (counted by the per-client limit)',
      }),
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

/** An OpenAPI response with a JSON body (the envelope only, unless a schema is given). */
export const doc = (description: string, schema: z.ZodType = z.object({}).passthrough()) => ({
  description,
  content: { 'application/json': { schema } },
});
export const errors = {
  400: doc('bad request: the message names the field', errorSchema),
  404: doc('not found', errorSchema),
  429: doc('rate limited', errorSchema),
};

/** The answers of a route that computes (in the worker pool) besides its own. */
export const computeErrors = {
  401: doc('API key missing or wrong (only when the server asks it for these routes too)', errorSchema),
  429: doc(
    'rate limited (RATE_LIMITED), or COMPUTE_LIMIT: this client started more new computations ' +
      '(answers not in the cache) this minute than allowed (RIGPIVOT_COMPUTE_PER_MIN, default 30); ' +
      'Retry-After says when',
    errorSchema,
  ),
  503: doc(
    'BUSY: every worker is computing and the queue is full; TIME_BUDGET: the computation outran its ' +
      'budget (RIGPIVOT_TIME_BUDGET_MS, queue wait included) and was stopped; both with Retry-After ' +
      '(seconds). Also a data problem (the message says which file or source)',
    errorSchema,
  ),
};

/** The OpenAPI document of a route table mounted at /api/v1: one operation per route and method. */
export function buildOpenApi(version: string, routes: readonly Route<never>[]): object {
  const r = new OpenAPIRegistry();
  r.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description:
      'needed for POST routes when the server has an API key (RIGPIVOT_API_KEY), and for the GET routes ' +
      'that compute when it also sets RIGPIVOT_KEY_FOR_GETS=1; `Authorization: Bearer <key>` works too',
  });
  for (const route of routes)
    for (const method of METHODS) {
      const op = route[method];
      if (!op) continue;
      const request = {
        ...(op.params ? { params: op.params } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.body ? { body: { content: { 'application/json': { schema: op.body } } } } : {}),
      };
      r.registerPath({
        method,
        path: `/api/v1${openApiPath(route.path)}`,
        summary: op.summary,
        ...(op.guarded
          ? { security: [{ apiKey: [] }] }
          : op.offload
            ? { security: [{ apiKey: [] }, {}] } // the key only when the server asks it (RIGPIVOT_KEY_FOR_GETS)
            : {}),
        ...(Object.keys(request).length > 0 ? { request } : {}),
        responses: op.responses,
      });
    }
  return new OpenApiGeneratorV31(r.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'rigpivot API',
      version,
      description:
        'Mine RVN, mine ERG or rent for AI: per-GPU income and fleet allocation. ' +
        'Every figure carries its unit, as-of, source and kind; every advice names its snapshot.',
    },
    servers: [{ url: '/' }],
  });
}
