import type {
  CloudOffer,
  CloudPriceType,
  Coin,
  CoinMarket,
  MarketSnapshot,
  MarketplaceQuote,
  Quantity,
} from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import type { Observation } from '../domain/observations.ts';
import type { StoredObservation } from '../store/db.ts';
import { COINS } from '../domain/types.ts';
import { COIN_INFO } from '../domain/coins.ts';
import { COIN_RULES } from '../model/coins.ts';
import { blocksIn } from '../model/chain.ts';
import { daysBetween } from '../lib/time.ts';
import { freshnessTier } from '../analysis/freshness.ts';

/** The embedded snapshot as observations of the pseudo-source "embedded" (the offline baseline). */
export function embeddedObservations(s: MarketSnapshot, file: string): Observation[] {
  const out: Observation[] = [];
  const q = (series: Observation['series'], key: string, x: Quantity) =>
    out.push({
      series,
      key,
      value: x.value,
      asOf: x.asOf,
      kind: x.kind,
      source: 'embedded',
      sourceUrl: file,
      meta: { origin: x.source, ...(x.method ? { method: x.method } : {}) },
    });
  for (const c of COINS) {
    q('coin.priceUsd', c, s.coins[c].priceUsd);
    q('coin.difficulty', c, s.coins[c].difficulty);
    q('coin.height', c, s.coins[c].height);
  }
  for (const o of s.cloud) {
    out.push({
      series: 'cloud.usdPerInstanceHour',
      key: `${o.provider}:${o.region}:${o.sku}:${o.priceType}`,
      value: o.usdPerInstanceHour,
      asOf: o.asOf,
      kind: o.kind,
      source: 'embedded',
      sourceUrl: file,
      meta: {
        cloudGpu: o.cloudGpu,
        gpuCount: o.gpuCount,
        provider: o.provider,
        region: o.region,
        sku: o.sku,
        priceType: o.priceType,
        origin: o.source,
        ...(o.method ? { method: o.method } : {}),
      },
    });
  }
  for (const m of s.marketplace) {
    out.push({
      series: 'market.usdPerGpuHour',
      key: `${m.marketplace}:${m.tier}:${m.modelId}`,
      value: m.usdPerGpuHour,
      asOf: m.asOf,
      kind: m.kind,
      source: 'embedded',
      sourceUrl: file,
      meta: {
        marketplace: m.marketplace,
        tier: m.tier,
        modelId: m.modelId,
        origin: m.source,
        ...(m.method ? { method: m.method } : {}),
      },
    });
  }
  return out;
}

/** Preference between sources for the same coin figure when as-of times tie: nodes > aggregators > embedded. */
const PRIORITY: Record<string, number> = {
  ravencoin: 5,
  ergo: 5,
  coingecko: 4,
  whattomine: 3,
  marketplace: 3,
  azure: 3,
  aws: 3,
  embedded: 0,
};

const day = (iso: string) => (iso.length === 7 ? `${iso}-01` : iso.slice(0, 10));
/** An observation's own as-of at its own precision: a month stays a month, a time becomes its UTC day. */
const ownDay = (iso: string) => (iso.length === 7 ? iso : iso.slice(0, 10));
const age = (asOf: string, date: string) => Math.max(0, daysBetween(day(asOf), date));

function newest<T extends StoredObservation>(xs: T[]): T | undefined {
  return [...xs].sort((a, b) =>
    day(b.asOf) === day(a.asOf)
      ? (PRIORITY[b.source] ?? 1) - (PRIORITY[a.source] ?? 1) || b.asOf.localeCompare(a.asOf)
      : day(b.asOf).localeCompare(day(a.asOf)),
  )[0];
}

function describe(o: StoredObservation): string {
  const origin = o.meta?.origin ? ` (${o.meta.origin})` : '';
  return `${o.source}: ${o.sourceUrl}${origin}`;
}

function quantity(o: StoredObservation, unit: string): Quantity {
  return {
    value: o.value,
    unit,
    asOf: o.asOf,
    kind: o.kind,
    source: describe(o),
    ...(o.meta?.method ? { method: String(o.meta.method) } : {}),
  };
}

export interface Assembled {
  snapshot: MarketSnapshot;
  warnings: string[];
}

/** Build the market snapshot for `date` from the newest stored observation of every input on or before it. */
export function assembleSnapshot(
  date: string,
  obs: StoredObservation[],
  cfg: Config,
  rewardTolerance: number,
): Assembled {
  const warnings: string[] = [];
  const pick = (series: string, key: string) => obs.filter((o) => o.series === series && o.key === key);
  const coins = {} as Record<Coin, CoinMarket>;
  for (const coin of COINS) {
    const unitD = COIN_INFO[coin].difficultyNote;
    const price = newest(pick('coin.priceUsd', coin));
    const viaBtc = derivedUsdPrice(pick('coin.priceBtc', coin), pick('btc.priceUsd', 'BTC'));
    const priceQ =
      viaBtc && (!price || day(viaBtc.asOf) > day(price.asOf))
        ? viaBtc
        : price
          ? quantity(price, `USD/${coin}`)
          : null;
    const diff = newest(pick('coin.difficulty', coin));
    const h = newest(pick('coin.height', coin));
    if (!priceQ || !diff || !h) {
      warnings.push(
        `${coin}: no ${!priceQ ? 'price' : !diff ? 'difficulty' : 'height'} in the store on or before ${date}`,
      );
      continue;
    }
    const height = heightOn(coin, h, date);
    const rules = COIN_RULES[coin];
    const reward = rules.rewardAt(height.value);
    checkReportedReward(coin, pick('coin.blockRewardReported', coin), rewardTolerance, warnings);
    coins[coin] = {
      coin,
      priceUsd: priceQ,
      difficulty: quantity(diff, unitD),
      height,
      blockRewardCoins: {
        value: reward,
        unit: `${coin}/block`,
        asOf: height.asOf,
        kind: 'derived',
        source: rules.rewardSource,
        method: `our protocol rules at height ${height.value}`,
      },
    };
  }
  const cloud = latestByKey(obs.filter((o) => o.series === 'cloud.usdPerInstanceHour')).map(
    (o): CloudOffer => ({
      provider: o.meta!.provider as CloudOffer['provider'],
      sku: String(o.meta!.sku),
      region: String(o.meta!.region),
      cloudGpu: String(o.meta!.cloudGpu),
      gpuCount: Number(o.meta!.gpuCount),
      priceType: o.meta!.priceType as CloudPriceType,
      usdPerInstanceHour: o.value,
      usdPerGpuHour: o.value / Number(o.meta!.gpuCount),
      asOf: ownDay(o.asOf),
      source: describe(o),
      kind: o.kind,
      ...(o.meta?.method ? { method: String(o.meta.method) } : {}),
    }),
  );
  const marketplace = latestByKey(obs.filter((o) => o.series === 'market.usdPerGpuHour')).map(
    (o): MarketplaceQuote => ({
      marketplace: String(o.meta!.marketplace),
      tier: String(o.meta!.tier),
      modelId: String(o.meta!.modelId),
      usdPerGpuHour: o.value,
      asOf: ownDay(o.asOf),
      source: describe(o),
      kind: o.kind,
      ...(o.meta?.method ? { method: String(o.meta.method) } : {}),
    }),
  );
  const fxObs = latestByKey(obs.filter((o) => o.series === 'fx.perUsd'));
  const snapshot: MarketSnapshot = {
    id: date,
    date,
    coins,
    cloud: dropSuperseded(cloud, (o) => `${o.cloudGpu}|${o.priceType}`, date, cfg, 'cloud offer', warnings),
    marketplace: dropSuperseded(marketplace, (q) => q.modelId, date, cfg, 'marketplace quote', warnings),
    notes: [
      `Assembled on ${date} from the history store: for each input the newest observation on or before ` +
        `${date}; sources: ${[...new Set(obs.map((o) => o.source))].sort().join(', ')}.`,
      ...warnings,
    ],
    // only when a rate was collected: the embedded snapshots have none, and none is made up
    ...(fxObs.length > 0
      ? { fx: Object.fromEntries(fxObs.map((o) => [o.key, quantity(o, `${o.key} per USD`)])) }
      : {}),
  };
  return { snapshot, warnings };
}

/** Newest observation per key across sources. */
function latestByKey(xs: StoredObservation[]): StoredObservation[] {
  const by = new Map<string, StoredObservation[]>();
  for (const x of xs) by.set(x.key, [...(by.get(x.key) ?? []), x]);
  return [...by.values()].map((v) => newest(v)!);
}

/**
 * Too-old entries are dropped when something fresher exists for the same card or cloud GPU; otherwise kept
 * (and flagged downstream).
 */
function dropSuperseded<T extends { asOf: string }>(
  xs: T[],
  group: (x: T) => string,
  date: string,
  cfg: Config,
  what: string,
  warnings: string[],
): T[] {
  const fresh = new Set(
    xs.filter((x) => freshnessTier(age(x.asOf, date), cfg.freshness) !== 'too-old').map(group),
  );
  const kept = xs.filter(
    (x) => freshnessTier(age(x.asOf, date), cfg.freshness) !== 'too-old' || !fresh.has(group(x)),
  );
  if (kept.length < xs.length)
    warnings.push(
      `${xs.length - kept.length} ${what}(s) older than ${cfg.freshness.tooOldDays} days left out: ` +
        `fresher figures exist for the same GPU`,
    );
  return kept;
}

function derivedUsdPrice(btcPrice: StoredObservation[], btcUsd: StoredObservation[]): Quantity | null {
  const a = newest(btcPrice);
  const b = newest(btcUsd);
  if (!a || !b) return null;
  return {
    value: a.value * b.value,
    unit: `USD/${a.key}`,
    asOf: day(a.asOf) < day(b.asOf) ? a.asOf : b.asOf,
    kind: 'derived',
    source: `${describe(a)} x ${describe(b)}`,
    method: `${a.key}/BTC ${a.value} x BTC/USD ${b.value}`,
  };
}

function heightOn(coin: Coin, h: StoredObservation, date: string): Quantity {
  const days = daysBetween(day(h.asOf), date);
  if (days <= 1) return quantity(h, 'block');
  const est = Math.round(h.value + blocksIn(coin, days));
  return {
    value: est,
    unit: 'block',
    asOf: date,
    kind: 'derived',
    source: describe(h),
    method:
      `observed h=${h.value} at ${day(h.asOf)} + ${days.toFixed(1)} days` +
      ` / ${COIN_RULES[coin].anchor.avgBlockTimeS} s average block time`,
  };
}

function checkReportedReward(
  coin: Coin,
  reported: StoredObservation[],
  tolerance: number,
  warnings: string[],
): void {
  for (const r of reported) {
    const h = Number(r.meta?.height ?? NaN);
    if (!Number.isFinite(h)) continue;
    const rule = COIN_RULES[coin].rewardAt(h);
    if (rule > 0 && Math.abs(r.value - rule) / rule > tolerance) {
      warnings.push(
        `${r.source} reports a ${coin} block reward of ${r.value} at height ${h};` +
          ` our rules (${COIN_RULES[coin].rewardRule}) give ${rule}: we use ours`,
      );
    }
  }
}
