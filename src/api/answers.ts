import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import NodeCache from 'node-cache';
import type { Answer } from '../engine/index.ts';

/** An answer ready to send: the serialised body, its gzip form (bodies over 1 KB), a strong ETag per form. */
export interface Encoded {
  body: Buffer;
  etag: string;
  gzip: Buffer | null;
  gzipEtag: string | null;
}

/** Bodies larger than this many bytes also get a gzip form. */
export const GZIP_OVER_BYTES = 1024;

/** JSON bytes, gzipped when large; each form's strong ETag is the body's SHA-1 (the gzip form's ends -gz). */
export function encode(value: unknown): Encoded {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const tag = createHash('sha1').update(body).digest('base64url');
  const gzip = body.length > GZIP_OVER_BYTES ? gzipSync(body, { level: 6 }) : null;
  return { body, etag: `"${tag}"`, gzip, gzipEtag: gzip ? `"${tag}-gz"` : null };
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

  /** The answer's bytes: cached, or computed and encoded now (a full cache stops storing, never fails). */
  bytes(a: Answer): Encoded & { hit: boolean } {
    const hit = this.cache.get<Encoded>(a.key);
    if (hit) return { ...hit, hit: true };
    const value = encode(a.value());
    try {
      this.cache.set(a.key, value);
    } catch {
      /* ECACHEFULL: serve uncached */
    }
    return { ...value, hit: false };
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
