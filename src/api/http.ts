import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { AppError, DataError, InputError, SolveError } from '../errors.ts';
import { NotFoundError } from '../engine/index.ts';
import { addBrotli, type Encoded } from './answers.ts';

/** A client mistake with its HTTP status; `details` are safe to show (field paths, expectations). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers (e.g. Retry-After on 429 and 503). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** An error already described (by a compute worker: a 400 for a bad fleet, a 422 for an infeasible one). */
export class ReplyError extends Error {
  constructor(readonly reply: ErrorReply) {
    super(reply.message);
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
 * Send a pre-serialised JSON answer with its strong ETag; 304 when the client already has it. The form is
 * the smallest the client accepts: brotli once made (a cached answer asked for again by a client that
 * accepts br gets it made off the event loop; gzip until then), gzip, or the JSON itself.
 * `X-Cache` says whether the server computed it for this request.
 */
export function sendCached(
  req: Request,
  res: Response,
  c: Encoded,
  hit: boolean,
  cacheControl = 'private, no-cache',
): void {
  const accepts = acceptedEncodings(req.headers['accept-encoding']);
  if (accepts.br && hit && c.br === null) void addBrotli(c);
  const [bytes, etag, encoding] =
    accepts.br && c.br !== null
      ? [c.br, c.brEtag!, 'br']
      : accepts.gzip && c.gzip !== null
        ? [c.gzip, c.gzipEtag!, 'gzip']
        : [c.body, c.etag, null];
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', cacheControl);
  // added to, not replacing, CORS's Vary: Origin
  const vary = res.getHeader('Vary');
  res.setHeader('Vary', vary === undefined ? 'Accept-Encoding' : `${String(vary)}, Accept-Encoding`);
  res.setHeader('X-Cache', hit ? 'HIT' : 'MISS');
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
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (encoding) res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', bytes.length);
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

interface Accepts {
  br: boolean;
  gzip: boolean;
}

const NONE: Accepts = Object.freeze({ br: false, gzip: false });
/** Accept-Encoding values seen (clients send the same few), parsed once each; bounded. */
const acceptMemo = new Map<string, Accepts>();
const ACCEPT_MEMO_MAX = 64;

/**
 * Which compressed forms an Accept-Encoding header allows (RFC 9110: a coding with q=0 is refused; `*`
 * stands for the codings not named).
 */
export function acceptedEncodings(header: string | undefined): Accepts {
  if (!header) return NONE;
  const known = acceptMemo.get(header);
  if (known) return known;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';');
    const weight = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(p)).find((m) => m);
    q.set(name!.trim().toLowerCase(), weight ? Number(weight[1]) : 1);
  }
  const ok = (coding: string, alias = coding) => (q.get(coding) ?? q.get(alias) ?? q.get('*') ?? 0) > 0;
  const out: Accepts = Object.freeze({ br: ok('br'), gzip: ok('gzip', 'x-gzip') });
  if (acceptMemo.size < ACCEPT_MEMO_MAX) acceptMemo.set(header, out);
  return out;
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
  /** The body limit in bytes (raw-body's 413). */
  limit?: number;
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

/** What an error becomes on the wire; `log` = the line the server log keeps (5xx and data problems). */
export interface ErrorReply {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
  log?: string;
}

/**
 * The one mapping of errors to answers (the server and the compute workers share it): 4xx for the client's
 * mistakes, 503 for data problems, 500 for the rest; never a stack trace or an absolute path on the wire.
 */
export function describeError(err: unknown): ErrorReply {
  if (err instanceof ReplyError) return err.reply;
  if (err instanceof HttpError)
    return {
      status: err.status,
      code: err.code,
      message: err.message,
      details: err.details,
      headers: err.headers,
    };
  const said = err instanceof AppError ? hidePaths(err.message) : '';
  if (err instanceof NotFoundError) return { status: 404, code: err.code, message: said };
  if (err instanceof InputError)
    return { status: 400, code: err.code, message: said, details: { path: hidePaths(err.path) } };
  if (err instanceof SolveError) return { status: 422, code: err.code, message: said };
  if (err instanceof DataError) return { status: 503, code: err.code, message: said, log: err.message };
  if (err instanceof AppError && err.exitCode === 2) return { status: 400, code: err.code, message: said };
  const e = err as BodyParserError;
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return bodyParserReply(e, status);
  return {
    status: 500,
    code: err instanceof AppError ? err.code : 'INTERNAL',
    message: 'internal error: the server log has the details',
    log: err instanceof Error ? (err.stack ?? err.message) : String(err),
  };
}

function bodyParserReply(e: BodyParserError, status: number): ErrorReply {
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
        ? tooLargeMessage(e.limit)
        : e.expose && e.message
          ? e.message
          : 'bad request';
  return { status, code, message };
}

function tooLargeMessage(limitBytes: number | undefined): string {
  const most = typeof limitBytes === 'number' ? ` (at most ${limitBytes} bytes, RIGPIVOT_BODY_LIMIT)` : '';
  return `the body is larger than the server accepts${most}: send a smaller fleet, or split it`;
}

/** Send an error reply (its headers, e.g. Retry-After, first); log its line when it has one. */
export function sendReply(res: Response, r: ErrorReply): void {
  if (!res.headersSent) for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  sendError(res, r.status, r.code, r.message, r.details);
}

/** Every error becomes `{error:{code,message,details}}`: 4xx for the client's mistakes, never a stack trace. */
export function errorHandler(log: (line: string) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const r = describeError(err);
    if (r.log !== undefined)
      log(`${new Date().toISOString()} ${r.status} ${req.method} ${pathOf(req)}: ${r.log}`);
    sendReply(res, r);
  };
}
