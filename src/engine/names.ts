/**
 * The engine's names and defaults that command definitions (help text, flag checks) need before any work
 * is asked for. Light by rule: it imports only domain/, so a front end may import it eagerly (the CLI
 * does, to describe every command on `--help`) while the facade (index.ts) loads on the first action.
 */
import { PAID_USES, USE_INFO, type PaidUse } from '../domain/uses.ts';

/**
 * Fixed policies (every eligible device on one paid use, `always-RVN` ...); the daily optimum over the
 * mining uses and idle (`mining-optimum`: no AI prices needed); the daily optimum over every use; and
 * hysteresis, which follows that optimum only when a move keeps paying.
 */
export type PolicyName = `always-${PaidUse}` | 'mining-optimum' | 'daily-optimum' | 'hysteresis';
/** A replay holds the fleet day by day: selling (the card leaves) is no daily policy. */
const HELD_USES = PAID_USES.filter((u) => USE_INFO[u].kind !== 'sale');
export const POLICIES: readonly PolicyName[] = [
  ...HELD_USES.map((u) => `always-${u}` as const),
  'mining-optimum',
  'daily-optimum',
  'hysteresis',
];

/** Defaults of the risk estimate (`rigpivot risk`, the report's bands): paths, horizon, block length. */
export const RISK_DEFAULTS = {
  paths: 10_000,
  horizonDays: 30,
  blockDays: 10,
  seed: 1,
  windowYears: 3,
} as const;
