import { createHash } from 'node:crypto';

/**
 * An answer and its key: equal keys mean the same answer (same snapshot, same request), so a caller may cache
 * whatever it derives from the value (the API: serialised bytes) by the key, until onStale fires.
 * `value` computes the answer; a caller with a cached copy never calls it.
 */
export interface Answer<T = unknown> {
  key: string;
  value: () => T;
}

/** The key of an answer on snapshot `snapKey` to a request of `parts` (in any key order); long keys hashed. */
export function answerKey(snapKey: string, parts: unknown[]): string {
  const plain = `${snapKey}|${stableStringify(parts)}`;
  // long keys (fleets in bodies) hashed
  return plain.length <= 512 ? plain : sha256(plain);
}

/** base64url SHA-256 of a string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** JSON with object keys sorted, so equal requests make equal cache keys whatever their key order. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
