/**
 * The coin networks a fleet shares (model/network.ts): each coin's terms from the snapshot, N from its
 * difficulty less the fleet's current miners, and the value of any allocation under R(F) = kept B F / (N + F)
 * with revenue shared among the fleet's cards in proportion to hashrate. decide(), the report's
 * counterfactual, forecasts and what-ifs all value mining through here.
 */
import type { Config } from '../config/schema.ts';
import type { Coin, MarketSnapshot, ModelIncome, Use, UseIncome } from '../domain/types.ts';
import type { NetworkShare } from '../domain/decision.ts';
import type { NetworkResult } from '../domain/solution.ts';
import { COINS } from '../domain/types.ts';
import { PAID_USES } from '../domain/uses.ts';
import {
  fleetRevenueUsdPerDay,
  issuedUsdPerDay,
  networkTermsOf,
  type NetworkTerms,
} from '../model/network.ts';

/** A fleet cell as the network rule needs it: devices per use and the per-device incomes. */
export interface CellCounts {
  counts: Partial<Record<Use, number>>;
  income: ModelIncome;
}

export interface FleetNetwork {
  terms: NetworkTerms;
  impliedMhs: number;
  fleetCurrentMhs: number;
  method: string;
  warning?: string;
}

/** Effective hashrate of one device on a mining use, MH/s (the catalogue hashrate x uptime). */
export function effectiveMhs(u: UseIncome, uptime: number): number {
  const h = u.detail.hashrateMhs;
  if (typeof h !== 'number' || !(h > 0))
    throw new TypeError(`${u.use} income has no hashrateMhs in its detail (got ${String(h)})`);
  return h * uptime;
}

/** Effective hashrate of the devices `cells` put on `coin` (eligible cells only), MH/s. */
export function fleetMhsOn(coin: Coin, cells: readonly CellCounts[], uptime: number): number {
  return cells.reduce((a, c) => {
    const u = c.income.uses[coin];
    const n = c.counts[coin] ?? 0;
    return n > 0 && u.eligible ? a + n * effectiveMhs(u, uptime) : a;
  }, 0);
}

/** Every coin's network as the fleet's current allocation finds it (N = implied - its current miners). */
export function fleetNetworks(
  snapshot: MarketSnapshot,
  cfg: Config,
  current: readonly CellCounts[],
): FleetNetwork[] {
  return COINS.map((coin) => {
    const fleetCurrentMhs = fleetMhsOn(coin, current, cfg.mining.uptime);
    const { terms, external } = networkTermsOf(snapshot.coins[coin], cfg.mining, fleetCurrentMhs);
    return {
      terms,
      impliedMhs: external.impliedMhs,
      fleetCurrentMhs,
      method: external.method,
      ...(external.warning ? { warning: external.warning } : {}),
    };
  });
}

/**
 * Net USD/day of each cell under an allocation: mining revenue is the coin's R(F) at the allocation's total
 * hashrate F, shared by hashrate, less each device's power; other uses keep their per-device net.
 */
export function valueAllocation(
  cells: readonly CellCounts[],
  networks: readonly NetworkTerms[],
  uptime: number,
): number[] {
  const perMhs = new Map<string, number>();
  for (const t of networks) {
    const f = fleetMhsOn(t.coin, cells, uptime);
    perMhs.set(t.coin, f > 0 ? fleetRevenueUsdPerDay(t, f) / f : 0);
  }
  return cells.map((c) =>
    PAID_USES.reduce((a, u) => {
      const n = c.counts[u] ?? 0;
      const inc = c.income.uses[u];
      if (n === 0 || !inc.eligible) return a;
      const rate = perMhs.get(u);
      return (
        a +
        n *
          (rate === undefined ? inc.netUsdPerDay : effectiveMhs(inc, uptime) * rate - inc.powerCostUsdPerDay)
      );
    }, 0),
  );
}

/** The solver's view of a network with where N came from. */
export function networkShare(r: NetworkResult, n: FleetNetwork): NetworkShare {
  return {
    ...r,
    impliedMhs: n.impliedMhs,
    fleetCurrentMhs: n.fleetCurrentMhs,
    issuedUsdPerDay: n.terms.issuedUsdPerDay,
    keptShare: n.terms.keptShare,
    method: n.method,
    ...(n.warning ? { warning: n.warning } : {}),
  };
}

/** A decision's network back as the terms the rule takes. */
export function termsOf(n: NetworkShare): NetworkTerms {
  return {
    coin: n.coin,
    issuedUsdPerDay: n.issuedUsdPerDay,
    keptShare: n.keptShare,
    externalMhs: n.externalMhs,
  };
}

/**
 * How a card of the fleet is paid for its hashrate: `average`, its share B / (N + F) of what the fleet earns
 * (a card among the fleet's); `margin`, what one card more or less changes the fleet's revenue by,
 * R'(F) = B N / (N + F)^2 (the rule the allocation's last choices are made on). Both before fees.
 */
export type ShareRule = 'average' | 'margin';

/** Revenue before fees per effective MH/s of a coin network under `rule`, USD/day, at issuance `issuedUsd`. */
export function usdPerMhsDayAt(n: NetworkShare, issuedUsd: number, rule: ShareRule): number {
  const g = n.externalMhs + n.fleetMhs;
  return rule === 'average' ? issuedUsd / g : (issuedUsd * n.externalMhs) / (g * g);
}

/**
 * A model's per-device income with its mining uses valued as one of the fleet's cards: a coin's revenue per
 * effective MH/s is B / (N + F) (`average`, the default) or B N / (N + F)^2 (`margin`) at the market's
 * reward and price, with N (the other miners) and F (the fleet's allocation) as in `networks`; fees and
 * power as before. Best use and margin follow.
 */
export function incomeInFleet(
  income: ModelIncome,
  snapshot: MarketSnapshot,
  networks: readonly NetworkShare[],
  uptime: number,
  rule: ShareRule = 'average',
): ModelIncome {
  const uses = { ...income.uses };
  for (const n of networks) {
    const u = uses[n.coin];
    if (!u.eligible) continue;
    const market = snapshot.coins[n.coin];
    const revenue = effectiveMhs(u, uptime) * usdPerMhsDayAt(n, issuedUsdPerDay(market), rule);
    const fees = revenue * (1 - n.keptShare);
    uses[n.coin] = {
      ...u,
      revenueUsdPerDay: revenue,
      feesUsdPerDay: fees,
      netUsdPerDay: revenue - fees - u.powerCostUsdPerDay,
      detail: { ...u.detail, coinsPerDay: (revenue - fees) / market.priceUsd.value },
    };
  }
  const ranked = Object.values(uses)
    .filter((u) => u.eligible)
    .sort((a, b) => b.netUsdPerDay - a.netUsdPerDay);
  const best = ranked[0]!;
  const runnerUp = ranked[1] ?? best;
  return {
    ...income,
    uses,
    best: best.use,
    runnerUp: runnerUp.use,
    marginUsdPerDay: best.netUsdPerDay - runnerUp.netUsdPerDay,
  };
}
