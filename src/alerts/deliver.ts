import { HttpClient, redactUrl, type HttpOptions } from '../sources/http.ts';
import type { ResolvedTarget } from './targets.ts';
import { SourceHttpError } from '../errors.ts';
import { bodyFor } from './format.ts';
import type { Alert, AlertEvent, DeliveryRecord } from './types.ts';

export interface DeliveryOptions {
  retries: number;
  timeoutS: number;
  /** Injected by tests (sleep, backoff). */
  http?: Partial<HttpOptions>;
  now?: () => Date;
}

/** A message never shows the webhook URL (its path is the secret): the variable's name stands in. */
function scrub(message: string, url: string, urlEnv: string): string {
  return message.split(url).join(`$${urlEnv}`).split(redactUrl(url)).join(`$${urlEnv}`);
}

/**
 * POST one run's alerts to one target over the project's HTTP client: idle timeout per attempt, an overall
 * deadline, a 1 MB answer cap, redirects only on the same host, and retries with exponential backoff (and
 * Retry-After) on 5xx, 429, timeouts and network errors, at most `retries` after the first attempt.
 * Never throws: the outcome, with the attempts made, is the returned record.
 */
export async function deliver(
  rt: ResolvedTarget,
  event: AlertEvent,
  alerts: readonly Alert[],
  o: DeliveryOptions,
): Promise<DeliveryRecord> {
  const body = bodyFor(rt.target, event, alerts);
  const bytes = Buffer.byteLength(JSON.stringify(body));
  const now = o.now ?? (() => new Date());
  const record = (r: Pick<DeliveryRecord, 'status' | 'attempts' | 'httpStatus'> & { error?: string }) => ({
    at: now().toISOString(),
    event: event.event,
    date: event.date,
    target: rt.name,
    kind: rt.target.kind,
    urlEnv: rt.target.urlEnv,
    ...r,
    alerts: alerts.map((a) => ({ rule: a.rule, title: a.title })),
    bytes,
  });
  if (!rt.url) return record({ status: 'failed', attempts: 0, httpStatus: null, error: rt.problem! });
  let attempts = 0;
  const http = new HttpClient({
    timeoutMs: o.timeoutS * 1000,
    deadlineMs: (o.timeoutS * (o.retries + 1) + 60) * 1000,
    maxBytes: 1e6,
    retries: o.retries,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    spacingMs: 0,
    cacheTtlS: 0,
    ...o.http,
    log: (e) => {
      if (e.kind === 'request') attempts += 1;
    },
  });
  try {
    const res = await http.postJson(rt.url, body, { source: `alert target ${rt.name}` }, (t) => t);
    return record({ status: 'sent', attempts, httpStatus: res.status });
  } catch (e) {
    const status = e instanceof SourceHttpError ? e.status : null;
    const message = scrub((e as Error).message, rt.url, rt.target.urlEnv);
    return record({ status: 'failed', attempts, httpStatus: status, error: message });
  }
}
