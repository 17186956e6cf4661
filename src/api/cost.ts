import { HttpError } from './http.ts';

/** What one request may cost, and how many computations a client may start a minute. */
export interface CostLimits {
  /** Most cells (entries of `gpus`, one model at one site; or sites, if more) in a what-if (default 3,000). */
  whatIfMaxCells: number;
  /** Most catalogue models x paths x horizon days of one /risk request (default 40 x 10,000 x 100). */
  riskMaxCost: number;
  /** Distinct computations (answers not in the cache) a client may start a minute; 0 = no limit (30). */
  computePerMin: number;
}

export const DEFAULT_COST_LIMITS: CostLimits = {
  whatIfMaxCells: 3_000,
  riskMaxCost: 40 * 10_000 * 100,
  computePerMin: 30,
};

/** A what-if fleet's size: its `gpus` entries or its sites, whichever are more (0 without lists). */
export function whatIfCells(fleet: unknown): number {
  if (fleet === null || typeof fleet !== 'object') return 0;
  const { gpus, sites } = fleet as { gpus?: unknown; sites?: unknown };
  return Math.max(Array.isArray(gpus) ? gpus.length : 0, Array.isArray(sites) ? sites.length : 0);
}

/**
 * 413 when a what-if has more cells than the limit: the body fleet's entries (or sites) plus the entries
 * `overrides.addGpus` adds.
 */
export function checkWhatIf(fleet: unknown, limits: CostLimits, addedEntries = 0): void {
  const cells = whatIfCells(fleet) + addedEntries;
  if (cells > limits.whatIfMaxCells)
    throw new HttpError(
      413,
      'COST_LIMIT',
      `body.fleet.gpus (or .sites) and body.overrides.addGpus have ${cells} entries; a what-if takes at ` +
        `most ${limits.whatIfMaxCells}: split the fleet, or run \`rigpivot advise --fleet\` on your own machine`,
      { path: 'body.fleet.gpus', cells, maxCells: limits.whatIfMaxCells },
    );
}

/** 400 when models x paths x horizon of a /risk request is over the budget (the message says what fits). */
export function checkRisk(models: number, paths: number, horizonDays: number, limits: CostLimits): void {
  const cost = models * paths * horizonDays;
  if (cost <= limits.riskMaxCost) return;
  const maxPaths = Math.floor(limits.riskMaxCost / (models * horizonDays));
  throw new HttpError(
    400,
    'COST_LIMIT',
    `query.paths x query.horizon x ${models} models = ${cost.toLocaleString('en-US')} path-days; ` +
      `at most ${limits.riskMaxCost.toLocaleString('en-US')} per request: ` +
      `at horizon=${horizonDays} use paths <= ${maxPaths.toLocaleString('en-US')}`,
    { path: 'query.paths', cost, maxCost: limits.riskMaxCost, models, paths, horizonDays },
  );
}

/**
 * Distinct computations per client per minute (fixed one-minute windows): an answer in the cache costs
 * nothing, the same key again in the window counts once, a new key beyond the limit is a 429 with
 * Retry-After. A flood of new seeds or steps from one client cannot keep the workers busy.
 */
export class ComputeQuota {
  private readonly clients = new Map<string, { startMs: number; keys: Set<string> }>();

  constructor(
    private readonly perMin: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Count `key` for `client`; throws HttpError 429 when it would be one too many. */
  take(client: string, key: string): void {
    if (this.perMin <= 0) return;
    const t = this.nowMs();
    let w = this.clients.get(client);
    if (!w || t - w.startMs >= 60_000) {
      if (this.clients.size >= 10_000) this.prune(t);
      w = { startMs: t, keys: new Set() };
      this.clients.set(client, w);
    }
    if (w.keys.has(key)) return;
    if (w.keys.size >= this.perMin) {
      const retryS = Math.max(1, Math.ceil((w.startMs + 60_000 - t) / 1000));
      throw new HttpError(
        429,
        'COMPUTE_LIMIT',
        `this client started ${this.perMin} new computations (answers not cached) this minute, the most ` +
          `allowed; cached answers still come at once, new ones after ${retryS} s`,
        { perMin: this.perMin, retryAfterS: retryS },
        { 'Retry-After': String(retryS) },
      );
    }
    w.keys.add(key);
  }

  private prune(t: number): void {
    for (const [c, w] of this.clients) if (t - w.startMs >= 60_000) this.clients.delete(c);
    if (this.clients.size >= 10_000) this.clients.clear(); // all fresh: a spoofed-address flood; start over
  }
}
