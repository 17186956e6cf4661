import { resolveDataDir, type OpenOptions } from '../engine/index.ts';
import { configureLog, flagLogLevel } from '../lib/log.ts';

export interface GlobalOpts {
  dataDir?: string;
  config?: string;
  set?: string[];
  date?: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

/** --verbose / --quiet set the log level for this run (before the config's `logLevel` is read). */
export function applyLogFlags(o: Pick<GlobalOpts, 'verbose' | 'quiet'>): void {
  const level = flagLogLevel(o);
  configureLog(level ? { level, from: 'flag' } : { level: 'info' });
}

/** Global flags -> engine options. The CLI is the only reader of process.env besides config/. */
export function globals(o: GlobalOpts): OpenOptions {
  return {
    dataDir: resolveDataDir(o.dataDir, process.env),
    file: o.config,
    env: process.env,
    overrides: o.set ?? [],
    date: o.date,
  };
}
