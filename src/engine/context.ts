import type { Config } from '../config/schema.ts';
import { loadConfig, type ConfigSources } from '../config/load.ts';
import { loadReference } from '../store/reference.ts';
import { loadSnapshot } from '../store/snapshots.ts';
import { SHIPPED_DATA_DIR, DEFAULT_STORE_DIR } from '../store/files.ts';
import { loadFleetFile } from '../config/fleet.ts';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EngineContext } from './decide.ts';
import type { Fleet, Site } from '../domain/types.ts';
import { InputError } from '../errors.ts';
import { calendarDateProblem, isIanaZone, localDate } from '../lib/time.ts';
import { configureLog } from '../lib/log.ts';

export interface OpenOptions extends ConfigSources {
  dataDir?: string;
  date?: string;
  /** IANA zone overriding config `timezone` (e.g. `schedule --tz`). */
  timezone?: string;
}

/**
 * Where rigpivot keeps what it writes (store, collected snapshots): --data-dir, else RIGPIVOT_DATA_DIR, else
 * data/store/.
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env.RIGPIVOT_DATA_DIR ?? DEFAULT_STORE_DIR;
}

/** Config and reference tables without a snapshot (for front ends that pick their snapshot themselves). */
export function openSetup(o: OpenOptions): Pick<EngineContext, 'config' | 'reference'> & { dataDir: string } {
  const dataDir = o.dataDir ?? DEFAULT_STORE_DIR;
  return { dataDir, config: openConfig(o), reference: loadReference(dataDir) };
}

/**
 * The config, with `o.timezone` (validated) in place of config `timezone` when given. Its `logLevel`
 * applies from here on, unless a flag (--verbose, --quiet) set the level.
 */
function openConfig(o: OpenOptions): Config {
  const config: Config = loadConfig(o);
  configureLog({ level: config.logLevel, from: 'config' });
  if (o.timezone === undefined) return config;
  if (!isIanaZone(o.timezone))
    throw new InputError('--tz', `expected an IANA time zone such as UTC or Asia/Tokyo, got "${o.timezone}"`);
  return { ...config, timezone: o.timezone };
}

/**
 * The operator's "today" (YYYY-MM-DD) at instant `now`: the calendar date in config `timezone`
 * (or `o.timezone`), so a Tokyo morning files under the Tokyo date, not yesterday's UTC date.
 */
export function operatorToday(o: OpenOptions, now: Date): string {
  return localDate(now, openConfig(o).timezone);
}

/**
 * A data dir the user named must be a readable folder: a missing or unreadable one is an error, not
 * silently the shipped snapshots (the default data/store/ may be missing before the first collection).
 */
export function checkDataDirReadable(dir: string): void {
  const fix = 'check --data-dir / RIGPIVOT_DATA_DIR (run `rigpivot collect --data-dir <dir>` to make one)';
  if (!existsSync(dir)) {
    if (resolve(dir) === resolve(DEFAULT_STORE_DIR)) return;
    throw new InputError('--data-dir', `${dir} does not exist; ${fix}`);
  }
  try {
    if (!statSync(dir).isDirectory()) throw new InputError('--data-dir', `${dir} is not a folder; ${fix}`);
    accessSync(dir, constants.R_OK | constants.X_OK);
    readdirSync(dir);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError('--data-dir', `${dir} cannot be read (${code}); ${fix}`);
  }
}

export function openContext(o: OpenOptions): EngineContext & { dataDir: string } {
  const problem = o.date === undefined ? null : calendarDateProblem(o.date);
  if (problem) throw new InputError('date', problem);
  const setup = openSetup(o);
  checkDataDirReadable(setup.dataDir);
  const snapshot = loadSnapshot(o.date, setup.dataDir);
  return { ...setup, snapshot, date: o.date ?? snapshot.date };
}

export const DEFAULT_FLEET = 'fleets/hive-like.json';
/** The shipped example fleet used when none is named (absolute path). */
export const DEFAULT_FLEET_FILE = join(SHIPPED_DATA_DIR, DEFAULT_FLEET);
/** reports/ beside the shipped data/ folder: where reports go when no folder is named. */
export const DEFAULT_REPORTS_DIR = resolve(SHIPPED_DATA_DIR, '../reports');

/** The shipped example fleets by name (data/fleets/<name>.json), sorted. */
export function exampleFleets(): string[] {
  const dir = join(SHIPPED_DATA_DIR, 'fleets');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
        .sort()
    : [];
}

/** The file of a shipped example fleet (whether or not it exists). */
export function exampleFleetFile(name: string): string {
  return join(SHIPPED_DATA_DIR, 'fleets', `${name}.json`);
}

/** rigpivot's version (package.json beside the shipped data/), read when asked. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(resolve(SHIPPED_DATA_DIR, '../package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The config's default site (used when no site is named): tariff and PUE from config defaultSite. */
export type SiteTerms = Pick<Site, 'id' | 'name' | 'tariffUsdPerKwh' | 'pue'>;

export function defaultSite(config: Config): SiteTerms {
  return {
    id: 'default',
    name: 'config default site',
    tariffUsdPerKwh: config.defaultSite.tariffUsdPerKwh,
    pue: config.defaultSite.pue,
  };
}

/**
 * A site of the fleet by id, or the config default site when none is named; an unknown id is an InputError on
 * `field`.
 */
export function siteOrDefault(
  fleet: Fleet | null,
  config: Config,
  siteId: string | undefined,
  field = '--site',
): SiteTerms {
  if (siteId === undefined) return defaultSite(config);
  const s = fleet?.sites.find((x) => x.id === siteId);
  if (!s)
    throw new InputError(
      field,
      `unknown site "${siteId}"; sites in ${fleet?.name ?? 'the fleet'}: ` +
        `${fleet?.sites.map((x) => x.id).join(', ') ?? 'none'}`,
    );
  return s;
}

export function openFleet(ctx: EngineContext & { dataDir: string }, file?: string): Fleet {
  return loadFleetFile(file ?? DEFAULT_FLEET_FILE, ctx.reference.models);
}
