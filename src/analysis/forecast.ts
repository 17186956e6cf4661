import type { Coin, DeviceModel, MarketSnapshot } from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import { addDays, parseUtc } from '../lib/time.ts';
import { COINS } from '../domain/types.ts';
import { estimateMemoryFit, miningProfile } from '../model/mining.ts';
import { COIN_RULES } from '../model/coins.ts';
import { blocksIn } from '../model/chain.ts';

export interface ChainEvent {
  date: string;
  coin: Coin;
  height: number;
  kind: 'reward-step' | 'vram-cutoff';
  description: string;
  /** Model ids affected (VRAM cut-offs). */
  models: string[];
}

/** Date of `height` given the snapshot's height on its date and the observed average block time. */
export function dateOfHeight(snapshot: MarketSnapshot, coin: Coin, height: number): string {
  const avg = COIN_RULES[coin].anchor.avgBlockTimeS;
  const base = snapshot.coins[coin].height.value;
  return parseUtc(snapshot.date)
    .plus({ seconds: (height - base) * avg })
    .toISODate()!;
}

/** First height at or after `from` at which a card with `vramGiB` can no longer hold the DAG/table. */
export function cutoffHeight(
  coin: Coin,
  from: number,
  vramGiB: number,
  cfg: Config['vram'],
  limit = 50_000_000,
): number | null {
  if (estimateMemoryFit(coin, from, vramGiB, cfg).marginGiB < 0) return from;
  const next = COIN_RULES[coin].nextMemoryStepHeight;
  for (let h = next(from); h !== null && h < limit; h = next(h)) {
    if (estimateMemoryFit(coin, h, vramGiB, cfg).marginGiB < 0) return h;
  }
  return null;
}

/** e.g. "Autolykos2 table 7.60 GiB + 0.25 GiB miner overhead = 7.85 GiB, 7.80 GiB usable of 8 GiB (config vram.*)". */
function needText(coin: Coin, height: number, vramGiB: number, cfg: Config['vram']): string {
  const f = estimateMemoryFit(coin, height, vramGiB, cfg);
  const overheadGiB = (cfg.overheadMiB[coin] ?? 0) / 1024;
  return (
    `${f.what} + ${overheadGiB.toFixed(2)} GiB miner overhead = ${f.requiredGiB.toFixed(2)} GiB, ` +
    `${f.usableGiB.toFixed(2)} GiB usable of ${vramGiB} GiB (config vram.*)`
  );
}

/** Reward steps and VRAM cut-offs for the given models within `days` of the snapshot date. */
export function findComingChanges(
  snapshot: MarketSnapshot,
  models: DeviceModel[],
  cfg: Config,
  days = 180,
): ChainEvent[] {
  const end = addDays(snapshot.date, days);
  const events: ChainEvent[] = [];
  for (const coin of COINS) {
    const rules = COIN_RULES[coin];
    const h = snapshot.coins[coin].height.value;
    const next = rules.nextRewardChangeHeight(h);
    if (next === null) continue;
    events.push({
      date: dateOfHeight(snapshot, coin, next),
      coin,
      height: next,
      kind: 'reward-step',
      models: [],
      description: `${coin} block reward ${rules.rewardAt(h)} -> ${rules.rewardAt(next)} ${coin} (${rules.rewardRule})`,
    });
  }
  const byVram = new Map<number, DeviceModel[]>();
  for (const m of models)
    if (m.deviceClass !== 'asic') byVram.set(m.vramGiB, [...(byVram.get(m.vramGiB) ?? []), m]);
  for (const [vram, ms] of byVram) {
    for (const coin of COINS) {
      const miners = ms.filter((m) => miningProfile(m, coin) !== null);
      if (miners.length === 0) continue;
      const from = snapshot.coins[coin].height.value;
      // already out: shown as ineligible today
      if (estimateMemoryFit(coin, from, vram, cfg.vram).marginGiB < 0) continue;
      const h = cutoffHeight(coin, from, vram, cfg.vram);
      if (h === null) continue;
      events.push({
        date: dateOfHeight(snapshot, coin, h),
        coin,
        height: h,
        kind: 'vram-cutoff',
        models: miners.map((m) => m.id),
        description: `${vram} GiB cards can no longer mine ${coin}: ${needText(coin, h, vram, cfg.vram)}`,
      });
    }
  }
  return events.filter((e) => e.date <= end).sort((a, b) => a.date.localeCompare(b.date));
}

/** The snapshot moved `days` ahead under flat prices and difficulty: heights advance, rewards follow the rules. */
export function advanceSnapshot(snapshot: MarketSnapshot, days: number): MarketSnapshot {
  const date = addDays(snapshot.date, days); // per day of a horizon: no luxon on plain dates
  const coins = { ...snapshot.coins };
  for (const coin of COINS) {
    const m = snapshot.coins[coin];
    const height = Math.round(m.height.value + blocksIn(coin, days));
    coins[coin] = {
      ...m,
      height: {
        ...m.height,
        value: height,
        asOf: date,
        kind: 'derived',
        method: `snapshot height + ${days} d / ${COIN_RULES[coin].anchor.avgBlockTimeS} s average block time`,
      },
      blockRewardCoins: {
        ...m.blockRewardCoins,
        value: COIN_RULES[coin].rewardAt(height),
        asOf: date,
        kind: 'derived',
        method: 'protocol rules at the projected height',
      },
    };
  }
  return {
    ...snapshot,
    id: `${snapshot.id}+${days}d`,
    date,
    coins,
    notes: [...snapshot.notes, `Projected ${days} days ahead under flat prices and difficulty.`],
  };
}

export interface CoinLoss {
  modelId: string;
  coin: Coin;
  height: number;
  date: string;
  reason: string;
}

/**
 * Per model and coin: the height and date at which the card can no longer hold the DAG/table (null: never, or
 * never could).
 */
export function findCoinLossDates(snapshot: MarketSnapshot, models: DeviceModel[], cfg: Config): CoinLoss[] {
  const out: CoinLoss[] = [];
  for (const m of models) {
    for (const coin of COINS) {
      if (miningProfile(m, coin) === null || m.deviceClass === 'asic') continue;
      const from = snapshot.coins[coin].height.value;
      const h = cutoffHeight(coin, from, m.vramGiB, cfg.vram);
      if (h === null) continue;
      const need = needText(coin, h, m.vramGiB, cfg.vram);
      out.push({
        modelId: m.id,
        coin,
        height: h,
        date: h === from ? snapshot.date : dateOfHeight(snapshot, coin, h),
        reason: h === from ? `already out: ${need}` : need,
      });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.modelId.localeCompare(b.modelId));
}
