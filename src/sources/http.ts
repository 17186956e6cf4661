import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import NodeCache from 'node-cache';
import type { Readable } from 'node:stream';
import { SourceHttpError } from '../errors.ts';

/**
 * The only HTTP caller. Timeout; retry with exponential backoff (and jitter) on network errors, timeouts,
 * 5xx and 429, honouring Retry-After; a minimum spacing between requests to one host (WhatToMine answers
 * 403 to fast polling); an in-process cache of JSON answers; secrets redacted from every URL it reports.
 */
export interface HttpOptions {
  timeoutMs: number;
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

export const DEFAULT_HTTP: HttpOptions = {
  timeoutMs: 20_000,
  retries: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  spacingMs: 250,
  spacingByHostMs: { 'whattomine.com': 3_000, 'api.coingecko.com': 2_500 },
  cacheTtlS: 300,
  userAgent: 'rigpivot/0.1 (+https://github.com/; fleet decision engine)',
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => Date.now(),
  log: () => {},
};

const SECRET_PARAMS =
  /([?&](?:api[_-]?key|apikey|key|token|access_token|password|secret|x_cg_[a-z_]+)=)[^&#]*/gi;

/** Replace credentials in a URL: query secrets and user:password@. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1***').replace(/\/\/[^/@\s]+:[^/@\s]+@/, '//***@');
}

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

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
      maxRedirects: 5,
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
    const res = await this.request<string>(
      () => this.axios.get<string>(url, { headers: o.headers, auth: o.auth }),
      url,
      o,
    );
    const result = this.toJson(res, url, o.source, parse);
    const ttl = o.cacheTtlS ?? this.opts.cacheTtlS;
    if (ttl > 0) this.cache.set(key, result, ttl);
    return result;
  }

  /** POST JSON (JSON-RPC); never cached. */
  async postJson<T = unknown>(url: string, body: unknown, o: RequestOptions): Promise<HttpResult<T>> {
    const res = await this.request<string>(
      () =>
        this.axios.post<string>(url, JSON.stringify(body), {
          headers: { 'Content-Type': 'application/json', ...o.headers },
          auth: o.auth,
        }),
      url,
      o,
    );
    return this.toJson(res, url, o.source, JSON.parse);
  }

  /** GET a large body as a stream (AWS offer files), with retries only until the first byte. */
  async getStream(
    url: string,
    o: RequestOptions,
  ): Promise<{ stream: Readable; url: string; status: number; contentLength: number | null }> {
    const res = await this.request<Readable>(
      () =>
        this.axios.get<Readable>(url, {
          headers: o.headers,
          responseType: 'stream',
          timeout: this.opts.timeoutMs,
          transformResponse: undefined,
        }),
      url,
      o,
      true,
    );
    const len = Number(res.headers['content-length']);
    return {
      stream: res.data,
      url: redactUrl(url),
      status: res.status,
      contentLength: Number.isFinite(len) ? len : null,
    };
  }

  clearCache(): void {
    this.cache.flushAll();
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

  private async request<T>(
    send: () => Promise<AxiosResponse<T>>,
    url: string,
    o: RequestOptions,
    stream = false,
  ): Promise<AxiosResponse<T>> {
    const safeUrl = redactUrl(url);
    for (let attempt = 1; ; attempt++) {
      await this.spaceRequests(url);
      this.opts.log({ kind: 'request', source: o.source, url: safeUrl, attempt });
      let error: SourceHttpError;
      try {
        const res = await send();
        if (res.status >= 200 && res.status < 300) return res;
        if (stream) (res.data as unknown as Readable).destroy?.();
        const retryable = res.status === 429 || res.status >= 500;
        const hint =
          res.status === 403
            ? ' (forbidden: some sources block fast or bot-like polling)'
            : res.status === 401 || res.status === 402
              ? ' (check the API key)'
              : '';
        error = new SourceHttpError(o.source, `HTTP ${res.status}${hint}`, {
          status: res.status,
          retryable,
          url: safeUrl,
          retryAfterMs: parseRetryAfter(res.headers['retry-after'] as string | undefined, this.opts.now()),
        });
      } catch (e) {
        const ax = e as AxiosError;
        const timeout = ax.code === 'ECONNABORTED' || ax.code === 'ETIMEDOUT' || /timeout/i.test(ax.message);
        error = new SourceHttpError(
          o.source,
          timeout
            ? `timed out after ${this.opts.timeoutMs} ms`
            : `network error ${ax.code ?? ''} ${ax.message}`.trim(),
          { status: null, retryable: true, url: safeUrl },
        );
      }
      if (!error.retryable || attempt > this.opts.retries) {
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
      const backoff =
        Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (attempt - 1)) *
        (0.8 + 0.4 * Math.random());
      const retryAfter = error.context.retryAfterMs as number | null;
      const delay = Math.min(this.opts.maxDelayMs, retryAfter ?? backoff);
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
}
