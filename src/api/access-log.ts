import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Log } from '../lib/log.ts';

/** A client's own request id is kept when it is short and plain; anything else gets a fresh one. */
const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * One JSON line per request when its answer is done (or the client went away): method, path without the
 * query string (it may carry secrets), status, duration in ms, body bytes sent and the request id (also
 * sent back as X-Request-Id). Headers, and so the API key, are never logged.
 */
export function accessLog(log: Log) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const t0 = performance.now();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && CLIENT_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    let bytes = 0;
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => Response;
    const count = (chunk: unknown, encoding: unknown) => {
      if (typeof chunk === 'string')
        bytes += Buffer.byteLength(
          chunk,
          typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
        );
      else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      count(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && typeof chunk !== 'function') count(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as Response['end'];
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      log.info('request', {
        requestId: id,
        method: req.method,
        path: req.originalUrl.split('?')[0]!.slice(0, 300),
        status: res.statusCode,
        ms: Math.round((performance.now() - t0) * 10) / 10,
        bytes,
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
