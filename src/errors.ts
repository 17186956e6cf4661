/**
 * The AppError tree. Every error carries a stable `code`, whether retrying can help, and context.
 * Front ends map `exitCode` to the process exit status and never print a stack for an AppError.
 */
export type ErrorContext = Record<string, unknown>;

export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly context: ErrorContext;
  /** Process exit status for CLI front ends: 2 = the user's input, 1 = our fault or the world's. */
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    opts: { retryable?: boolean; context?: ErrorContext; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.context = opts.context ?? {};
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** Bad input from the user: a flag, a config value, a fleet file. Names the path and what was expected. */
export class InputError extends AppError {
  readonly path: string;
  constructor(path: string, message: string, context: ErrorContext = {}) {
    super('INPUT_INVALID', `${path}: ${message}`, { context: { ...context, path }, exitCode: 2 });
    this.path = path;
  }
}

/** A data file we ship or the user points at is missing or malformed. */
export class DataError extends AppError {
  constructor(file: string, message: string, context: ErrorContext = {}) {
    super('DATA_INVALID', `${file}: ${message}`, { context: { ...context, file }, exitCode: 2 });
  }
}

/** The solver failed or the model it was given is infeasible. */
export class SolveError extends AppError {
  constructor(message: string, context: ErrorContext = {}) {
    super('SOLVE_FAILED', message, { context, exitCode: 1 });
  }
}

/** A source answered, but not in the shape we know: names the field; keep the last good data. */
export class SourceSchemaError extends AppError {
  constructor(source: string, message: string, context: ErrorContext = {}) {
    super('SOURCE_SCHEMA', `${source}: ${message}`, { context: { ...context, source }, retryable: false });
  }
}

/** A source's value is outside physical range or jumped beyond the allowed factor. */
export class SourceValueError extends AppError {
  constructor(source: string, message: string, context: ErrorContext = {}) {
    super('SOURCE_VALUE', `${source}: ${message}`, { context: { ...context, source }, retryable: false });
  }
}

/** Transport failure: timeout, network error or an HTTP error status. `retryable` says whether to try again. */
export class SourceHttpError extends AppError {
  readonly status: number | null;
  constructor(
    source: string,
    message: string,
    opts: { status: number | null; retryable: boolean; url: string; retryAfterMs?: number | null },
  ) {
    super(opts.status === null ? 'SOURCE_NETWORK' : 'SOURCE_HTTP', `${source}: ${message} (${opts.url})`, {
      retryable: opts.retryable,
      context: { source, url: opts.url, status: opts.status, retryAfterMs: opts.retryAfterMs ?? null },
    });
    this.status = opts.status;
  }
}
