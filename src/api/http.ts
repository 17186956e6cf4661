import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { AppError, DataError, InputError, SolveError } from '../errors.ts';
import { NotFoundError } from '../engine/index.ts';
import type { Encoded } from './answers.ts';

/** A client mistake with its HTTP status; `details` are safe to show (field paths, expectations). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Validate a request part with its zod schema; a 400 naming each bad field otherwise. */
export function parseRequest<T extends z.ZodType>(
  schema: T,
  value: unknown,
  part: 'query' | 'body' | 'params',
): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({
    path: [part, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new HttpError(
    400,
    'INVALID_REQUEST',
    `invalid ${part}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`.slice(0, 2000),
    { issues },
  );
}

/**
 * Send a pre-serialised JSON answer with its strong ETag; 304 when the client already has it.
 * `X-Cache` says whether the server computed it for this request.
 */
export function sendCached(
  req: Request,
  res: Response,
  c: Encoded & { hit: boolean },
  cacheControl = 'private, no-cache',
): void {
  const gz = c.gzip !== null && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const etag = gz ? c.gzipEtag! : c.etag;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', cacheControl);
  res.vary('Accept-Encoding'); // added to, not replacing, CORS's Vary: Origin
  res.setHeader('X-Cache', c.hit ? 'HIT' : 'MISS');
  const inm = req.headers['if-none-match'];
  if (
    inm &&
    inm.split(',').some((t) => {
      const x = t.trim();
      return x === etag || x === `W/${etag}` || x === '*';
    })
  ) {
    res.status(304).end();
    return;
  }
  // The answer is already bytes with its ETag checked above: write it directly (express's send would
  // re-derive the type, the length and freshness on every request of the hot path).
  const bytes = gz ? c.gzip! : c.body;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (gz) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', bytes.length);
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res
    .status(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: { code, message, ...(details === undefined ? {} : { details }) } }));
}

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
}

/**
 * Reject a JSON body that nests deeper than `maxDepth` (a 10,000-deep fleet overflowed the stack of the
 * cache-key builder): 400 naming the top-level field. Measured without recursion.
 */
export function limitDepth(maxDepth: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const deep = tooDeep(req.body, maxDepth);
    if (deep === null) return next();
    sendError(
      res,
      400,
      'BODY_TOO_DEEP',
      `${deep} nests more than ${maxDepth} levels of objects and arrays; at most ${maxDepth} are accepted`,
      { path: deep, maxDepth },
    );
  };
}

/** The top-level path (`body` or `body.<field>`) under which `value` nests deeper than `max`, or null. */
export function tooDeep(value: unknown, max: number): string | null {
  const stack: { v: unknown; depth: number; top: string }[] = [{ v: value, depth: 1, top: 'body' }];
  while (stack.length > 0) {
    const { v, depth, top } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return top;
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    for (const [k, x] of entries)
      stack.push({ v: x, depth: depth + 1, top: depth === 1 ? `body.${k}` : top });
  }
  return null;
}

/**
 * Absolute file paths in a message, shortened to their last two parts (`…/snapshots/2026-11-25.json`):
 * answers name the file without showing the server's layout (the server log keeps the full message).
 * The API's own routes (`/api/...`) are left as they are.
 */
export function hidePaths(message: string): string {
  return message.replace(
    /(^|[\s"'(=])(?!\/api\/)((?:\/[^\s"'()/:]+){2,})/g,
    (_m, before: string, path: string) => `${before}…/${path.split('/').slice(-2).join('/')}`,
  );
}

/** The request's path for a log line: no query string (it may carry a secret), at most 200 characters. */
function pathOf(req: Request): string {
  return req.originalUrl.split('?')[0]!.slice(0, 200);
}

/** Every error becomes `{error:{code,message,details}}`: 4xx for the client's mistakes, never a stack trace. */
export function errorHandler(log: (line: string) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message, err.details);
    const said = err instanceof AppError ? hidePaths(err.message) : '';
    if (err instanceof NotFoundError) return sendError(res, 404, err.code, said);
    if (err instanceof InputError) return sendError(res, 400, err.code, said, { path: hidePaths(err.path) });
    if (err instanceof SolveError) return sendError(res, 422, err.code, said);
    if (err instanceof DataError) {
      log(`${new Date().toISOString()} 503 ${req.method} ${pathOf(req)}: ${err.message}`);
      return sendError(res, 503, err.code, said);
    }
    if (err instanceof AppError && err.exitCode === 2) return sendError(res, 400, err.code, said);
    const e = err as BodyParserError;
    const status = e?.status ?? e?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code =
        e.type === 'entity.parse.failed'
          ? 'BAD_JSON'
          : e.type === 'entity.too.large'
            ? 'PAYLOAD_TOO_LARGE'
            : e.type === 'encoding.unsupported' || e.type === 'charset.unsupported'
              ? 'UNSUPPORTED_ENCODING'
              : 'BAD_REQUEST';
      const message =
        code === 'BAD_JSON'
          ? 'the body is not valid JSON'
          : code === 'PAYLOAD_TOO_LARGE'
            ? 'the body is larger than the server accepts'
            : e.expose && e.message
              ? e.message
              : 'bad request';
      return sendError(res, status, code, message);
    }
    log(
      `${new Date().toISOString()} 500 ${req.method} ${pathOf(req)}: ` +
        `${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    sendError(
      res,
      500,
      err instanceof AppError ? err.code : 'INTERNAL',
      'internal error: the server log has the details',
    );
  };
}
