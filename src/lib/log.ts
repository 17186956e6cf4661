/**
 * Structured diagnostics (pino): one JSON line per event on stderr, so stdout stays the command's output
 * (`--json` and `--csv` pipes stay clean). This is the one lib/ module with an effect (it writes to stderr
 * and reads the clock for each line's time); the pure layers (domain, model, solve, analysis, report) never
 * log: they return what happened. Levels: error, warn, info (default), debug (`--verbose`), silent.
 *
 *   const log = logger('collect');
 *   log.debug('source finished', { source: 'aws', ms: 812 });
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Log {
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  /** True when a line at `level` would be written (skip building costly fields otherwise). */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

function build(level: LogLevel, stream: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

let root: Logger | null = null;
let configured: { level: LogLevel; stream: DestinationStream | null; byFlag: boolean } = {
  level: 'info',
  stream: null,
  byFlag: false,
};

// Built on first use: a command that never logs never opens the destination.
function current(): Logger {
  root ??= build(configured.level, configured.stream ?? pino.destination({ fd: 2, sync: true }));
  return root;
}

/**
 * Set the level (and, for tests, the stream lines go to). Loggers made earlier by `logger()` follow: they
 * look the root up on every call. A level from a command-line flag (`from: 'flag'`) is not replaced by
 * one from the config file (`from: 'config'`, applied when the config loads, after the flags).
 */
export function configureLog(o: {
  level?: LogLevel;
  stream?: DestinationStream;
  from?: 'flag' | 'config';
}): void {
  const keep = o.from === 'config' && configured.byFlag;
  configured = {
    level: keep ? configured.level : (o.level ?? configured.level),
    stream: o.stream ?? configured.stream,
    byFlag: o.from === 'flag' || (o.from === 'config' && configured.byFlag),
  };
  if (o.stream || !root) root = null;
  else root.level = configured.level;
}

export function logLevel(): LogLevel {
  return configured.level;
}

/** A logger whose lines carry `component` (collect, http, api, store, ...). */
export function logger(component: string): Log {
  const at =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (msg: string, fields?: LogFields): void => {
      const r = current();
      if (r.isLevelEnabled(level)) r[level]({ component, ...fields }, msg);
    };
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    enabled: (level) => current().isLevelEnabled(level),
  };
}

/** The level the CLI's flags ask for: --verbose debug, --quiet error; neither: null (config logLevel). */
export function flagLogLevel(o: { verbose?: boolean; quiet?: boolean }): LogLevel | null {
  if (o.verbose) return 'debug';
  if (o.quiet) return 'error';
  return null;
}
