import type { z } from 'zod';
import { SourceSchemaError, SourceValueError } from '../errors.ts';
import { joinPath } from '../domain/schemas.ts';

/** Parse a raw body against a zod schema; the error names the source, the URL and the first bad field. */
export function parseBody<S extends z.ZodType>(
  source: string,
  url: string,
  body: unknown,
  schema: S,
): z.infer<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const more = r.error.issues.length > 1 ? ` (+${r.error.issues.length - 1} more)` : '';
  throw new SourceSchemaError(
    source,
    `response field ${joinPath('', issue.path)}: ${issue.message}${more} (GET ${url})`,
    { url, issues: r.error.issues.length },
  );
}

export function parseJsonText(source: string, url: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SourceSchemaError(
      source,
      `response is not JSON (${(e as Error).message.slice(0, 60)}) (GET ${url})`,
      { url },
    );
  }
}

/** Reject a non-positive or non-finite value. */
export function requirePositive(source: string, what: string, value: number, url: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new SourceValueError(source, `${what} is ${value}: expected a positive number (GET ${url})`, {
      url,
    });
  return value;
}

/** Reject a value that moved more than `maxFactor` against its 24 h reference. */
export function requireNoJump(
  source: string,
  what: string,
  value: number,
  ref: number | null | undefined,
  maxFactor: number,
  url: string,
): void {
  if (ref === null || ref === undefined || !(ref > 0)) return;
  const factor = Math.max(value / ref, ref / value);
  if (factor > maxFactor)
    throw new SourceValueError(
      source,
      `${what} ${value} is ${factor.toFixed(2)}x its 24 h value ${ref} (limit ${maxFactor}x) (GET ${url})`,
      { url },
    );
}
