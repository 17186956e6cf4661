import { resolveDataDir, type OpenOptions } from '../engine/index.ts';

export interface GlobalOpts {
  dataDir?: string;
  config?: string;
  set?: string[];
  date?: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  /** --currency (advise, income, report, daily): display currency in place of config displayCurrency. */
  currency?: string;
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
