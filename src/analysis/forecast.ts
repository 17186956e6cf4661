import type { Coin, DeviceModel, MarketSnapshot } from '../domain/types.ts';
import type { Config } from '../config/schema.ts';
import { parseUtc } from '../lib/time.ts';
import {
  autolykosNextStepHeight,
  autolykosTableBytes,
  ergNetReward,
  ergNextRewardChangeHeight,
} from '../model/erg.ts';
import {
  kawpowEpoch,
  KAWPOW_EPOCH_LENGTH,
  rvnNextHalvingHeight,
  rvnSubsidy,
  kawpowDagBytes,
} from '../model/rvn.ts';
import { estimateMemoryFit } from '../model/mining.ts';
import { CHAIN_ANCHORS } from '../model/chain.ts';

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
  const avg = CHAIN_ANCHORS[coin].avgBlockTimeS;
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
  if (coin === 'RVN') {
    for (let e = kawpowEpoch(from) + 1; e * KAWPOW_EPOCH_LENGTH < limit; e++) {
      if (estimateMemoryFit('RVN', e * KAWPOW_EPOCH_LENGTH, vramGiB, cfg).marginGiB < 0)
        return e * KAWPOW_EPOCH_LENGTH;
    }
    return null;
  }
  for (let h = autolykosNextStepHeight(from); h !== null; h = autolykosNextStepHeight(h)) {
    if (estimateMemoryFit('ERG', h, vramGiB, cfg).marginGiB < 0) return h;
  }
  return null;
}

/** Reward steps and VRAM cut-offs for the given models within `days` of the snapshot date. */
export function findComingChanges(
  snapshot: MarketSnapshot,
  models: DeviceModel[],
  cfg: Config,
  days = 180,
): ChainEvent[] {
  const end = parseUtc(snapshot.date).plus({ days }).toISODate()!;
  const events: ChainEvent[] = [];
  const rvnH = snapshot.coins.RVN.height.value;
  const ergH = snapshot.coins.ERG.height.value;
  const rvnNext = rvnNextHalvingHeight(rvnH);
  events.push({
    date: dateOfHeight(snapshot, 'RVN', rvnNext),
    coin: 'RVN',
    height: rvnNext,
    kind: 'reward-step',
    models: [],
    description: `RVN halving: ${rvnSubsidy(rvnH)} -> ${rvnSubsidy(rvnNext)} RVN per block`,
  });
  const ergNext = ergNextRewardChangeHeight(ergH);
  if (ergNext !== null) {
    events.push({
      date: dateOfHeight(snapshot, 'ERG', ergNext),
      coin: 'ERG',
      height: ergNext,
      kind: 'reward-step',
      models: [],
      description: `ERG net reward ${ergNetReward(ergH)} -> ${ergNetReward(ergNext)} ERG per block`,
    });
  }
  const byVram = new Map<number, DeviceModel[]>();
  for (const m of models)
    if (m.deviceClass !== 'asic') byVram.set(m.vramGiB, [...(byVram.get(m.vramGiB) ?? []), m]);
  for (const [vram, ms] of byVram) {
    for (const coin of ['RVN', 'ERG'] as const) {
      const miners = ms.filter((m) => (coin === 'RVN' ? m.kawpow : m.autolykos2) !== null);
      if (miners.length === 0) continue;
      const from = coin === 'RVN' ? rvnH : ergH;
      if (estimateMemoryFit(coin, from, vram, cfg.vram).marginGiB < 0) continue; // already out: shown as ineligible today
      const h = cutoffHeight(coin, from, vram, cfg.vram);
      if (h === null) continue;
      const need =
        coin === 'RVN'
          ? `KawPow DAG ${(kawpowDagBytes(kawpowEpoch(h)) / 2 ** 30).toFixed(2)} GiB`
          : `Autolykos2 table ${(autolykosTableBytes(h) / 2 ** 30).toFixed(2)} GiB`;
      events.push({
        date: dateOfHeight(snapshot, coin, h),
        coin,
        height: h,
        kind: 'vram-cutoff',
        models: miners.map((m) => m.id),
        description: `${vram} GiB cards can no longer mine ${coin}: ${need} + overhead exceeds usable VRAM`,
      });
    }
  }
  return events.filter((e) => e.date <= end).sort((a, b) => a.date.localeCompare(b.date));
}

/** The snapshot moved `days` ahead under flat prices and difficulty: heights advance, rewards follow the rules. */
export function advanceSnapshot(snapshot: MarketSnapshot, days: number): MarketSnapshot {
  const date = parseUtc(snapshot.date).plus({ days }).toISODate()!;
  const coins = { ...snapshot.coins };
  for (const coin of ['RVN', 'ERG'] as const) {
    const m = snapshot.coins[coin];
    const height = Math.round(m.height.value + (days * 86_400) / CHAIN_ANCHORS[coin].avgBlockTimeS);
    coins[coin] = {
      ...m,
      height: {
        ...m.height,
        value: height,
        asOf: date,
        kind: 'derived',
        method: `snapshot height + ${days} d / ${CHAIN_ANCHORS[coin].avgBlockTimeS} s average block time`,
      },
      blockRewardCoins: {
        ...m.blockRewardCoins,
        value: coin === 'RVN' ? rvnSubsidy(height) : ergNetReward(height),
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

/** Per model and coin: the height and date at which the card can no longer hold the DAG/table (null: never, or never could). */
export function findCoinLossDates(snapshot: MarketSnapshot, models: DeviceModel[], cfg: Config): CoinLoss[] {
  const out: CoinLoss[] = [];
  for (const m of models) {
    for (const coin of ['RVN', 'ERG'] as const) {
      if ((coin === 'RVN' ? m.kawpow : m.autolykos2) === null || m.deviceClass === 'asic') continue;
      const from = snapshot.coins[coin].height.value;
      const h = cutoffHeight(coin, from, m.vramGiB, cfg.vram);
      if (h === null) continue;
      const need =
        coin === 'RVN'
          ? `KawPow DAG ${(kawpowDagBytes(kawpowEpoch(h)) / 2 ** 30).toFixed(2)} GiB`
          : `Autolykos2 table ${(autolykosTableBytes(h) / 2 ** 30).toFixed(2)} GiB`;
      out.push({
        modelId: m.id,
        coin,
        height: h,
        date: h === from ? snapshot.date : dateOfHeight(snapshot, coin, h),
        reason:
          h === from
            ? `already out: ${need} + overhead exceeds ${m.vramGiB} GiB`
            : `${need} + overhead exceeds ${m.vramGiB} GiB`,
      });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.modelId.localeCompare(b.modelId));
}
