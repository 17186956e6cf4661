import { readFileSync, existsSync } from 'node:fs';
import { configSchema, DEFAULT_CONFIG, ASSUMPTIONS, type Config } from './schema.ts';
import { formatIssues } from '../domain/schemas.ts';
import { InputError } from '../errors.ts';
import { isDecimalNumber } from '../lib/num.ts';

export interface ConfigSources {
  /** Path of a JSON config file (partial; merged over the defaults). */
  file?: string;
  /** Environment (only RIGPIVOT_* keys are read). */
  env?: NodeJS.ProcessEnv;
  /** `key=value` overrides, e.g. "ai.utilisation=0.5" (from --set). */
  overrides?: string[];
}

/** defaults <- file <- env (RIGPIVOT_CONFIG_JSON) <- --set overrides; validated once at the end. */
export function loadConfig(src: ConfigSources = {}): Config {
  let cfg: unknown = structuredClone(DEFAULT_CONFIG);
  if (src.file) cfg = deepMerge(cfg, readConfigFile(src.file), src.file);
  const envJson = src.env?.RIGPIVOT_CONFIG_JSON;
  if (envJson) cfg = deepMerge(cfg, parseJson(envJson, 'RIGPIVOT_CONFIG_JSON'), 'RIGPIVOT_CONFIG_JSON');
  for (const o of src.overrides ?? []) cfg = applyOverride(cfg as Record<string, unknown>, o);
  const parsed = configSchema.safeParse(cfg);
  if (!parsed.success) {
    const where = src.file ? `config (${src.file} and overrides)` : 'config';
    throw new InputError(where, `invalid value:\n  ${formatIssues(parsed.error).join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * Set assumptions by key on a validated config (the API's what-if `config` object): unknown keys and
 * out-of-range values are InputErrors naming `where.key`.
 */
export function applyConfigValues(base: Config, values: Record<string, unknown>, where: string): Config {
  const out = structuredClone(base) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) {
    if (!isAssumption(key))
      throw new InputError(
        `${where}.${key}`,
        `unknown assumption; known keys: ${Object.keys(ASSUMPTIONS).join(', ')}`,
      );
    setPath(out, key, value);
  }
  const parsed = configSchema.safeParse(out);
  if (!parsed.success)
    throw new InputError(where, `invalid value:\n  ${formatIssues(parsed.error).join('\n  ')}`);
  return parsed.data;
}

/** Prototype keys: never a config key, refused by name wherever keys come from a user. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** An assumption's own key (`in` would also accept inherited names such as "constructor" or "toString"). */
function isAssumption(key: string): boolean {
  return Object.hasOwn(ASSUMPTIONS, key);
}

function setPath(obj: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = obj;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

function readConfigFile(file: string): unknown {
  if (!existsSync(file)) throw new InputError('--config', `file not found: ${file}`);
  return parseJson(readFileSync(file, 'utf8'), file);
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(where, `not valid JSON (${(e as Error).message})`);
  }
}

function applyOverride(cfg: Record<string, unknown>, spec: string): Record<string, unknown> {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new InputError('--set', `expected key=value, got "${spec}"`);
  const key = spec.slice(0, eq).trim();
  const rawValue = spec.slice(eq + 1).trim();
  if (key.split('.').some((part) => PROTOTYPE_KEYS.has(part)))
    throw new InputError(
      '--set',
      `key "${key}" is refused: "__proto__", "constructor" and "prototype" are never settings`,
    );
  if (!isAssumption(key))
    throw new InputError('--set', `unknown key "${key}"; known keys: ${Object.keys(ASSUMPTIONS).join(', ')}`);
  const isList = Array.isArray(getPath(DEFAULT_CONFIG, key));
  let value: unknown = rawValue;
  if (rawValue.startsWith('[')) value = parseJson(rawValue, `--set ${key}`);
  else if (isList)
    value = rawValue
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  else if (typeof getPath(DEFAULT_CONFIG, key) === 'string')
    value = rawValue; // a name (timezone)
  else if (isDecimalNumber(rawValue)) value = Number(rawValue);
  else
    throw new InputError(
      `--set ${key}`,
      `expects a decimal number (${ASSUMPTIONS[key]!.unit}), e.g. 0.5 or 1e3, got "${rawValue}"`,
    );
  const out = structuredClone(cfg);
  setPath(out, key, value);
  return out;
}

function getPath(obj: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

function deepMerge(base: unknown, over: unknown, where: string): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (PROTOTYPE_KEYS.has(k))
      throw new InputError(
        where,
        `key "${k}" is refused: "__proto__", "constructor" and "prototype" are never settings`,
      );
    out[k] = Object.hasOwn(base, k) ? deepMerge(base[k], v, where) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
