import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import NodeCache from 'node-cache';
import { Transform, type Readable } from 'node:stream';
import { SourceHttpError } from '../errors.ts';
import { DEFAULT_SOURCES, type SourcesConfig } from '../config/sources.ts';
import { redactUrl, sameHost } from './urls.ts';
import { logger } from '../lib/log.ts';

export { redactUrl, sameHost };

/**
 * The only HTTP caller. Idle timeout and an overall deadline per request (a trickling upstream fails at the
 * deadline, retries included); a response size cap (after decompression); redirects followed only to the
 * same host, so API keys and passwords never reach another host; retry with exponential backoff (and
 * jitter) on network errors, idle timeouts, 5xx and 429, honouring Retry-After; a minimum spacing between
 * requests to one host (WhatToMine answers 403 to fast polling); an in-process cache of JSON answers;
 * secrets redacted from every URL it reports.
 */
export interface HttpOptions {
  /** Idle timeout: no answer, or no byte of the body, for this long fails the attempt (then retried). */
  timeoutMs: number;
  /** Overall deadline of one JSON request from its first attempt to its last byte, retries included. */
  deadlineMs: number;
  /** Largest JSON body accepted, bytes after decompression. */
  maxBytes: number;
  /** Overall deadline of one streamed download (AWS offer files, ~482 MB), until its last byte is read. */
  streamDeadlineMs: number;
  /** Largest streamed body accepted, bytes. */
  streamMaxBytes: number;
  /** Redirects followed per request, each to the same host as the URL asked for. */
  maxRedirects: number;
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Minimum milliseconds between two requests to the same host (per-host override in `spacingByHostMs`). */
  spacingMs: number;
  spacingByHostMs: Record<string, number>;
  cacheTtlS: number;
  userAgent: string;
  /** Injected for tests. */
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  log: (event: HttpEvent) => void;
}

export interface HttpEvent {
  kind: 'request' | 'retry' | 'cache-hit' | 'error';
  source: string;
  url: string;
  attempt?: number;
  status?: number | null;
  delayMs?: number;
  message?: string;
}

export interface HttpResult<T> {
  data: T;
  url: string;
  status: number;
  fetchedAt: string;
  fromCache: boolean;
  bytes: number;
  text: string;
}

export interface RequestOptions {
  source: string;
  headers?: Record<string, string>;
  cacheTtlS?: number;
  auth?: { username: string; password: string };
}

/** The limits a deployment sets (RIGPIVOT_HTTP_* variables, config/sources.ts) as client options. */
export function httpLimits(
  c: SourcesConfig,
): Pick<HttpOptions, 'deadlineMs' | 'maxBytes' | 'streamDeadlineMs' | 'streamMaxBytes'> {
  return {
    deadlineMs: c.httpDeadlineS * 1000,
    maxBytes: c.httpMaxMB * 1e6,
    streamDeadlineMs: c.httpStreamDeadlineS * 1000,
    streamMaxBytes: c.httpStreamMaxMB * 1e6,
  };
}

export const DEFAULT_HTTP: HttpOptions = {
  timeoutMs: 20_000,
  ...httpLimits(DEFAULT_SOURCES),
  maxRedirects: 5,
  retries: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  spacingMs: 250,
  spacingByHostMs: { 'whattomine.com': 3_000, 'api.coingecko.com': 2_500 },
  cacheTtlS: 300,
  userAgent: 'rigpivot/0.1 (+https://github.com/; fleet decision engine)',
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => Date.now(),
  log: logHttpEvent,
};

const httpLog = logger('http');

/**
 * The default event log (URLs redacted): retries at info; requests, cache hits and the final error at
 * debug (the caller reports a failure in its own words: collect's line per source).
 */
export function logHttpEvent(e: HttpEvent): void {
  const { kind, ...fields } = e;
  if (kind === 'retry') httpLog.info(`retry ${e.source}`, fields);
  else httpLog.debug(`${kind} ${e.source}`, fields);
}

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** "32 MB" / "1.5 kB": a byte count for a message. */
function bytesText(n: number): string {
  return n >= 1e6 ? `${+(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)} kB` : `${n} bytes`;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** An overall deadline: aborts its signal when it passes (a real timer, whatever clock the client is given). */
class Deadline {
  readonly controller = new AbortController();
  private readonly endsAt: number;
  private readonly timer: NodeJS.Timeout;
  constructor(readonly ms: number) {
    this.endsAt = Date.now() + ms;
    this.timer = setTimeout(() => this.controller.abort(), ms);
    this.timer.unref();
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  get expired(): boolean {
    return this.controller.signal.aborted;
  }
  remainingMs(): number {
    return this.endsAt - Date.now();
  }
  clear(): void {
    clearTimeout(this.timer);
  }
}

interface Outgoing {
  method: 'get' | 'post';
  url: string;
  data?: string;
  headers?: Record<string, string>;
  auth?: RequestOptions['auth'];
}

type Kind = 'json' | 'stream';

/** The variables (config/sources.ts) that set each kind's deadline and size cap: named in its errors. */
const LIMIT_VARS: Record<Kind, { deadline: string; maxBytes: string }> = {
  json: { deadline: 'RIGPIVOT_HTTP_DEADLINE_S', maxBytes: 'RIGPIVOT_HTTP_MAX_MB' },
  stream: { deadline: 'RIGPIVOT_HTTP_STREAM_DEADLINE_S', maxBytes: 'RIGPIVOT_HTTP_STREAM_MAX_MB' },
};

export class HttpClient {
  readonly opts: HttpOptions;
  private readonly axios: AxiosInstance;
  private readonly cache: NodeCache;
  private readonly lastByHost = new Map<string, number>();

  constructor(opts: Partial<HttpOptions> = {}) {
    this.opts = {
      ...DEFAULT_HTTP,
      ...opts,
      spacingByHostMs: { ...DEFAULT_HTTP.spacingByHostMs, ...opts.spacingByHostMs },
    };
    this.axios = axios.create({
      timeout: this.opts.timeoutMs,
      headers: { 'User-Agent': this.opts.userAgent, Accept: 'application/json' },
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (x) => x,
      maxRedirects: 0, // followed here, same host only (follow-redirects would pass custom key headers on)
    });
    this.cache = new NodeCache({ stdTTL: this.opts.cacheTtlS, useClones: false });
  }

  /** GET a JSON document (parsed with `parse`, default JSON.parse; pass a lossless parser for big integers). */
  async getJson<T = unknown>(
    url: string,
    o: RequestOptions,
    parse: (text: string) => T = JSON.parse,
  ): Promise<HttpResult<T>> {
    const key = `GET ${url}`;
    const hit = this.cache.get<HttpResult<T>>(key);
    if (hit) {
      this.opts.log({ kind: 'cache-hit', source: o.source, url: redactUrl(url) });
      return { ...hit, fromCache: true };
    }
    const res = await this.requestText({ method: 'get', url, headers: o.headers, auth: o.auth }, o);
    const result = this.toJson(res, url, o.source, parse);
    const ttl = o.cacheTtlS ?? this.opts.cacheTtlS;
    if (ttl > 0) this.cache.set(key, result, ttl);
    return result;
  }

  /** POST JSON (JSON-RPC, webhooks: pass a `parse` that accepts a non-JSON answer); never cached. */
  async postJson<T = unknown>(
    url: string,
    body: unknown,
    o: RequestOptions,
    parse: (text: string) => T = JSON.parse,
  ): Promise<HttpResult<T>> {
    const res = await this.requestText(
      {
        method: 'post',
        url,
        data: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', ...o.headers },
        auth: o.auth,
      },
      o,
    );
    return this.toJson(res, url, o.source, parse);
  }

  /**
   * GET a large body as a stream (AWS offer files), with retries only until the first byte. The stream
   * fails (destroyed with a SourceHttpError) past the stream deadline, the stream size cap, or an idle gap.
   */
  async getStream(
    url: string,
    o: RequestOptions,
  ): Promise<{ stream: Readable; url: string; status: number; contentLength: number | null }> {
    const deadline = new Deadline(this.opts.streamDeadlineMs);
    let res: AxiosResponse<Readable>;
    try {
      res = await this.request<Readable>({ method: 'get', url, headers: o.headers }, o, 'stream', deadline);
    } catch (e) {
      deadline.clear();
      throw e;
    }
    const len = Number(res.headers['content-length']);
    const contentLength = Number.isFinite(len) ? len : null;
    if (contentLength !== null && contentLength > this.opts.streamMaxBytes) {
      deadline.clear();
      res.data.destroy();
      throw this.tooLarge(o.source, url, this.opts.streamMaxBytes, 'stream', res.status);
    }
    return {
      stream: this.guard(res.data, deadline, o.source, url),
      url: redactUrl(url),
      status: res.status,
      contentLength,
    };
  }

  clearCache(): void {
    this.cache.flushAll();
  }

  private async requestText(req: Outgoing, o: RequestOptions): Promise<AxiosResponse<string>> {
    const deadline = new Deadline(this.opts.deadlineMs);
    try {
      return await this.request<string>(req, o, 'json', deadline);
    } finally {
      deadline.clear();
    }
  }

  /**
   * The body as it arrives, counted against the stream cap, the stream deadline and the idle timeout;
   * the first one crossed destroys it with a SourceHttpError naming the source and the URL.
   */
  private guard(body: Readable, deadline: Deadline, source: string, url: string): Readable {
    const max = this.opts.streamMaxBytes;
    const idleMs = this.opts.timeoutMs;
    let bytes = 0;
    const out = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        bytes += chunk.length;
        idle.refresh();
        if (bytes > max) return done(this.tooLarge(source, url, max, 'stream', null));
        done(null, chunk);
      },
    });
    const fail = (message: string) =>
      out.destroy(
        new SourceHttpError(source, message, { status: null, retryable: false, url: redactUrl(url) }),
      );
    const onDeadline = () =>
      fail(`download did not finish within its ${deadline.ms} ms deadline (${LIMIT_VARS.stream.deadline})`);
    // The deadline's abort also reaches axios, which fails the body with "canceled": say why instead.
    const onError = (e: Error) => (deadline.expired ? onDeadline() : fail(`download failed: ${e.message}`));
    const idle = setTimeout(() => fail(`download stalled: no byte for ${idleMs} ms`), idleMs);
    idle.unref();
    deadline.signal.addEventListener('abort', onDeadline, { once: true });
    body.on('error', onError);
    body.pipe(out);
    out.once('close', () => {
      clearTimeout(idle);
      deadline.clear();
      deadline.signal.removeEventListener('abort', onDeadline);
      body.destroy();
    });
    return out;
  }

  private tooLarge(source: string, url: string, max: number, kind: Kind, status: number | null) {
    return new SourceHttpError(
      source,
      `answered a body larger than the ${bytesText(max)} cap (${LIMIT_VARS[kind].maxBytes}): refused`,
      { status, retryable: false, url: redactUrl(url) },
    );
  }

  private toJson<T>(
    res: AxiosResponse<string>,
    url: string,
    source: string,
    parse: (t: string) => T,
  ): HttpResult<T> {
    let data: T;
    try {
      data = parse(res.data);
    } catch (e) {
      throw new SourceHttpError(
        source,
        `answered ${res.status} with a body that is not JSON (${(e as Error).message.slice(0, 80)})`,
        { status: res.status, retryable: false, url: redactUrl(url) },
      );
    }
    return {
      data,
      url: redactUrl(url),
      status: res.status,
      fetchedAt: new Date(this.opts.now()).toISOString(),
      fromCache: false,
      bytes: Buffer.byteLength(res.data),
      text: res.data,
    };
  }

  private async spaceRequests(url: string): Promise<void> {
    const host = new URL(url).host;
    const spacing = this.opts.spacingByHostMs[host] ?? this.opts.spacingMs;
    const last = this.lastByHost.get(host);
    const wait = last === undefined ? 0 : last + spacing - this.opts.now();
    if (wait > 0) await this.opts.sleep(wait);
    this.lastByHost.set(host, this.opts.now());
  }

  /** One attempt: send, and follow redirects that stay on the host asked for (at most maxRedirects). */
  private async send<T>(
    req: Outgoing,
    o: RequestOptions,
    kind: Kind,
    signal: AbortSignal,
  ): Promise<AxiosResponse<T>> {
    let { method, url, data } = req;
    for (let hop = 0; ; hop++) {
      const res = await this.axios.request<T>({
        method,
        url,
        data,
        headers: req.headers,
        auth: req.auth,
        signal,
        ...(kind === 'stream'
          ? { responseType: 'stream', transformResponse: undefined }
          : { maxContentLength: this.opts.maxBytes }),
      });
      const location = res.headers.location as string | undefined;
      if (!REDIRECTS.has(res.status) || !location) return res;
      if (kind === 'stream') (res.data as unknown as Readable).destroy();
      const next = new URL(location, url);
      const fail = (message: string) =>
        new SourceHttpError(o.source, message, {
          status: res.status,
          retryable: false,
          url: redactUrl(req.url),
        });
      if (!sameHost(req.url, next))
        throw fail(
          `redirected to another host (${redactUrl(next.href)}): refused; redirects are followed ` +
            `only on ${new URL(req.url).host}, so its credentials never leave it`,
        );
      if (hop >= this.opts.maxRedirects) throw fail(`more than ${this.opts.maxRedirects} redirects`);
      if (res.status === 303 || (method === 'post' && res.status !== 307 && res.status !== 308)) {
        method = 'get';
        data = undefined;
      }
      url = next.href;
    }
  }

  /** The error of a failed attempt (deadline, size cap, idle timeout or network), named by source and URL. */
  private attemptError(e: unknown, o: RequestOptions, url: string, kind: Kind, deadline: Deadline) {
    if (e instanceof SourceHttpError) return e;
    const safeUrl = redactUrl(url);
    const ax = e as AxiosError;
    if (deadline.expired) {
      return new SourceHttpError(
        o.source,
        `did not finish within its ${deadline.ms} ms deadline (${LIMIT_VARS[kind].deadline}): ` +
          'a stalled or trickling upstream',
        { status: null, retryable: false, url: safeUrl },
      );
    }
    if (/maxContentLength/.test(ax.message ?? ''))
      return this.tooLarge(o.source, url, this.opts.maxBytes, kind, ax.response?.status ?? null);
    const timeout = ax.code === 'ECONNABORTED' || ax.code === 'ETIMEDOUT' || /timeout/i.test(ax.message);
    return new SourceHttpError(
      o.source,
      timeout
        ? `timed out after ${this.opts.timeoutMs} ms`
        : `network error ${ax.code ?? ''} ${ax.message}`.trim(),
      { status: null, retryable: true, url: safeUrl },
    );
  }

  private async request<T>(
    req: Outgoing,
    o: RequestOptions,
    kind: Kind,
    deadline: Deadline,
  ): Promise<AxiosResponse<T>> {
    const safeUrl = redactUrl(req.url);
    for (let attempt = 1; ; attempt++) {
      await this.spaceRequests(req.url);
      this.opts.log({ kind: 'request', source: o.source, url: safeUrl, attempt });
      let error: SourceHttpError;
      try {
        const res = await this.send<T>(req, o, kind, deadline.signal);
        if (res.status >= 200 && res.status < 300) return res;
        if (kind === 'stream') (res.data as unknown as Readable).destroy?.();
        error = this.statusError(res, o.source, safeUrl);
      } catch (e) {
        error = this.attemptError(e, o, req.url, kind, deadline);
      }
      const delay = error.retryable && attempt <= this.opts.retries ? this.backoff(error, attempt) : null;
      if (delay === null || delay >= deadline.remainingMs()) {
        this.opts.log({
          kind: 'error',
          source: o.source,
          url: safeUrl,
          attempt,
          status: error.status,
          message: error.message,
        });
        throw error;
      }
      this.opts.log({
        kind: 'retry',
        source: o.source,
        url: safeUrl,
        attempt,
        status: error.status,
        delayMs: Math.round(delay),
      });
      await this.opts.sleep(delay);
    }
  }

  private statusError(res: AxiosResponse, source: string, safeUrl: string): SourceHttpError {
    const retryable = res.status === 429 || res.status >= 500;
    const hint =
      res.status === 403
        ? ' (forbidden: some sources block fast or bot-like polling)'
        : res.status === 401 || res.status === 402
          ? ' (check the API key)'
          : REDIRECTS.has(res.status)
            ? ' (a redirect without a Location header)'
            : '';
    return new SourceHttpError(source, `HTTP ${res.status}${hint}`, {
      status: res.status,
      retryable,
      url: safeUrl,
      retryAfterMs: parseRetryAfter(res.headers['retry-after'] as string | undefined, this.opts.now()),
    });
  }

  /** Milliseconds before the next attempt: Retry-After when given, else exponential backoff with jitter. */
  private backoff(error: SourceHttpError, attempt: number): number {
    const backoff =
      Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (attempt - 1)) *
      (0.8 + 0.4 * Math.random());
    const retryAfter = error.context.retryAfterMs as number | null;
    return Math.min(this.opts.maxDelayMs, retryAfter ?? backoff);
  }
}
