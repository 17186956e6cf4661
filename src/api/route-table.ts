import type { Request, RequestHandler, Response, Router } from 'express';
import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import type { Answer } from '../engine/index.ts';
import type { AnswerCache, Encoded } from './answers.ts';
import { parseRequest, sendCached, sendError } from './http.ts';
import type { ComputeTask } from './compute-task.ts';

/**
 * The route table's vocabulary: a route is a path (express syntax, relative to /api/v1, written once) and
 * its operations per method. One table drives the express handlers, the 405 answers and the OpenAPI document.
 */
export type Method = 'get' | 'post';
export const METHODS: readonly Method[] = ['get', 'post'];

type Params = z.ZodObject | z.ZodPipe;
type Body = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** The validated request parts a handler gets (a part without a schema is not read: `{}`). */
export interface Input<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

/** A stored file's bytes with its media type and any extra headers. */
export interface FileReply {
  bytes: Buffer;
  type: string;
  headers?: Record<string, string>;
}

interface Spec<P, Q, B, C, R> {
  summary: string;
  /** OpenAPI responses by status (the request parts come from the schemas below). */
  responses: Record<number, ResponseConfig>;
  params?: P;
  query?: Q;
  body?: B;
  /** API key, POST rate limit, JSON content type and body parser; documented as needing the key. */
  guarded?: boolean;
  /** Cache-Control of a successful answer (none when absent, except answers: `private, no-cache`). */
  cacheControl?: string;
  handle(input: Input<P, Q, B>, ctx: C): R;
  /**
   * The operation computes (an `answer` whose value is heavy): on a cache miss the answer is computed by
   * this task through MountOptions.compute (the worker pool, a per-client quota) instead of in-process;
   * a GET also gets MountOptions.costlyGuard (the optional API key). Documented 429 and 503.
   */
  offload?: (input: Input<P, Q, B>, ctx: C) => ComputeTask;
}

/**
 * How an operation answers: `answer` = pre-serialised bytes with a strong ETag (304 on If-None-Match, gzip
 * or, once made for a cached answer, brotli when accepted, X-Cache HIT/MISS); `json` = a value sent with
 * res.json; `file` = stored bytes as they are.
 */
export type Operation<C> =
  | (Spec<Params, Params, Body, C, Answer> & { reply: 'answer' })
  | (Spec<Params, Params, Body, C, unknown> & { reply: 'json' })
  | (Spec<Params, Params, Body, C, FileReply> & { reply: 'file' });

export type Route<C> = { path: string } & { [M in Method]?: Operation<C> };

export function answer<
  C,
  P extends Params | undefined = undefined,
  Q extends Params | undefined = undefined,
  B extends Body | undefined = undefined,
>(spec: Spec<P, Q, B, C, Answer>): Operation<C> {
  return { ...spec, reply: 'answer' } as Operation<C>;
}

export function json<
  C,
  P extends Params | undefined = undefined,
  Q extends Params | undefined = undefined,
  B extends Body | undefined = undefined,
>(spec: Spec<P, Q, B, C, unknown>): Operation<C> {
  return { ...spec, reply: 'json' } as Operation<C>;
}

export function file<
  C,
  P extends Params | undefined = undefined,
  Q extends Params | undefined = undefined,
  B extends Body | undefined = undefined,
>(spec: Spec<P, Q, B, C, FileReply>): Operation<C> {
  return { ...spec, reply: 'file' } as Operation<C>;
}

/** `/gpus/:model/income` -> `/gpus/{model}/income`; `/reports/:date/*file` -> `/reports/{date}/{file}`. */
export function openApiPath(path: string): string {
  return path.replace(/[:*](\w+)/g, '{$1}');
}

/** The methods a route accepts, as the Allow header lists them. */
export function allowed<C>(route: Route<C>): string[] {
  return METHODS.filter((m) => route[m]).map((m) => m.toUpperCase());
}

export interface MountOptions {
  /** Middleware before a guarded operation's handler. */
  guard: RequestHandler[];
  /** Where `answer` operations' bytes are cached. */
  answers: AnswerCache;
  /** Middleware before a GET that computes (`offload`): e.g. the API key when the server asks it there too. */
  costlyGuard?: RequestHandler[];
  /** Computes an offloaded answer missing from the cache (and caches it); default: in-process. */
  compute?: (req: Request, answer: Answer, task: ComputeTask) => Promise<Encoded>;
}

/**
 * Register every operation of the table on the router, then, per path, a 405 with the right Allow header for
 * any other method (after all handlers, so HEAD still reaches GET). Returns the chains (guards, handler) of
 * the cached GET answers on paths without parameters, by path, for fastGets.
 */
export function mount<C>(
  router: Router,
  routes: readonly Route<C>[],
  ctx: C,
  opts: MountOptions,
): Map<string, RequestHandler[]> {
  const cachedGets = new Map<string, RequestHandler[]>();
  for (const route of routes)
    for (const m of METHODS) {
      const op = route[m];
      if (!op) continue;
      const guards = [
        ...(op.guarded ? opts.guard : []),
        ...(op.offload && !op.guarded ? (opts.costlyGuard ?? []) : []),
      ];
      const chain = [...guards, handler(op, ctx, opts)];
      router[m](route.path, ...chain);
      if (m === 'get' && op.reply === 'answer' && !/[:*]/.test(route.path)) cachedGets.set(route.path, chain);
    }
  for (const route of routes) {
    const methods = allowed(route).join(', ');
    router.all(route.path, (_req, res) => {
      res.setHeader('Allow', methods);
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `${route.path} accepts ${methods}`);
    });
  }
  return cachedGets;
}

/**
 * Middleware that runs a GET (or HEAD) of `prefix` + a path of `chains` spelt exactly (any other spelling,
 * method or path goes on to the router, which answers it the same way) without the router's walk over
 * every layer: the cached answers are the hot path. Errors go to the app's error handler, as from the router.
 */
export function fastGets(prefix: string, chains: Map<string, RequestHandler[]>): RequestHandler {
  const byPath = new Map([...chains].map(([path, chain]) => [prefix + path, chain]));
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const q = req.url.indexOf('?');
    const chain = byPath.get(q < 0 ? req.url : req.url.slice(0, q));
    if (!chain) return next();
    const step = (i: number) => (err?: unknown) => {
      if (err !== undefined && err !== 'route' && err !== 'router') return next(err);
      if (err !== undefined || i === chain.length) return next(); // the router takes it from here
      try {
        const out: unknown = chain[i]!(req, res, step(i + 1));
        if (out instanceof Promise) out.catch((e: unknown) => next(e ?? new Error('rejected')));
      } catch (e) {
        next(e);
      }
    };
    step(0)();
  };
}

const NO_PART = Object.freeze({});

function handler<C>(op: Operation<C>, ctx: C, opts: MountOptions): RequestHandler {
  // A request without a query string has the empty query, validated once here (the hot path skips zod).
  const empty = op.query?.safeParse({});
  const emptyQuery = empty?.success ? Object.freeze(empty.data) : undefined;
  return (req, res) => {
    const input = {
      params: op.params ? parseRequest(op.params, joinWildcards(req.params), 'params') : NO_PART,
      query: !op.query
        ? NO_PART
        : emptyQuery !== undefined && !req.url.includes('?')
          ? emptyQuery
          : parseRequest(op.query, req.query, 'query'),
      body: op.body ? parseRequest(op.body, req.body, 'body') : NO_PART,
    } as Input<never, never, never>;
    const out: unknown = op.handle(input, ctx);
    if (op.offload && opts.compute) {
      const a = out as Answer;
      const cc = op.cacheControl ?? 'private, no-cache';
      const hit = opts.answers.peek(a.key);
      if (hit) return sendCached(req, res, hit, true, cc);
      const task = op.offload(input, ctx);
      return opts.compute(req, a, task).then((enc) => sendCached(req, res, enc, false, cc));
    }
    if (out instanceof Promise) return out.then((v) => reply(op, req, res, v, opts.answers));
    reply(op, req, res, out, opts.answers);
  };
}

function reply<C>(op: Operation<C>, req: Request, res: Response, out: unknown, answers: AnswerCache): void {
  if (op.reply === 'answer') {
    const { enc, hit } = answers.bytes(out as Answer);
    return sendCached(req, res, enc, hit, op.cacheControl ?? 'private, no-cache');
  }
  if (op.cacheControl) res.setHeader('Cache-Control', op.cacheControl);
  if (op.reply === 'json') return void res.json(out);
  const f = out as FileReply;
  res.type(f.type);
  for (const [k, v] of Object.entries(f.headers ?? {})) res.setHeader(k, v);
  res.send(f.bytes);
}

/** express 5 gives a `*name` wildcard as its path segments: joined with '/', as the path had them. */
function joinWildcards(params: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = Array.isArray(v) ? v.join('/') : v;
  return out;
}
