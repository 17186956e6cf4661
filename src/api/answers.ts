import { createHash } from 'node:crypto';
import { brotliCompress, constants, gzipSync } from 'node:zlib';
import NodeCache from 'node-cache';
import type { Answer } from '../engine/index.ts';

/**
 * An answer ready to send: the serialised body, its gzip form (bodies over 1 KB), a strong ETag per form,
 * and its brotli form once addBrotli has made it (null until then; only cached answers asked for again).
 */
export interface Encoded {
  body: Buffer;
  etag: string;
  gzip: Buffer | null;
  gzipEtag: string | null;
  br: Buffer | null;
  brEtag: string | null;
}

/** Bodies larger than this many bytes also get a gzip form. */
export const GZIP_OVER_BYTES = 1024;

/** JSON bytes, gzipped when large; each form's strong ETag is the body's SHA-1 (the gzip form's ends -gz). */
export function encode(value: unknown): Encoded {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const tag = createHash('sha1').update(body).digest('base64url');
  const gzip = body.length > GZIP_OVER_BYTES ? gzipSync(body, { level: 6 }) : null;
  return { body, etag: `"${tag}"`, gzip, gzipEtag: gzip ? `"${tag}-gz"` : null, br: null, brEtag: null };
}

/** Bodies up to this many bytes get brotli's best quality (11: ~0.3 s of a libuv thread for 65 KB). */
const BROTLI_BEST_UP_TO_BYTES = 128 * 1024;
/** Larger bodies up to this many bytes get quality 10 (about 4x faster); beyond it no brotli form. */
export const BROTLI_UP_TO_BYTES = 1024 * 1024;
const brotliPending = new WeakMap<Encoded, Promise<void>>();

/**
 * Give `e` its brotli form off the event loop (zlib's thread pool), once: later callers get the same
 * promise. `e` is completed in place (the cache holds it by reference; a flushed entry is simply dropped).
 * Bodies without a gzip form (1 KB or less) or over BROTLI_UP_TO_BYTES get none; a failure leaves gzip.
 */
export function addBrotli(e: Encoded): Promise<void> {
  if (e.br !== null || e.gzip === null || e.body.length > BROTLI_UP_TO_BYTES) return Promise.resolve();
  const pending = brotliPending.get(e);
  if (pending) return pending;
  const quality = e.body.length <= BROTLI_BEST_UP_TO_BYTES ? 11 : 10;
  const params = {
    [constants.BROTLI_PARAM_QUALITY]: quality,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_SIZE_HINT]: e.body.length,
  };
  const done = new Promise<void>((resolve) =>
    brotliCompress(e.body, { params }, (err, br) => {
      // smaller than gzip or not worth a form of its own
      if (!err && br.length < e.gzip!.length) {
        e.br = br;
        e.brEtag = `${e.etag.slice(0, -1)}-br"`;
      }
      resolve();
    }),
  );
  brotliPending.set(e, done);
  return done;
}

export interface AnswerCacheOptions {
  /** How long an answer's bytes are kept, seconds. */
  ttlS: number;
  /** At most this many answers are kept; beyond it answers are served uncached. */
  maxKeys: number;
}

/**
 * The API's byte cache: each answer serialised, compressed and tagged once, stored under the engine's
 * key. The owner flushes it when the engine's answers go stale (AdviceService.onStale).
 */
export class AnswerCache {
  private readonly cache: NodeCache;

  constructor(o: AnswerCacheOptions) {
    this.cache = new NodeCache({
      stdTTL: o.ttlS,
      checkperiod: Math.max(60, o.ttlS / 10),
      useClones: false,
      maxKeys: o.maxKeys,
    });
  }

  /**
   * The answer's bytes (the cached entry itself, not a copy): cached, or computed and encoded now (a full
   * cache stops storing, never fails).
   */
  bytes(a: Answer): { enc: Encoded; hit: boolean } {
    const hit = this.cache.get<Encoded>(a.key);
    if (hit) return { enc: hit, hit: true };
    const enc = encode(a.value());
    this.put(a.key, enc);
    return { enc, hit: false };
  }

  /** The cached bytes under `key`, or undefined (counted as a hit or a miss in the stats). */
  peek(key: string): Encoded | undefined {
    return this.cache.get<Encoded>(key);
  }

  /** Keep bytes computed elsewhere (a worker) under `key`; a full cache keeps nothing, never fails. */
  put(key: string, value: Encoded): void {
    try {
      this.cache.set(key, value);
    } catch {
      /* ECACHEFULL: served uncached */
    }
  }

  flush(): void {
    this.cache.flushAll();
  }

  stats(): { keys: number; hits: number; misses: number } {
    const s = this.cache.getStats();
    return { keys: s.keys, hits: s.hits, misses: s.misses };
  }

  close(): void {
    this.cache.close();
  }
}
